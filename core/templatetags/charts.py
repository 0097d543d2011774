from django import template

from core import charts

register = template.Library()


@register.filter
def svg_image(svg: str):
    """`{{ chart|svg_image }}`: a core.charts SVG as an image a page under our CSP can show."""
    return charts.as_image(svg, alt=charts.title_of(svg))
