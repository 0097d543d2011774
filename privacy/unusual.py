"""The weekly report of unusual access, computed by the database.

Three findings for the week [week_start, week_start + 7 days), in local time:

- unusual volume: a user's granted dossier reads in the week, against their average weekly
  reads over the BASELINE_WEEKS weeks before it. Flagged when reads > factor x average AND
  reads >= minimum (settings AUDIT_UNUSUAL_READS_FACTOR and AUDIT_UNUSUAL_READS_MINIMUM), so a
  quiet user's jump from 1 to 4 reads is not news, nor a busy user's ordinary week.
- denied accesses: every user with at least one denied access in the week.
- outside scope: granted reads of clients that are neither in the user's caseload (coach) nor
  in one of the user's teams. Judged against caseloads and teams as they are when the report
  runs: the application keeps no history of team membership.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from audit.models import AccessKind, AccessLog, AccessReport, AccessResult
from clients.models import Client

BASELINE_WEEKS = 8


def week_bounds(week_start: datetime.date) -> tuple[datetime.datetime, ...]:
    """(baseline start, week start, week end) as aware datetimes at local midnight."""

    def midnight(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return (
        midnight(week_start - datetime.timedelta(weeks=BASELINE_WEEKS)),
        midnight(week_start),
        midnight(week_start + datetime.timedelta(weeks=1)),
    )


def _who(row) -> dict:
    name = f"{row.pop('first_name') or ''} {row.pop('last_name') or ''}".strip()
    return {**row, "name": name or row["username"]}


_NAMES = {
    "username": Max("username"),
    "first_name": Max("user__first_name"),
    "last_name": Max("user__last_name"),
}


def unusual_volume(*, week_start: datetime.date, factor: Decimal, minimum: int) -> list[dict]:
    """Users who read far more dossiers this week than on average in the weeks before."""
    baseline_start, start, end = week_bounds(week_start)
    rows = (
        AccessLog.objects.filter(
            kind=AccessKind.DOSSIER,
            result=AccessResult.GRANTED,
            user__isnull=False,
            at__gte=baseline_start,
            at__lt=end,
        )
        .values("user_id")
        .annotate(
            reads=Count("pk", filter=Q(at__gte=start)),
            baseline_reads=Count("pk", filter=Q(at__lt=start)),
            **_NAMES,
        )
        # reads > factor x baseline_reads / BASELINE_WEEKS, without integer division
        .annotate(
            excess=ExpressionWrapper(
                F("reads") * BASELINE_WEEKS - F("baseline_reads") * Value(float(factor)),
                output_field=FloatField(),
            )
        )
        .filter(reads__gte=minimum, excess__gt=0)
        .values("user_id", "reads", "baseline_reads", *_NAMES)
        .order_by("-reads", "username")
    )
    return [
        {**_who(row), "weekly_average": round(row["baseline_reads"] / BASELINE_WEEKS, 1)}
        for row in rows
    ]


def denied_accesses(*, week_start: datetime.date) -> list[dict]:
    """Users with denied accesses this week: how many, and to how many different objects."""
    _baseline, start, end = week_bounds(week_start)
    rows = (
        AccessLog.objects.denied()
        .filter(at__gte=start, at__lt=end)
        .values("user_id")
        .annotate(denied=Count("pk"), objects=Count("object_id", distinct=True), **_NAMES)
        .order_by("-denied", "username")
    )
    return [_who(row) for row in rows]


def outside_scope_reads(*, week_start: datetime.date) -> list[dict]:
    """Users who read clients outside their caseload and teams this week."""
    _baseline, start, end = week_bounds(week_start)
    # object_id is text; compare the client's id as text, so no cast can fail on PostgreSQL.
    client = Client.objects.annotate(pk_text=Cast("pk", CharField())).filter(
        pk_text=OuterRef("object_id")
    )
    in_scope = client.filter(Q(coach_id=OuterRef("user_id")) | Q(team__members=OuterRef("user_id")))
    rows = (
        AccessLog.objects.filter(
            object_type=Client._meta.label_lower,
            result=AccessResult.GRANTED,
            user__isnull=False,
            at__gte=start,
            at__lt=end,
        )
        .filter(Exists(client), ~Exists(in_scope))
        .values("user_id")
        .annotate(reads=Count("pk"), clients=Count("object_id", distinct=True), **_NAMES)
        .order_by("-reads", "username")
    )
    return [_who(row) for row in rows]


def findings(*, week_start: datetime.date, factor: Decimal, minimum: int) -> dict[str, list]:
    """All three findings of the week, as plain data to store with the report."""
    return {
        "unusual_volume": unusual_volume(week_start=week_start, factor=factor, minimum=minimum),
        "denied": denied_accesses(week_start=week_start),
        "outside_scope": outside_scope_reads(week_start=week_start),
    }


def last_week_start(today: datetime.date) -> datetime.date:
    """The Monday of the last complete week before `today`."""
    return today - datetime.timedelta(days=today.weekday() + 7)


@transaction.atomic
def access_report_create(*, week_start: datetime.date) -> AccessReport:
    """Compute and store the report of unusual access of one week; a rerun replaces it."""
    factor = Decimal(str(settings.AUDIT_UNUSUAL_READS_FACTOR))
    minimum = settings.AUDIT_UNUSUAL_READS_MINIMUM
    report, _created = AccessReport.objects.update_or_create(
        week_start=week_start,
        defaults={
            "factor": factor,
            "minimum_reads": minimum,
            "findings": findings(week_start=week_start, factor=factor, minimum=minimum),
        },
    )
    return report
