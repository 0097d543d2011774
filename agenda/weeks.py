"""ISO weeks (Monday to Sunday) as the agenda pages and their URLs name them."""

import datetime
from typing import NamedTuple

DAY = datetime.timedelta(days=1)


class Week(NamedTuple):
    year: int  # the ISO year, which differs from the calendar year around New Year
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> "Week":
        year, number, _weekday = day.isocalendar()
        return cls(year, number)

    @classmethod
    def named(cls, year: int, number: int) -> "Week | None":
        """The week, or None when the year has no such week (week 53 of most years)."""
        try:
            datetime.date.fromisocalendar(year, number, 1)
        except ValueError:
            return None
        return cls(year, number)

    @property
    def monday(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> datetime.date:
        return self.monday + 6 * DAY

    @property
    def days(self) -> list[datetime.date]:
        return [self.monday + i * DAY for i in range(7)]

    @property
    def previous(self) -> "Week":
        return Week.of(self.monday - 7 * DAY)

    @property
    def next(self) -> "Week":
        return Week.of(self.monday + 7 * DAY)
