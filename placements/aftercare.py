"""Aftercare (DOMAIN.md step 8): what a coach must follow up after a placement, and the daily job
that turns it into follow-up items.

Three kinds of due items, for the clients in scope (usually the coach's own caseload):

- a temporary contract of a running placement that ends within AFTERCARE_CONTRACT_END_WEEKS;
- a retention check 6 and 12 months after a placement started, from AFTERCARE_CONTRACT_END_WEEKS
  before that date until RETENTION_OVERDUE_WEEKS after it, if the placement was still running
  on that date;
- a granted provision whose re-assessment date is within the look-ahead (or passed), while the
  provision runs.

An item disappears once its follow-up is marked done. `follow_ups_create` (the daily Celery
beat job) writes a FollowUp per item, assigned to the client's coach; the unique constraints on
FollowUp make a second run on the same day (or any later day) create nothing.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from clients.models import Client
from placements.models import (
    Contract,
    Decision,
    FollowUp,
    FollowUpKind,
    Placement,
    Provision,
)

RETENTION_MONTHS = {FollowUpKind.RETENTION_6_MONTHS: 6, FollowUpKind.RETENTION_12_MONTHS: 12}
RETENTION_OVERDUE_WEEKS = 8


def look_ahead() -> datetime.timedelta:
    return datetime.timedelta(weeks=settings.AFTERCARE_CONTRACT_END_WEEKS)


@dataclass(frozen=True)
class DueItem:
    kind: str
    client: Client
    due_on: datetime.date
    placement: Placement | None = None
    provision: Provision | None = None
    follow_up: FollowUp | None = None

    @property
    def key(self) -> tuple:
        subject = ("placement", self.placement.pk) if self.placement else ("provision",)
        if self.provision:
            subject = ("provision", self.provision.pk)
        return (self.kind, *subject, self.due_on)

    def label(self) -> str:
        return FollowUpKind(self.kind).label


def _follow_up_key(follow_up: FollowUp) -> tuple:
    if follow_up.placement_id:
        return (follow_up.kind, "placement", follow_up.placement_id, follow_up.due_on)
    return (follow_up.kind, "provision", follow_up.provision_id, follow_up.due_on)


def contracts_ending(clients: QuerySet, today: datetime.date) -> QuerySet:
    """Running placements on a temporary contract that ends between today and the look-ahead."""
    return (
        Placement.objects.filter(client__in=clients, contract=Contract.TEMPORARY)
        .filter(contract_end_date__gte=today, contract_end_date__lte=today + look_ahead())
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("client", "employer")
        .order_by("contract_end_date", "pk")
    )


def _retention_candidates(clients: QuerySet, today: datetime.date) -> QuerySet:
    """Placements with a 6- or 12-month date in the window (a wider start-date window in SQL)."""
    earliest = today - datetime.timedelta(weeks=RETENTION_OVERDUE_WEEKS)
    latest = today + look_ahead()
    windows = Q()
    for months in RETENTION_MONTHS.values():
        # start + months lies in [earliest, latest] only if start lies in this range (a day of
        # slack on each side for month ends; the exact check is done per row below).
        windows |= Q(
            start_date__gte=earliest - relativedelta(months=months, days=3),
            start_date__lte=latest - relativedelta(months=months) + datetime.timedelta(days=3),
        )
    return (
        Placement.objects.filter(client__in=clients)
        .filter(windows)
        .select_related("client", "employer")
        .order_by("start_date", "pk")
    )


def retention_checks(clients: QuerySet, today: datetime.date) -> list[DueItem]:
    earliest = today - datetime.timedelta(weeks=RETENTION_OVERDUE_WEEKS)
    latest = today + look_ahead()
    items = []
    for placement in _retention_candidates(clients, today):
        for kind, months in RETENTION_MONTHS.items():
            due = placement.start_date + relativedelta(months=months)
            still_running = placement.end_date is None or placement.end_date >= due
            if earliest <= due <= latest and still_running:
                items.append(DueItem(kind, placement.client, due, placement=placement))
    return items


def reassessments_due(clients: QuerySet, today: datetime.date) -> QuerySet:
    """Granted provisions, still running, with a re-assessment date up to the look-ahead."""
    return (
        Provision.objects.filter(client__in=clients, decision=Decision.GRANTED)
        .filter(reassess_on__isnull=False, reassess_on__lte=today + look_ahead())
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("client", "placement__employer")
        .order_by("reassess_on", "pk")
    )


def due_items(clients: QuerySet, today: datetime.date) -> list[DueItem]:
    """Every due item for these clients, by date (three queries)."""
    items = [
        DueItem(FollowUpKind.CONTRACT_END, p.client, p.contract_end_date, placement=p)
        for p in contracts_ending(clients, today)
    ]
    items += retention_checks(clients, today)
    items += [
        DueItem(FollowUpKind.REASSESSMENT, p.client, p.reassess_on, provision=p)
        for p in reassessments_due(clients, today)
    ]
    items.sort(key=lambda item: (item.due_on, item.kind))
    return items


@dataclass(frozen=True)
class Aftercare:
    """The start-page section: open due items with their follow-up (if the job made one)."""

    contracts_ending: list[DueItem]
    retention_checks: list[DueItem]
    reassessments: list[DueItem]
    weeks: int

    def __bool__(self):
        return bool(self.contracts_ending or self.retention_checks or self.reassessments)


def aftercare_for(clients: QuerySet, today: datetime.date | None = None) -> Aftercare:
    """Open aftercare for these clients (four queries): done follow-ups are left out."""
    today = today or timezone.localdate()
    items = due_items(clients, today)
    # One query whatever the items: the follow-ups in the window the items span.
    earliest = min((i.due_on for i in items), default=today)
    follow_ups = {
        _follow_up_key(f): f
        for f in FollowUp.objects.filter(
            client__in=clients, due_on__gte=earliest, due_on__lte=today + look_ahead()
        )
    }
    open_items = []
    for item in items:
        follow_up = follow_ups.get(item.key)
        if follow_up is not None and follow_up.done_at is not None:
            continue
        open_items.append(
            DueItem(
                item.kind,
                item.client,
                item.due_on,
                placement=item.placement,
                provision=item.provision,
                follow_up=follow_up,
            )
        )
    return Aftercare(
        contracts_ending=[i for i in open_items if i.kind == FollowUpKind.CONTRACT_END],
        retention_checks=[i for i in open_items if i.kind in RETENTION_MONTHS],
        reassessments=[i for i in open_items if i.kind == FollowUpKind.REASSESSMENT],
        weeks=settings.AFTERCARE_CONTRACT_END_WEEKS,
    )


def follow_ups_create(today: datetime.date | None = None) -> int:
    """Write a follow-up for every due item of every client with a coach; returns how many new.

    INSERT ... ON CONFLICT DO NOTHING (bulk_create with ignore_conflicts) against the unique
    constraints of FollowUp: a second run, or two runs at once, create nothing twice.
    """
    today = today or timezone.localdate()
    clients = Client.objects.filter(coach__isnull=False, anonymised_at__isnull=True)
    rows = [
        FollowUp(
            kind=item.kind,
            client=item.client,
            placement=item.placement,
            provision=item.provision,
            due_on=item.due_on,
            assigned_to_id=item.client.coach_id,
        )
        for item in due_items(clients, today)
    ]
    before = FollowUp.objects.count()
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return FollowUp.objects.count() - before
