"""Coach history, caseload capacity and the handover of a caseload (issue 18).

- Every change of a client's coach closes the client's open CoachPeriod and opens one for the
  new coach, with the reason: registration (clients.services.client_register), an edit
  (client_update), the unassigned worklist (clients_assign), a handover (caseload_hand_over)
  and the interchange import (coach_periods_sync, set-wise like the import itself).
- A coach's capacity: their caseload (active clients, not anonymised) against their maximum,
  set per coach or following from their hours of casework (settings.CASELOAD_PER_FULL_TIME per
  settings.CASELOAD_FULL_TIME_HOURS, rounded down). Computed by the database, one query for a
  whole overview.
- The handover moves all or some of a coach's clients to one or more coaches of a team in one
  transaction, spread over them by most room, with the change history, the coach periods and a
  handover note per client that the new coach sees on the dossier until they dismiss it.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import (
    Client,
    CoachChangeReason,
    CoachPeriod,
    HandoverNote,
    on_caseload,
)
from core import roles
from core.changelog import record_updates, records_actor
from core.models import Team, User

CHUNK = 500  # ids per IN (...) list: well below SQLite's limit of bound parameters

# The reasons a team leader chooses from when handing over.
HANDOVER_REASONS = [CoachChangeReason.COACH_LEFT, CoachChangeReason.HANDOVER]


# --- Capacity ----------------------------------------------------------------------------------


def maximum_expression(prefix: str = "") -> Coalesce:
    """A coach's maximum caseload: set for them, or their share of a full-time caseload (their
    hours of casework over a full-time week, rounded down), reached through `prefix`."""
    share = (
        F(f"{prefix}casework_hours")
        * Value(settings.CASELOAD_PER_FULL_TIME)
        / Value(settings.CASELOAD_FULL_TIME_HOURS)
    )
    return Coalesce(F(f"{prefix}max_caseload"), share, output_field=IntegerField())


def caseload_expression(outer: str = "pk", on: datetime.date | None = None) -> Coalesce:
    """How many clients the coach in `outer` has on their caseload on `on` (today): active
    (kpis.md, on the caseload) and not anonymised. A subquery, so it joins nothing."""
    on = on or timezone.localdate()
    counted = (
        Client.objects.filter(on_caseload(on), coach=OuterRef(outer), anonymised_at__isnull=True)
        .order_by()
        .values("coach")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_capacity(users: QuerySet, on: datetime.date | None = None) -> QuerySet:
    """Annotate users with `clients_count` (their caseload), `maximum` and `room`."""
    return users.annotate(
        clients_count=caseload_expression("pk", on), maximum=maximum_expression()
    ).annotate(room=F("maximum") - F("clients_count"))


def caseworkers(*, active: bool = True) -> QuerySet:
    """Users who can carry a caseload: work coaches and diagnosis consultants (active ones, or
    also those who left)."""
    users = User.objects.filter(
        pk__in=User.objects.filter(
            groups__name__in=[roles.WORK_COACH, roles.DIAGNOSIS_CONSULTANT]
        ).values("pk"),
    )
    return users.filter(is_active=True) if active else users


def coaches() -> QuerySet:
    """The active work coaches: whom a caseload is handed over to."""
    return User.objects.filter(
        is_active=True,
        pk__in=User.objects.filter(groups__name=roles.WORK_COACH).values("pk"),
    )


def team_capacity(team: Team | None = None) -> QuerySet:
    """Every work coach of every team (or of `team`) with their caseload, maximum and room, and
    anyone else who still has clients (a coach who left, a diagnosis consultant), to hand those
    over: rows of the team membership, one query however many."""
    Membership = Team.members.through
    rows = Membership.objects.filter(user__in=caseworkers(active=False))
    if team is not None:
        rows = rows.filter(team=team)
    return (
        rows.select_related("team", "user")
        .annotate(
            clients_count=caseload_expression("user_id"),
            maximum=maximum_expression("user__"),
        )
        .annotate(room=F("maximum") - F("clients_count"))
        .filter(Q(user__in=coaches()) | Q(clients_count__gt=0))
        .order_by("team__name", "user__first_name", "user__last_name", "user__username")
    )


def most_room(coaches: Iterable) -> object | None:
    """The coach (a row with `room`) with the most room; the first of equals."""
    best = None
    for coach in coaches:
        if best is None or coach.room > best.room:
            best = coach
    return best


def departing_caseload(coach: User) -> QuerySet:
    """The clients a handover can move from `coach`: theirs, not anonymised, not deregistered
    (today or earlier)."""
    today = timezone.localdate()
    return (
        Client.objects.filter(coach=coach)
        .not_anonymised()
        .exclude(deregistered_on__lte=today)
        .select_related("team")
    )


# --- Coach periods -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoachChange:
    client_id: int
    old_coach_id: int | None
    new_coach_id: int | None
    team_id: int | None


def _chunks(ids: Sequence[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _end_on(on: datetime.date):
    # A period that starts after `on` (a registration dated ahead) ends the day it starts.
    return Case(When(started_on__gt=on, then=F("started_on")), default=Value(on))


def coach_periods_record(
    *,
    changes: Iterable[CoachChange],
    on: datetime.date,
    reason: str,
    actor: User | None,
    note: str = "",
    started_on: dict[int, datetime.date] | None = None,
) -> int:
    """Close the open period of each client whose coach changed and open one for the new coach
    (none when the client is left without one). `started_on` gives a client's own start (a
    registration's date). Set-wise: one UPDATE and one INSERT per CHUNK clients."""
    moved = [c for c in changes if c.old_coach_id != c.new_coach_id]
    if not moved:
        return 0
    ids = [c.client_id for c in moved]
    for chunk in _chunks(ids):
        CoachPeriod.objects.open().filter(client_id__in=chunk).update(ended_on=_end_on(on))
    started_on = started_on or {}
    CoachPeriod.objects.bulk_create(
        (
            CoachPeriod(
                client_id=c.client_id,
                coach_id=c.new_coach_id,
                team_id=c.team_id,
                started_on=started_on.get(c.client_id, on),
                reason=reason,
                note=note,
                changed_by=actor,
            )
            for c in moved
            if c.new_coach_id is not None
        ),
        batch_size=1_000,
    )
    return len(moved)


