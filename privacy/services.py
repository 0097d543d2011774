"""State changes of the privacy app: retention proposals and the anonymisation of clients."""

import datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import (
    Client,
    Contact,
    Correction,
    Intake,
    IntakeScore,
    LadderObservation,
)
from clients.services import client_place_changed
from core import gdpr, jobs
from core.changelog import records_actor
from core.models import User
from employers.models import MatchEvent
from placements.models import Placement, Provision, WageValueAssessment
from privacy.models import (
    ItemState,
    ProposalStatus,
    RetentionProposal,
    RetentionProposalItem,
)
from privacy.retention import clients_due, retention_years, years_before
from trajectories.models import Activity, Goal, SkillEvaluation

# What an anonymised client is called (stored, so every list shows it without a rule).
ANONYMISED_FIRST_NAME = "Geanonimiseerde"
ANONYMISED_LAST_NAME = "cliënt"
# A ZRM score must keep a purpose (a database constraint); its free text is replaced by this.
ANONYMISED_TEXT = "Geanonimiseerd"


@records_actor
@transaction.atomic
def client_anonymise(*, client: Client, actor: User | None) -> Client:
    """Remove what identifies the client and keep what the KPIs count; idempotent.

    Kept: registration and deregistration dates and reason, target group (and register),
    municipality, team, coach, and the birth year (birth date becomes 1 July of that year).
    Removed: names (a fixed placeholder), BSN, e-mail, phone, address, postcode, and the free
    text of contacts, intakes, trajectory goals (a required field: the placeholder), activity
    providers and results, skill-evaluation notes, and the notes of placements, wage-value
    assessments and provisions; the client's documents and letters are deleted, their files
    after commit. The change history keeps its old values
    (it is append-only); this change is written to it as one entry without values.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.anonymised_at is not None:
        return client
    now = timezone.now()
    # No automatic history entry: it would copy every removed value into a new row.
    with disable_auditlog():
        client.first_name = ANONYMISED_FIRST_NAME
        client.name_prefix = ""
        client.last_name = ANONYMISED_LAST_NAME
        client.bsn = None
        client.birth_date = datetime.date(client.birth_date.year, 7, 1)
        client.email = client.phone = client.address = client.postcode = ""
        client.anonymised_at = now
        client.save()
        client_place_changed([client.pk])  # the postcode is gone
        # Removed records too (soft delete, issue 17), with their reasons and corrections.
        Contact.with_removed.filter(client=client).update(subject="", notes="", removal_reason="")
        Intake.with_removed.filter(client=client).update(
            dream="", functional_limitations="", capacity="", advice_notes="", removal_reason=""
        )
        LadderObservation.with_removed.filter(client=client).update(removal_reason="")
        Correction.objects.filter(client=client).update(reason="", changes=[])
        IntakeScore.objects.filter(intake__client=client).exclude(purpose="").update(
            purpose=ANONYMISED_TEXT
        )
        Goal.objects.filter(trajectory__client=client).update(description=ANONYMISED_TEXT)
        Activity.objects.filter(trajectory__client=client).update(provider="", result="")
        SkillEvaluation.with_removed.filter(activity__trajectory__client=client).update(
            notes="", removal_reason=""
        )
        # Placements, wage value and provisions keep their dates, kinds and figures (the KPIs
        # count them); their free text goes.
        Placement.objects.filter(client=client).update(notes="")
        WageValueAssessment.objects.filter(client=client).update(notes="")
        Provision.objects.filter(client=client).update(notes="")
        # The account managers' notes on each step of a match.
        MatchEvent.objects.filter(match__client=client).update(note="")
        # And whatever the apps registered (core.gdpr.register_anonymiser): documents and
        # letters, appointments, households, coach periods, referrals, school leavers, ...
        gdpr.anonymise(client)
    LogEntry.objects.log_create(
        client,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={"anonymised_at": ["None", now.isoformat()]},
        changes_text="Geanonimiseerd na afloop van de bewaartermijn",
    )
    return client


@transaction.atomic
def proposal_build(*, today: datetime.date | None = None) -> RetentionProposal | None:
    """Propose the clients whose retention period has ended; None when there are none.

    A client already in an unfinished proposal is left out, and a partial unique index on the
    items refuses a second one even when two runs race.
    """
    today = today or timezone.localdate()
    years = retention_years()
    due = list(clients_due(today=today, years=years).values_list("pk", flat=True))
    if not due:
        return None
    proposal = RetentionProposal.objects.create(
        retention_years=years, deregistered_before=years_before(today, years)
    )
    RetentionProposalItem.objects.bulk_create(
        RetentionProposalItem(proposal=proposal, client_id=pk) for pk in due
    )
    return proposal


@records_actor
@transaction.atomic
def proposal_item_take_out(*, item: RetentionProposalItem, actor: User) -> RetentionProposalItem:
    """Keep this client: take them out of the open proposal (the row stays as a record)."""
    taken = RetentionProposalItem.objects.filter(
        pk=item.pk, state=ItemState.PROPOSED, proposal__status=ProposalStatus.OPEN
    ).update(state=ItemState.TAKEN_OUT, taken_out_by=actor, taken_out_at=timezone.now())
    if not taken:
        raise ValidationError(
            _("This client can no longer be taken out: the proposal is no longer open.")
        )
    item.refresh_from_db()
    return item


@records_actor
@transaction.atomic
def proposal_approve(*, proposal: RetentionProposal, actor: User) -> RetentionProposal:
    """Approve the remaining clients; a worker anonymises them after this transaction commits."""
    claimed = RetentionProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.OPEN).update(
        status=ProposalStatus.APPROVED, approved_by=actor, approved_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("This proposal was already approved."))
    RetentionProposalItem.objects.filter(proposal=proposal, state=ItemState.PROPOSED).update(
        state=ItemState.APPROVED
    )
    # By the task's name: the task imports this module, not the other way round.
    jobs.task_enqueue("privacy.tasks.retention_anonymise", proposal.pk)
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def proposal_anonymise(*, proposal_id: int) -> int:
    """Anonymise the approved clients of a proposal; returns how many. A second run does nothing.

    The claim (approved -> done) and the work share one transaction: if the worker dies halfway,
    both roll back and the redelivered message claims the proposal again.
    """
    claimed = RetentionProposal.objects.filter(
        pk=proposal_id, status=ProposalStatus.APPROVED
    ).update(status=ProposalStatus.DONE)
    if not claimed:
        return 0
    proposal = RetentionProposal.objects.select_related("approved_by").get(pk=proposal_id)
    items = RetentionProposalItem.objects.filter(
        proposal=proposal, state=ItemState.APPROVED
    ).select_related("client")
    count = 0
    for item in items:
        client_anonymise(client=item.client, actor=proposal.approved_by)
        count += 1
    RetentionProposalItem.objects.filter(proposal=proposal, state=ItemState.APPROVED).update(
        state=ItemState.ANONYMISED
    )
    RetentionProposal.objects.filter(pk=proposal_id).update(completed_at=timezone.now())
    return count
