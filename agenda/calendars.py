"""What the agenda pages show: a coach's week or day, and a team's week, in fixed queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from agenda.models import Appointment
from agenda.weeks import Week
from core.models import User


def initials(client) -> str:
    """ "F.E." for Fatima El Amrani: what the team week and the calendar feed show instead of a
    name."""
    parts = [client.first_name, client.last_name]
    return "".join(f"{part.strip()[0].upper()}." for part in parts if part.strip())


def by_day(appointments) -> dict[datetime.date, list[Appointment]]:
    days = defaultdict(list)
    for appointment in appointments:
        days[appointment.local_start.date()].append(appointment)
    return days


def coach_appointments(user, start: datetime.date, end: datetime.date) -> QuerySet[Appointment]:
    """The user's own appointments from `start` to `end` (cancelled ones too, marked so)."""
    return Appointment.objects.filter(coach=user).between(start, end).for_calendar()


@dataclass
class DayColumn:
    day: datetime.date
    appointments: list[Appointment]


def week_columns(user, week: Week) -> list[DayColumn]:
    """Monday to Sunday, each with the user's appointments that day: one query."""
    days = by_day(coach_appointments(user, week.monday, week.sunday))
    return [DayColumn(day, days.get(day, [])) for day in week.days]


@dataclass
class MemberRow:
    member: User
    days: list[list[Appointment]]  # Monday to Sunday


def team_rows(user, week: Week) -> list[MemberRow]:
    """Each member of the user's teams with their (not cancelled) appointments per day of the
    week; `client_shown` says whether the user may see the client's name. Two queries."""
    members = list(
        User.objects.filter(teams__in=user.teams.all(), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    appointments = (
        Appointment.objects.filter(coach__in=members)
        .not_cancelled()
        .between(week.monday, week.sunday)
        .for_calendar()
        .with_client_shown(user)
    )
    rows = {member.pk: MemberRow(member, [[] for _day in week.days]) for member in members}
    for appointment in appointments:
        appointment.client_initials = initials(appointment.client)
        weekday = appointment.local_start.weekday()
        rows[appointment.coach_id].days[weekday].append(appointment)
    return list(rows.values())