def coach_period_change(
    *, client: Client, old_coach_id: int | None, actor: User | None, reason: str, note: str = ""
) -> None:
    """After one client's coach changed (or was first set): its coach periods follow. The
    first period starts at registration; a later one today, also after a time without a coach
    (from registration it would overlap the periods before)."""
    first = old_coach_id is None and not CoachPeriod.objects.filter(client=client).exists()
    coach_periods_record(
        changes=[CoachChange(client.pk, old_coach_id, client.coach_id, client.team_id)],
        on=client.registered_on if first else timezone.localdate(),
        reason=reason,
        actor=actor,
        note=note,
    )


def coach_periods_sync(
    *,
    clients: QuerySet,
    actor: User | None,
    on: datetime.date | None = None,
    reason: str = CoachChangeReason.IMPORT,
) -> None:
    """Make the coach periods of `clients` follow their coach after a set-wise write (the
    interchange import): an open period with another coach ends on `on` (today); a client with a
    coach and no open period gets one, from `on`, or from registration if it had none before.
    Two statements however many clients, like the import's own writes."""
    on = on or timezone.localdate()
    ops = connection.ops
    chosen = clients.order_by().values("pk")
    CoachPeriod.objects.open().filter(client__in=chosen).filter(
        Q(client__coach__isnull=True) | ~Q(coach_id=F("client__coach_id"))
    ).update(ended_on=_end_on(on))
    period, client = CoachPeriod._meta.db_table, Client._meta.db_table
    subquery, params = chosen.query.sql_with_params()
    q = ops.quote_name
    sql = (
        f"INSERT INTO {q(period)} (client_id, coach_id, team_id, started_on, reason, note, "
        "changed_by_id, created_at) "
        f"SELECT c.id, c.coach_id, c.team_id, CASE WHEN EXISTS (SELECT 1 FROM {q(period)} p "
        "WHERE p.client_id = c.id) THEN %s ELSE c.registered_on END, %s, '', %s, %s "
        f"FROM {q(client)} c WHERE c.coach_id IS NOT NULL AND c.id IN ({subquery}) "
        f"AND NOT EXISTS (SELECT 1 FROM {q(period)} p WHERE p.client_id = c.id "
        "AND p.ended_on IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                ops.adapt_datefield_value(on),
                str(reason),
                actor.pk if actor else None,
                ops.adapt_datetimefield_value(timezone.now()),
                *params,
            ],
        )


# --- Moving clients ----------------------------------------------------------------------------

# (pk, first name, prefix, last name, team id, coach id): what a move needs of each client.
ROW_FIELDS = ("pk", "first_name", "name_prefix", "last_name", "team_id", "coach_id")


def clients_move(
    *,
    actor: User,
    rows: Sequence[tuple],
    targets: dict[int, tuple[int | None, int | None]],
    reason: str,
    note: str = "",
) -> int:
    """Give each client of `rows` (ROW_FIELDS, locked by the caller) its (team id, coach id) of
    `targets`: one UPDATE per target, one change-history entry and coach period per client.

    One UPDATE per target, so no save signals: the change log gets its entries here. Shared by
    the worklist (clients_assign) and the handover (caseload_hand_over)."""
    by_target: dict[tuple, list[int]] = {}
    for pk, *_names, _team, _coach in rows:
        by_target.setdefault(targets[pk], []).append(pk)
    now = timezone.now()
    count = 0
    for (team_id, coach_id), ids in by_target.items():
        for chunk in _chunks(ids):
            count += Client.objects.filter(pk__in=chunk).update(
                team_id=team_id, coach_id=coach_id, version=F("version") + 1, updated_at=now
            )

    def changes(pk, old_team, old_coach) -> dict:
        # Only what changed, before and after, as auditlog writes it.
        team_id, coach_id = targets[pk]
        new = {"team": team_id, "coach": coach_id}
        old = {"team": old_team, "coach": old_coach}
        return {f: [str(old[f]), str(new[f])] for f in new if old[f] != new[f]}

    record_updates(
        model=Client,
        actor=actor,
        entries=(
            (pk, " ".join(p for p in (first, prefix, last) if p), changes(pk, old_team, old_coach))
            for pk, first, prefix, last, old_team, old_coach in rows
        ),
    )
    coach_periods_record(
        changes=[
            CoachChange(pk, old_coach, targets[pk][1], targets[pk][0])
            for pk, *_names, _old_team, old_coach in rows
        ],
        on=timezone.localdate(),
        reason=reason,
        actor=actor,
        note=note,
    )
    return count


