import datetime
import re

from core.charts import bar_chart, line_chart


def test_a_line_chart_is_inline_svg_with_readable_text_and_a_title():
    svg = line_chart(
        {"Op tijd komen": [(datetime.date(2026, 1, 5), 2), (datetime.date(2026, 2, 2), 4)]},
        title="Ontwikkeling werknemersvaardigheden",
        y_min=1,
        y_max=5,
    )
    assert svg.startswith("<svg ")
    assert 'role="img" aria-label="Ontwikkeling werknemersvaardigheden"' in svg
    assert "<path" in svg


def test_a_bar_chart_writes_its_labels_and_values_as_text():
    svg = bar_chart(["Gescreend", "Geplaatst"], [120, 7], title="Trechter")
    assert re.findall(r"<text[^>]*>([^<]*)</text>", svg) == ["Gescreend", "Geplaatst", "120", "7"]


def test_the_same_input_draws_the_same_svg():
    args = (["A", "B"], [3, 5])
    assert bar_chart(*args, title="x") == bar_chart(*args, title="x")


def test_a_page_shows_the_chart_as_an_image_with_its_title_as_alt_text():
    import base64

    from django.template import Context, Template

    svg = bar_chart(["A & B"], [3], title="Trechter & groepen")
    html = Template("{% load charts %}{{ chart|svg_image }}").render(Context({"chart": svg}))
    alt, data = re.fullmatch(
        r'<img class="chart img-fluid" alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)">',
        html,
    ).groups()
    assert alt == "Trechter &amp; groepen"  # escaped once, not twice
    assert base64.b64decode(data).decode() == str(svg)


def test_a_line_runs_forward_in_time_whatever_order_the_points_come_in():
    early, late = (datetime.date(2025, 2, 1), 2), (datetime.date(2026, 5, 1), 4)
    ordered = line_chart({"Op tijd": [early, late]}, title="t", y_min=1, y_max=5)
    shuffled = line_chart({"Op tijd": [late, early]}, title="t", y_min=1, y_max=5)
    assert ordered == shuffled
