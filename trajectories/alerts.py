"""Signals a coach acts on, computed by queries when asked; never stored flags that go stale.

Named `alerts`, not `signals`: in a Django app `signals.py` holds signal receivers.

Each function takes the clients in scope (a Client QuerySet: the coach's caseload, a branch
team's clients) and returns a QuerySet of what needs attention, annotated with what the coach
needs to see. A signal is raised on the day its period is complete: a conversation exactly
SIGNAL_NO_CONVERSATION_DAYS days ago already counts as "no conversation in N days".
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import (
    DateField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import CONVERSATION_CHANNELS, Client, Contact, LadderObservation
from trajectories import deadline
from trajectories.models import Activity, ActivityStatus, Route, SkillEvaluation, Trajectory

LADDER_MONTHS = 6  # the ladder is measured at least twice a year (issue 5)


class AddDays(Func):
    """A date plus a whole number of days taken from a column, as a date, in SQL.

    Django cannot multiply a column by a duration on SQLite, and PostgreSQL adds an integer to a
    date natively, so each backend gets its own expression.
    """

    arity = 2
    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" + ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '+' || ",
        )


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def no_conversation(
    clients: QuerySet[Client], *, today: datetime.date | None = None, days: int | None = None
) -> QuerySet[Client]:
    """Active clients whose last conversation is `days` or more days ago.

    A conversation is a contact in person, by phone, by video or at home (CONVERSATION_CHANNELS);
    e-mail and letters do not count. A client never spoken to is flagged `days` days after
    registration. Annotates `last_conversation_on` (None when there was none).
    """
    today = _today(today)
    days = settings.SIGNAL_NO_CONVERSATION_DAYS if days is None else days
    bound = today - datetime.timedelta(days=days)
    last = (
        Contact.objects.filter(client=OuterRef("pk"), channel__in=CONVERSATION_CHANNELS)
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        clients.active_on(today)
        .annotate(last_conversation_on=Subquery(last))
        .filter(
            Q(last_conversation_on__lte=bound)
            | Q(last_conversation_on__isnull=True, registered_on__lte=bound)
        )
        .order_by(F("last_conversation_on").asc(nulls_first=True), "last_name", "first_name", "pk")
    )


def deadline_approaching(
    clients: QuerySet[Client], *, today: datetime.date | None = None, weeks: int | None = None
) -> QuerySet[Trajectory]:
    """Open route werknemer trajectories whose two-year deadline is within `weeks` (or passed)."""
    today = _today(today)
    weeks = settings.SIGNAL_DEADLINE_WEEKS if weeks is None else weeks
    limit = today + datetime.timedelta(weeks=weeks)
    return (
        Trajectory.objects.open()
        .filter(
            client__in=clients,
            route__code=Route.EMPLOYEE,
            start_date__lte=deadline.latest_start(limit),
        )
        .select_related("client")
        .order_by("start_date", "pk")
    )


def activities_without_result(
    clients: QuerySet[Client], *, today: datetime.date | None = None
) -> QuerySet[Activity]:
    """Activities that ended (end date passed, or completed) and have no result written down.

    A cancelled activity is left out: it did not run, so there is no result to record.
    """
    today = _today(today)
    return (
        Activity.objects.filter(trajectory__client__in=clients, result="")
        .filter(Q(end_date__lt=today) | Q(status=ActivityStatus.COMPLETED))
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("trajectory__client", "kind")
        .order_by(F("end_date").asc(nulls_last=True), "pk")
    )


def evaluations_due(
    clients: QuerySet[Client], *, today: datetime.date | None = None
) -> QuerySet[Activity]:
    """Running activities of an evaluated kind whose last evaluation (or start) is too long ago.

    Due on the day `evaluation_interval_days` of the activity's kind have passed since the last
    evaluation, or since the start when there was none. Annotates `last_evaluated_on` (None
    when never evaluated) and `due_on`; the interval is a column, so the date sum is SQL.
    """
    today = _today(today)
    last = (
        SkillEvaluation.objects.filter(activity=OuterRef("pk"))
        .order_by("-evaluated_on")
        .values("evaluated_on")[:1]
    )
    return (
        Activity.objects.filter(
            trajectory__client__in=clients,
            status=ActivityStatus.RUNNING,
            kind__evaluated=True,
        )
        .annotate(last_evaluated_on=Subquery(last, output_field=DateField()))
        .annotate(
            due_on=AddDays(
                Coalesce("last_evaluated_on", "start_date"), "kind__evaluation_interval_days"
            )
        )
        .filter(due_on__lte=today)
        .select_related("trajectory__client", "kind")
        .order_by("due_on", "pk")
    )


def ladder_outdated(
    clients: QuerySet[Client], *, today: datetime.date | None = None
) -> QuerySet[Client]:
    """Active clients whose latest ladder measurement is six months old or older.

    A client without any measurement is flagged once registered for six months. Annotates
    `last_ladder_on` (None when never measured).
    """
    today = _today(today)
    bound = today - relativedelta(months=LADDER_MONTHS)
    last = (
        LadderObservation.objects.filter(client=OuterRef("pk"))
        .order_by("-observed_on")
        .values("observed_on")[:1]
    )
    return (
        clients.active_on(today)
        .annotate(last_ladder_on=Subquery(last))
        .filter(
            Q(last_ladder_on__lte=bound) | Q(last_ladder_on__isnull=True, registered_on__lte=bound)
        )
        .order_by(F("last_ladder_on").asc(nulls_first=True), "last_name", "first_name", "pk")
    )


# What the pages show -----------------------------------------------------------------------


@dataclass
class Row:
    """One line of a signal: the client it concerns and what the coach needs to know."""

    client: Client
    detail: str


@dataclass
class Signal:
    code: str
    title: str
    count: int
    rows: list[Row] = field(default_factory=list)  # empty when only counts are shown


def _date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _no_conversation_row(client):
    if client.last_conversation_on is None:
        return Row(client, _("no conversation yet"))
    return Row(
        client, _("last conversation %(date)s") % {"date": _date(client.last_conversation_on)}
    )


def _deadline_row(trajectory):
    return Row(trajectory.client, _("deadline %(date)s") % {"date": _date(trajectory.deadline)})


def _activity_row(activity):
    if activity.end_date:
        detail = _("%(kind)s, ended %(date)s") % {
            "kind": activity.kind,
            "date": _date(activity.end_date),
        }
    else:
        detail = _("%(kind)s, completed") % {"kind": activity.kind}
    return Row(activity.trajectory.client, detail)


def _evaluation_row(activity):
    return Row(
        activity.trajectory.client,
        _("%(kind)s, due since %(date)s") % {"kind": activity.kind, "date": _date(activity.due_on)},
    )


def _ladder_row(client):
    if client.last_ladder_on is None:
        return Row(client, _("not measured yet"))
    return Row(client, _("last measured %(date)s") % {"date": _date(client.last_ladder_on)})


KINDS = [
    ("no_conversation", no_conversation, _no_conversation_row),
    ("deadline", deadline_approaching, _deadline_row),
    ("activity_result", activities_without_result, _activity_row),
    ("evaluation_due", evaluations_due, _evaluation_row),
    ("ladder", ladder_outdated, _ladder_row),
]

TITLES = {
    "no_conversation": gettext_lazy("No conversation in %(days)s days"),
    "deadline": gettext_lazy("Route werknemer: two-year deadline within %(weeks)s weeks"),
    "activity_result": gettext_lazy("Activities ended without a result"),
    "evaluation_due": gettext_lazy("Interim evaluations due"),
    "ladder": gettext_lazy("Participation ladder not measured in six months"),
}


def signals_for(
    clients: QuerySet[Client], *, today: datetime.date | None = None, with_clients: bool = True
) -> list[Signal]:
    """Every signal for these clients: one query per kind, however many rows.

    Without `with_clients` only the counts are read (a manager sees figures, not dossiers).
    """
    today = _today(today)
    numbers = {
        "days": settings.SIGNAL_NO_CONVERSATION_DAYS,
        "weeks": settings.SIGNAL_DEADLINE_WEEKS,
    }
    signals = []
    for code, query, row in KINDS:
        title = str(TITLES[code]) % numbers
        found = query(clients, today=today)
        if with_clients:
            rows = [row(item) for item in found]
            signals.append(Signal(code, title, len(rows), rows))
        else:
            signals.append(Signal(code, title, found.count()))
    return signals