def spread(clients: Sequence[int], coaches: Sequence) -> dict[int, object]:
    """Each client to the coach with the most room left (rows with `room`), one at a time, so a
    handover evens the caseloads out; equals in the order given."""
    room = {coach.pk: coach.room for coach in coaches}
    chosen = {}
    for client in clients:
        coach = max(coaches, key=lambda c: (room[c.pk], -coaches.index(c)))
        chosen[client] = coach
        room[coach.pk] -= 1
    return chosen


@records_actor
@transaction.atomic
def caseload_hand_over(
    *,
    actor: User,
    from_coach: User,
    clients: QuerySet,
    team: Team,
    to_coaches: Sequence[User],
    note: str,
    reason: str = CoachChangeReason.HANDOVER,
) -> dict[User, int]:
    """Hand the clients of `clients` that are `from_coach`'s over to the coaches `to_coaches`
    of `team`, spread over them by most room, in one transaction: each client joins `team`, the
    change history and coach periods record it, and each new coach gets `note` on the dossier
    until they dismiss it. Returns how many clients each new coach received."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write a handover note for the new coach.")})
    if reason not in HANDOVER_REASONS:
        raise ValidationError({"reason": _("Choose why the clients are handed over.")})
    to_ids = {coach.pk for coach in to_coaches}
    if not to_ids:
        raise ValidationError({"to_coaches": _("Choose at least one coach to hand over to.")})
    if from_coach.pk in to_ids:
        raise ValidationError(
            {"to_coaches": _("A caseload cannot be handed over to the coach it comes from.")}
        )
    candidates = list(
        with_capacity(coaches().filter(pk__in=to_ids, teams=team)).order_by(
            "-room", "first_name", "last_name", "username"
        )
    )
    if len(candidates) != len(to_ids):
        raise ValidationError(
            {"to_coaches": _("Hand over only to active work coaches of %(team)s.") % {"team": team}}
        )
    chosen = (
        Client.objects.filter(pk__in=clients.values("pk"))
        .filter(pk__in=departing_caseload(from_coach).values("pk"))
        .select_for_update(of=("self",))
        .order_by("last_name", "first_name", "pk")
    )
    rows = list(chosen.values_list(*ROW_FIELDS))
    if not rows:
        raise ValidationError(
            _("None of these clients is on %(coach)s's caseload (any more).")
            % {"coach": from_coach}
        )
    to_coach = spread([row[0] for row in rows], candidates)
    clients_move(
        actor=actor,
        rows=rows,
        targets={pk: (team.pk, coach.pk) for pk, coach in to_coach.items()},
        reason=reason,
        note=note,
    )
    now = timezone.now()
    HandoverNote.objects.bulk_create(
        HandoverNote(
            client_id=pk,
            from_coach=from_coach,
            to_coach_id=coach.pk,
            text=note,
            written_by=actor,
            created_at=now,
        )
        for pk, coach in to_coach.items()
    )
    received: dict[User, int] = {}
    for coach in to_coach.values():
        received[coach] = received.get(coach, 0) + 1
    return received


@records_actor
@transaction.atomic
def handover_note_dismiss(*, actor: User, note: HandoverNote) -> HandoverNote:
    """The new coach has read the handover note: it leaves their dossier view (the change
    history and the coach history keep it). Only the coach it was written for dismisses it; a
    second dismiss changes nothing."""
    if note.to_coach_id != actor.pk:
        raise ValidationError(_("Only the new coach can dismiss this handover note."))
    note = HandoverNote.objects.select_for_update().get(pk=note.pk)
    if note.dismissed_at is None:
        note.dismissed_at, note.dismissed_by = timezone.now(), actor
        note.save(update_fields=["dismissed_at", "dismissed_by"])
    return note


def anonymise(client: Client) -> None:
    """Free text about the client goes with the anonymisation (privacy.services); who coached
    when and why stays (the dates and reasons are no personal details of the client)."""
    CoachPeriod.objects.filter(client=client).update(note="")
    HandoverNote.objects.filter(client=client).update(text="")
