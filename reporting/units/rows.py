"""What a KPI unit shows: its rows beside last year's, its breakdowns and its curve.

Every figure reads through `show` (core.figures, the one helper every page, PDF and chart label
uses); the xlsx keeps the numbers and formats them by their kind.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Choices
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core import figures

COUNT, RATE, DECIMAL1, DECIMAL2 = "count", "rate", "decimal1", "decimal2"


def show(value: Any, kind: str) -> str:
    """A figure as a Dutch reader expects it: 71,4%, 1.234, 64,2; a dash for "no figure"."""
    if kind == RATE:
        return figures.share(value)
    if kind == DECIMAL1:
        return figures.decimal(value, 1)
    if kind == DECIMAL2:
        return figures.decimal(value, 2)
    return figures.count(value)


@dataclass
class Row:
    label: str
    value: Any
    previous: Any
    kind: str = COUNT
    target: float | None = None
    headline: bool = False  # the KPI's total: the figure its section leads with

    @property
    def shown(self) -> str:
        return show(self.value, self.kind)

    @property
    def previous_shown(self) -> str:
        return show(self.previous, self.kind)

    @property
    def target_shown(self) -> str:
        return show(self.target, RATE) if self.target is not None else ""

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target


@dataclass
class Breakdown:
    title: str
    definition: str
    dimension: str
    columns: list[tuple[str, str]]  # (heading, kind of figure)
    rows: list[tuple[str, list[Any]]]  # (label, one figure per column)

    @property
    def headings(self) -> list[str]:
        return [heading for heading, _kind in self.columns]

    @property
    def shown_rows(self) -> list[tuple[str, list[str]]]:
        kinds = [kind for _heading, kind in self.columns]
        return [
            (label, [show(value, kind) for value, kind in zip(values, kinds, strict=True)])
            for label, values in self.rows
        ]


@dataclass
class Curve:
    """A share per month after a start, shown beside its section with its chart."""

    title: str
    definition: str
    points: list[tuple[int, float | None]]  # (month, share)
    chart: SafeString

    @property
    def milestones(self) -> list[tuple[int, str]]:
        """The curve every six months, shown: the table next to the chart."""
        return [(month, show(share, RATE)) for month, share in self.points if month % 6 == 0]


def key_label(key: Any, choices: type[Choices] | None = None) -> str:
    """A breakdown's row label for a grouped value: its choice label, "Unknown" when empty."""
    if key in (None, ""):
        return _("Unknown")
    if choices is not None:
        return str(choices(key).label)
    return str(key)
