"""The KPI document of spec/kpis.md: the one implementation behind every figure.

Each KPI is a unit in reporting.units (its query, a typed result, its labels, rows and
breakdowns). The command (`manage.py kpis`) prints `compute(period)`, and the dashboard, the xlsx
and the annual PDF (reporting.report) iterate the same units, so a figure can never differ
between them. Every unit is a handful of aggregate queries, whatever the number of clients: the
database counts, Python only divides.
"""

from typing import Any

from reporting import units
from reporting.units.base import Period

__all__ = ["Period", "compute"]  # Period: what forms, services and commands import from here


def compute(period: Period) -> dict[str, Any]:
    """The whole document of `manage.py kpis` for one period: a key per unit, in UNITS' order."""
    document: dict[str, Any] = {
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()}
    }
    for unit in units.UNITS:
        document[unit.key] = unit.compute(period).as_json()
    return document
