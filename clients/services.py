"""State changes of the clients app: one function for each action a user would name.

Views, commands, tasks and imports all call these, so a rule holds however a row is written.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import (
    Client,
    Contact,
    Instrument,
    Intake,
    IntakeScore,
    LadderObservation,
)
from core.changelog import record_updates, records_actor
from core.editing import save_versioned
from core.models import Team, User
from core.registry import OrderedRegistry

CLIENT_FIELDS = (
    "first_name",
    "name_prefix",
    "last_name",
    "bsn",
    "birth_date",
    "email",
    "phone",
    "correspondence",
    "address",
    "postcode",
    "municipality",
    "target_group",
    "target_group_register",
    "registered_on",
    "deregistered_on",
    "deregistration_reason",
    "coach",
    "team",
)


# What other apps derive from where a client lives (employers: a candidate's place, for the
# distance to a vacancy) is refreshed by a hook registered here: hook(client_ids), called in
# the same transaction when a client's postcode or municipality changes.
PLACE_CHANGED = OrderedRegistry()


def _place(client: Client) -> tuple:
    return (client.postcode, client.municipality_id)


def client_place_changed(client_ids) -> None:
    """Tell the apps that keep something derived from these clients' place (PLACE_CHANGED)."""
    for hook in PLACE_CHANGED:
        hook(client_ids)


@records_actor
@transaction.atomic
def client_register(*, actor: User, **fields) -> Client:
    """Register a new client; every field is validated, the row is written whole or not at all."""
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    client = Client(**fields)
    client.full_clean()
    client.save()
    return client


@records_actor
@transaction.atomic
def client_update(*, actor: User, client: Client, version: int | None = None, **changes) -> Client:
    """Change a client's data; the audit trail records the before and after.

    `version` is the version the user started editing from: if someone saved the client since,
    nothing is written and ConcurrentEdit carries the client as it is now.
    """
    unknown = set(changes) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown client fields: {sorted(unknown)}")
    if "bsn" in changes and changes["bsn"] != client.bsn:
        raise TypeError("A BSN is changed through client_bsn_change, with a reason.")
    client.check_writable()
    place = _place(client)
    for name, value in changes.items():
        setattr(client, name, value)
    save_versioned(client, version)
    if _place(client) != place:
        client_place_changed([client.pk])
    return client


@records_actor
@transaction.atomic
def client_bsn_change(*, actor: User, client: Client, bsn: str, reason: str) -> Client:
    """Correct a client's BSN, a deliberate action apart from editing the other data: the
    change history keeps the old and new BSN masked, with the reason given."""
    client.check_writable()
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for changing the BSN.")})
    if bsn == client.bsn:
        raise ValidationError({"bsn": _("This is the client's BSN already.")}, code="same")
    client.bsn = bsn
    client.change_reason = reason.strip()
    client.full_clean()
    client.save()
    return client


@records_actor
@transaction.atomic
def contact_log(
    *,
    actor: User,
    client: Client,
    date: datetime.date,
    channel: str,
    subject: str = "",
    notes: str = "",
) -> Contact:
    """Record a contact moment with the client, logged by `actor`."""
    client.check_writable()
    contact = Contact(
        client=client, date=date, channel=channel, subject=subject, notes=notes, author=actor
    )
    contact.full_clean()
    contact.save()
    return contact


@records_actor
@transaction.atomic
def ladder_observe(
    *,
    actor: User,
    client: Client,
    observed_on: datetime.date,
    step: int,
    intake: Intake | None = None,
) -> LadderObservation:
    """Record a dated measurement on the participation ladder."""
    client.check_writable()
    observation = LadderObservation(
        client=client, observed_on=observed_on, step=step, intake=intake, recorded_by=actor
    )
    observation.full_clean()
    observation.save()
    return observation


@dataclass(frozen=True)
class ScoreInput:
    instrument: Instrument
    domain: str
    score: int
    purpose: str = ""


@records_actor
@transaction.atomic
def intake_record(
    *,
    actor: User,
    client: Client,
    held_on: datetime.date,
    ladder_step: int,
    advised_route: str,
    work_estimate: str,
    scores: Iterable[ScoreInput] = (),
    **details,
) -> Intake:
    """Record a diagnosis intake with its scores, and its ladder step as a dated observation."""
    client.check_writable()
    intake = Intake(
        client=client,
        held_on=held_on,
        consultant=actor,
        advised_route=advised_route,
        work_estimate=work_estimate,
        **details,
    )
    intake.full_clean()
    intake.save()
    rows = [
        IntakeScore(
            intake=intake,
            instrument=s.instrument,
            domain=s.domain,
            score=s.score,
            purpose=s.purpose,
        )
        for s in scores
    ]
    for row in rows:  # one save each, so the audit trail records every score
        row.full_clean()
        row.save()
    ladder_observe(actor=actor, client=client, observed_on=held_on, step=ladder_step, intake=intake)
    return intake


@records_actor
@transaction.atomic
def clients_assign(
    *, actor: User, clients: QuerySet[Client], team: Team, coach: User | None = None
) -> int:
    """Give the clients of `clients` that still have neither team nor coach this team (and
    coach); returns how many. The coach becomes a member of the team if not yet, so the team's
    list shows them too. Clients someone assigned meanwhile are left as they are.

    One UPDATE for the lot, so no save signals: the change log gets one entry per client here.
    """
    chosen = (
        Client.objects.filter(pk__in=clients.values("pk"))
        .unassigned()
        .not_anonymised()
        .select_for_update(of=("self",))  # the clients, not the outer-joined coach
    )
    rows = list(
        chosen.values_list("pk", "first_name", "name_prefix", "last_name", "team_id", "coach_id")
    )
    if not rows:
        return 0
    now = timezone.now()
    count = chosen.update(team=team, coach=coach, version=F("version") + 1, updated_at=now)
    if coach is not None:
        # After the update: a client of a memberless team would otherwise stop counting as
        # unassigned the moment the coach joins it, and be left out.
        team.members.add(coach)  # adds nobody who is a member already

    def changes(old_team, old_coach) -> dict:
        # Only what changed, before and after, as auditlog writes it (a memberless team or a
        # coach who left may have been there before).
        new = {"team": team.pk, "coach": coach.pk if coach else None}
        old = {"team": old_team, "coach": old_coach}
        return {f: [str(old[f]), str(new[f])] for f in new if old[f] != new[f]}

    record_updates(
        model=Client,
        actor=actor,
        entries=(
            (pk, " ".join(p for p in (first, prefix, last) if p), changes(old_team, old_coach))
            for pk, first, prefix, last, old_team, old_coach in rows
        ),
    )
    return count
