"""Charts are drawn once per set of figures: the same arguments come from the cache."""

import datetime

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import charts, figures


@pytest.fixture
def drawings(monkeypatch, settings):
    """The figures matplotlib was asked to draw (a spy on pyplot.subplots)."""
    # A cache of this process only: a shared Redis may be emptied by another test run.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    drawn = []
    original = charts.plt.subplots
    monkeypatch.setattr(
        charts.plt, "subplots", lambda *a, **k: drawn.append(1) or original(*a, **k)
    )
    return drawn


def test_the_same_bars_again_come_from_the_cache_without_matplotlib(drawings):
    first = charts.bar_chart(["Gescreend", "Geplaatst"], [120, 7], title="Trechter")
    second = charts.bar_chart(["Gescreend", "Geplaatst"], [120, 7], title="Trechter")
    assert len(drawings) == 1
    assert second == first and second.startswith("<svg ")
    assert hasattr(second, "__html__")  # still safe to put in a page as it is


def test_other_figures_a_title_or_a_size_draw_again(drawings):
    charts.bar_chart(["A", "B"], [3, 5], title="x")
    charts.bar_chart(["A", "B"], [3, 6], title="x")
    charts.bar_chart(["A", "C"], [3, 5], title="x")
    charts.bar_chart(["A", "B"], [3, 5], title="y")
    charts.bar_chart(["A", "B"], [3, 5], title="x", width=4)
    charts.bar_chart(["A", "B"], [3, 5], title="x", horizontal=False)
    assert len(drawings) == 6


def test_a_chart_drawn_from_the_cache_is_the_one_drawn_afresh(drawings, settings):
    series = {"Op tijd": [(datetime.date(2026, 1, 5), 2), (datetime.date(2026, 2, 2), 4)]}
    cached = charts.line_chart(series, title="t", y_min=1, y_max=5)
    again = charts.line_chart(series, title="t", y_min=1, y_max=5)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    afresh = charts.line_chart(series, title="t", y_min=1, y_max=5)
    assert cached == again == afresh
    assert len(drawings) == 2


def test_value_labels_are_keyed_by_what_they_write(drawings):
    """Two labelling functions that write the same text give the same chart; a share and a
    count of the same value do not."""
    charts.bar_chart(["A"], [0.5], title="t", value_label=figures.share)
    charts.bar_chart(["A"], [0.5], title="t", value_label=lambda v: figures.share(v))
    charts.bar_chart(["A"], [0.5], title="t", value_label=lambda v: f"{v}")
    assert len(drawings) == 2


def test_grouped_bars_key_their_series_in_order_with_their_labels(drawings):
    def draw(series):
        return charts.grouped_bar_chart(
            ["Uitstroom"], series, title="t", targets=[0.3], target_label="Doel"
        )

    draw({"2024": [0.2], "2025": [0.25]})
    draw({"2024": [0.2], "2025": [0.25]})
    draw({"2025": [0.25], "2024": [0.2]})  # the legend's order is part of the picture
    draw({"2024": [None], "2025": [0.25]})
    assert len(drawings) == 3


def test_a_chart_in_another_language_is_drawn_in_that_language(drawings):
    with translation.override("en"):
        english = charts.line_chart({}, title="t", y_min=1, y_max=5, y_label=_("step"))
    with translation.override("nl"):
        dutch = charts.line_chart({}, title="t", y_min=1, y_max=5, y_label=_("step"))
    assert len(drawings) == 2
    assert ">step<" in english and ">trede<" in dutch


def test_a_curve_is_cached_too(drawings):
    for _time in range(2):
        charts.curve_chart([(0, 0.1), (6, 0.4)], title="Uitstroom", x_label="maanden", target=0.3)
    assert len(drawings) == 1


def test_a_new_version_draws_again(drawings, monkeypatch):
    charts.bar_chart(["A"], [1], title="t")
    monkeypatch.setattr(charts, "VERSION", charts.VERSION + 1)
    charts.bar_chart(["A"], [1], title="t")
    assert len(drawings) == 2
