"""`{% load figures %}`: the template side of core.figures, for every share and count shown."""

from django import template

from core import figures

register = template.Library()


@register.filter
def share(value):
    """`{{ rate|share }}`: 0.4375 reads 43,8%; None reads as a dash."""
    return figures.share(value)


@register.filter
def share_of(part, whole):
    """`{{ to_work|share_of:ended }}`: 7 of 16 reads 43,8%; nothing to divide by, a dash."""
    return figures.share(part, whole)


@register.filter
def count(value):
    """`{{ clients|count }}`: 1234 reads 1.234."""
    return figures.count(value)
