"""The wage value from the task table of the national wage-value method (DOMAIN.md step 7).

Each main task is scored against the reference job on quality, pace and employability, each a
percentage of the norm. A task's performance is the product of the three (80% pace at 90%
quality and full employability delivers 72% of the norm's output); the wage value is the mean
of the task performances weighted by each task's share of the work. Shares must add up to 100%.
Every main task takes at least 1/16 of the weekly hours (6.25%).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
MINIMUM_SHARE = Decimal("6.25")  # 1/16 of the weekly hours
CENT = Decimal("0.01")


@dataclass(frozen=True)
class TaskScore:
    share_percent: Decimal
    quality_percent: Decimal
    pace_percent: Decimal
    employability_percent: Decimal

    @property
    def performance_percent(self) -> Decimal:
        """The task's output as a percentage of the norm, rounded to 0.01."""
        exact = self.quality_percent * self.pace_percent * self.employability_percent
        return (exact / (HUNDRED * HUNDRED)).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def weighted_percent(self) -> Decimal:
        """The task's contribution to the wage value: performance times share, to 0.01."""
        exact = self.performance_percent * self.share_percent / HUNDRED
        return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def wage_value_from_tasks(tasks: Iterable[TaskScore]) -> Decimal:
    """The wage value in percent (0.01 precision): the sum of the weighted task performances.

    The caller makes sure the shares add up to 100 (shares_total).
    """
    return sum((task.weighted_percent for task in tasks), Decimal(0)).quantize(CENT)


def shares_total(tasks: Iterable[TaskScore]) -> Decimal:
    return sum((task.share_percent for task in tasks), Decimal(0))
