"""Charts drawn on the server as SVG with matplotlib: the same picture in a page and in a PDF.

Text stays text in the SVG (`svg.fonttype = none`), so screen readers, `pdftotext` and tests can
read labels, and the output is byte-stable for the same input (fixed hash salt, no date). Every
chart on a page also gets its figures as a table (the caller renders it); the SVG is marked as
an image with a title. Pages show a chart through `as_image` (or `{{ chart|svg_image }}` with
`{% load charts %}`) because of the Content-Security-Policy; a PDF inlines the SVG.

A chart is drawn once per set of figures: the same arguments give the SVG kept in Django's
cache (Redis in production), keyed by a hash of the function's name, its arguments and
`VERSION`, without calling matplotlib again (`drawn_once`).
"""

import base64
import datetime
import decimal
import functools
import hashlib
import html
import inspect
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence

import matplotlib

matplotlib.use("svg")

from django.core.cache import cache  # noqa: E402
from django.utils.functional import Promise  # noqa: E402
from django.utils.html import escape, format_html  # noqa: E402
from django.utils.safestring import SafeString, mark_safe  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402 (after choosing the backend)
from matplotlib.dates import DateFormatter  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from core import figures  # noqa: E402

plt.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "wo",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(
            color=["#0d3b66", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6c757d"]
        ),
    }
)


# Raise when the drawing code changes what it draws for the same arguments: every chart kept in
# the cache is drawn again (the old keys expire).
VERSION = 1
CACHE_SECONDS = 24 * 60 * 60


def _plain(value):
    """An argument as JSON holds it: mappings as pairs in their order (a legend's order is part
    of the picture), lazy translations as text in the active language, dates and decimals
    tagged with their type."""
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.date | decimal.Decimal):
        return f"{type(value).__name__}:{value}"
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"A chart argument of type {type(value).__name__} has no key")


def drawn_once(shown: Callable[[dict], Iterable] | None = None):
    """Decorate a chart function: its SVG comes from the cache for arguments it drew before.

    The key is a sha256 of the name, every argument (defaults filled in) and VERSION. A
    callable argument (`value_label`) is keyed by what it writes: its text for each value
    `shown(arguments)` gives."""

    def decorate(draw: Callable[..., SafeString]) -> Callable[..., SafeString]:
        signature = inspect.signature(draw)

        @functools.wraps(draw)
        def cached(*args, **kwargs) -> SafeString:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            arguments = dict(bound.arguments)
            for name, value in arguments.items():
                if callable(value):
                    arguments[name] = [value(v) for v in shown(arguments)]
            text = json.dumps([VERSION, draw.__name__, _plain(arguments)], ensure_ascii=False)
            key = f"charts:{draw.__name__}:{hashlib.sha256(text.encode()).hexdigest()}"
            svg = cache.get(key)
            if svg is None:
                svg = str(draw(*args, **kwargs))
                cache.set(key, svg, CACHE_SECONDS)
            return mark_safe(svg)  # noqa: S308 (this module's own SVG, kept as it was drawn)

        return cached

    return decorate


def _svg(figure, title: str) -> SafeString:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype: it is inlined in HTML
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" class="chart" ', 1)
    return mark_safe(svg)  # noqa: S308 (matplotlib's own output; the title is escaped)


@drawn_once()
def line_chart(
    series: dict[str, Sequence[tuple[datetime.date, float]]],
    *,
    title: str,
    y_min: float,
    y_max: float,
    y_label: str = "",
    width: float = 5.5,
    height: float = 2.4,
    y_step: int = 1,
) -> SafeString:
    """Values over time, one line per series (a skill, the ladder step); a tick every y_step."""
    figure, axes = plt.subplots(figsize=(width, height))
    for label, points in series.items():
        if points:
            dates, values = zip(*sorted(points), strict=True)  # a line runs forward in time
            axes.plot(dates, values, marker="o", linewidth=1.5, markersize=4, label=label)
    axes.set_ylim(y_min - 0.2, y_max + 0.2)
    axes.set_yticks(range(int(y_min), int(y_max) + 1, y_step))
    axes.xaxis.set_major_formatter(DateFormatter("%m-%Y"))
    axes.grid(axis="y", color="#dee2e6", linewidth=0.6)
    if y_label:
        axes.set_ylabel(y_label)
    if len(series) > 1:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    figure.autofmt_xdate()
    return _svg(figure, title)


@drawn_once(shown=lambda arguments: arguments["values"])
def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    horizontal: bool = True,
    value_label: Callable[[float | None], str] = figures.count,
    width: float = 5.5,
    height: float | None = None,
) -> SafeString:
    """Bars with their value written next to them (a funnel, counts per group), as
    `value_label` writes it (core.figures: `count`, or `share` for rates)."""
    height = height or max(1.2, 0.45 * len(labels) + 0.6)
    figure, axes = plt.subplots(figsize=(width, height))
    positions = range(len(labels))
    if horizontal:
        bars = axes.barh(positions, values, color="#0d3b66")
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
    else:
        bars = axes.bar(positions, values, color="#0d3b66")
        axes.set_xticks(list(positions), labels)
    axes.bar_label(bars, labels=[value_label(v) for v in values], padding=3)
    return _svg(figure, title)


@drawn_once(shown=lambda arguments: [v for vs in arguments["series"].values() for v in vs])
def grouped_bar_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str,
    value_label: Callable[[float | None], str] = figures.count,
    targets: Sequence[float | None] | None = None,
    target_label: str = "",
    x_max: float | None = None,
    width: float = 6.0,
) -> SafeString:
    """Horizontal bars per label, one per series side by side (last year, this year), with
    each value written next to its bar (by `value_label`, core.figures) and, where given, a
    target as a dashed mark. A value None (no figure) gets no bar and reads as the dash."""
    count = len(series)
    height = max(1.4, (0.28 * count + 0.25) * len(labels) + 0.8)
    figure, axes = plt.subplots(figsize=(width, height))
    thickness = 0.8 / max(count, 1)
    for index, (name, values) in enumerate(series.items()):
        positions = [i + (index - (count - 1) / 2) * thickness for i in range(len(labels))]
        lengths = [0 if value is None else value for value in values]
        bars = axes.barh(positions, lengths, height=thickness * 0.95, label=name)
        axes.bar_label(bars, labels=[value_label(value) for value in values], padding=3)
    for i, target in enumerate(targets or []):
        if target is not None:
            axes.plot(
                [target, target],
                [i - 0.45, i + 0.45],
                color="#c1121f",
                linestyle="--",
                label=target_label or None,  # once in the legend: it says what the mark is
            )
            target_label = ""
    axes.set_yticks(list(range(len(labels))), labels)
    axes.invert_yaxis()
    if x_max is not None:
        axes.set_xlim(0, x_max)
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    entries = len(axes.get_legend_handles_labels()[1])
    axes.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=entries, frameon=False)
    return _svg(figure, title)


@drawn_once()
def curve_chart(
    points: Sequence[tuple[float, float]],
    *,
    title: str,
    x_label: str,
    target: float | None = None,
    x_max: float = 24,
    x_step: int = 6,
    width: float = 6.0,
    height: float = 2.6,
) -> SafeString:
    """A share (0 to 1) that grows over a count (months): a step line, with the target dashed."""
    figure, axes = plt.subplots(figsize=(width, height))
    if points:
        xs, ys = zip(*points, strict=True)
        axes.step(xs, ys, where="post", linewidth=1.8)
    axes.set_xlim(0, x_max)
    axes.set_xticks(range(0, int(x_max) + 1, x_step))
    if target is not None:
        axes.axhline(target, color="#c1121f", linestyle="--", linewidth=1)
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.set_xlabel(x_label)
    axes.grid(axis="y", color="#dee2e6", linewidth=0.6)
    return _svg(figure, title)


def as_image(svg: str, *, alt: str) -> SafeString:
    """The chart as an <img> with a data: URL, for web pages.

    matplotlib writes its colours as inline style attributes and a <style> element, which the
    strict Content-Security-Policy (style-src 'self') refuses when the SVG is inline in a page:
    the chart turns black. As an image the SVG is its own document, outside the page's style
    policy (img-src allows data:). PDFs (WeasyPrint, no CSP) can inline the SVG itself.
    """
    encoded = base64.b64encode(str(svg).encode()).decode()
    return format_html(
        '<img class="chart img-fluid" alt="{}" src="data:image/svg+xml;base64,{}">', alt, encoded
    )


def title_of(svg: str) -> str:
    """The title a chart of this module was drawn with (its aria-label)."""
    label = re.search(r'aria-label="([^"]*)"', str(svg))
    return html.unescape(label.group(1)) if label else ""
