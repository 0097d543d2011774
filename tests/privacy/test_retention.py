"""Retention proposals and the anonymisation of clients."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clients.models import Client, Contact, Intake, IntakeScore
from privacy import services, tasks
from privacy.models import (
    ItemState,
    ProposalStatus,
    RetentionPeriod,
    RetentionProposal,
    RetentionProposalItem,
)
from privacy.retention import retention_years, years_before
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


def deregistered(on: datetime.date, **fields) -> Client:
    return ClientFactory(
        registered_on=datetime.date(1995, 1, 2),
        deregistered_on=on,
        deregistration_reason="work",
        **fields,
    )


def test_retention_is_seven_years_unless_the_records_manager_set_one(settings):
    assert settings.RETENTION_YEARS == 7
    assert retention_years() == 7
    RetentionPeriod.objects.create(dossier_kind="client", years=10)
    assert retention_years() == 10


def test_exactly_seven_years_ago_is_included_one_day_less_is_not():
    # 15 March 2026 minus 7 years is 15 March 2019: deregistered that day -> proposed.
    exactly = deregistered(datetime.date(2019, 3, 15))
    earlier = deregistered(datetime.date(2018, 6, 1))
    a_day_short = deregistered(datetime.date(2019, 3, 16))
    ClientFactory(registered_on=datetime.date(2010, 1, 4))  # still registered
    proposal = services.proposal_build(today=TODAY)
    assert proposal.deregistered_before == datetime.date(2019, 3, 15)
    assert proposal.retention_years == 7
    proposed = set(proposal.items.values_list("client_id", flat=True))
    assert proposed == {exactly.pk, earlier.pk}
    assert a_day_short.pk not in proposed


def test_leap_day_counts_back_to_28_february():
    assert years_before(datetime.date(2028, 2, 29), 7) == datetime.date(2021, 2, 28)


def test_running_twice_makes_no_second_proposal_with_the_same_clients():
    deregistered(datetime.date(2018, 1, 1))
    first = services.proposal_build(today=TODAY)
    assert services.proposal_build(today=TODAY) is None
    assert RetentionProposal.objects.count() == 1
    # A client deregistered since is proposed on its own next time.
    later = deregistered(datetime.date(2019, 3, 1))
    second = services.proposal_build(today=TODAY)
    assert list(second.items.values_list("client_id", flat=True)) == [later.pk]
    assert first.items.count() == 1


def test_the_database_refuses_a_client_in_two_unfinished_proposals():
    client = deregistered(datetime.date(2018, 1, 1))
    services.proposal_build(today=TODAY)
    other = RetentionProposal.objects.create(
        retention_years=7, deregistered_before=datetime.date(2019, 3, 15)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionProposalItem.objects.create(proposal=other, client=client)


def test_anonymised_and_taken_out_clients(functional_admin):
    done = deregistered(datetime.date(2018, 1, 1))
    services.client_anonymise(client=done, actor=functional_admin)
    kept = deregistered(datetime.date(2018, 1, 1))
    proposal = services.proposal_build(today=TODAY)
    assert list(proposal.items.values_list("client_id", flat=True)) == [kept.pk]
    services.proposal_item_take_out(item=proposal.items.get(), actor=functional_admin)
    # Taken out is no longer pending: a later run may propose the client again.
    again = services.proposal_build(today=TODAY)
    assert list(again.items.values_list("client_id", flat=True)) == [kept.pk]


def test_the_beat_task_is_scheduled_and_returns_the_proposal(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["propose-retention"]["task"]
        == "privacy.tasks.retention_propose"
    )
    deregistered(datetime.date(2000, 1, 1))
    proposal_id = tasks.retention_propose()
    assert RetentionProposal.objects.get().pk == proposal_id
    assert tasks.retention_propose() is None


def test_anonymise_removes_identifying_data_and_keeps_what_kpis_need(rich_client, coach, team):
    client = rich_client
    Client.objects.filter(pk=client.pk).update(
        registered_on=datetime.date(2012, 9, 3),
        deregistered_on=datetime.date(2018, 5, 1),
        deregistration_reason="moved",
    )
    client.refresh_from_db()
    before_version = client.version
    services.client_anonymise(client=client, actor=coach)
    client.refresh_from_db()
    assert client.first_name == "Geanonimiseerde"
    assert client.name_prefix == ""
    assert client.last_name == "cliënt"
    assert client.full_name == "Geanonimiseerde cliënt"
    assert client.sort_name == "Geanonimiseerde cliënt"
    assert client.bsn is None
    assert client.birth_date == datetime.date(1985, 7, 1)  # was 14 March 1985
    assert (client.email, client.phone, client.address, client.postcode) == ("", "", "", "")
    assert client.anonymised_at is not None
    assert client.version != before_version
    # Kept for the figures.
    assert client.registered_on == datetime.date(2012, 9, 3)
    assert client.deregistered_on == datetime.date(2018, 5, 1)
    assert client.deregistration_reason == "moved"
    assert client.target_group == "status_holder"
    assert client.municipality.name == "Assen"
    assert client.team == team
    assert client.coach == coach
    # Free text emptied; dates, channels and scores kept.
    contact = Contact.objects.get(client=client)
    assert (contact.subject, contact.notes, contact.date) == ("", "", datetime.date(2026, 2, 3))
    intake = Intake.objects.get(client=client)
    assert (intake.dream, intake.functional_limitations, intake.capacity, intake.advice_notes) == (
        "",
        "",
        "",
        "",
    )
    assert intake.work_estimate == "within_two_years"
    scores = list(
        IntakeScore.objects.filter(intake=intake).order_by("pk").values_list("score", "purpose")
    )
    assert scores == [(2, "Geanonimiseerd"), (7, "")]
    assert client in Client.objects.all() and client not in Client.objects.not_anonymised()


def test_anonymise_writes_one_history_entry_without_values_and_is_idempotent(rich_client, coach):
    entries_before = LogEntry.objects.count()
    services.client_anonymise(client=rich_client, actor=coach)
    services.client_anonymise(client=rich_client, actor=coach)
    assert LogEntry.objects.count() == entries_before + 1
    entry = LogEntry.objects.latest("timestamp")
    assert entry.actor == coach
    assert entry.object_repr == "Geanonimiseerde cliënt"
    assert list(entry.changes_dict) == ["anonymised_at"]
    assert "Fatima" not in str(entry.changes) and "111222333" not in str(entry.changes)


def test_approval_records_who_and_when_and_anonymises_after_commit(
    functional_admin, django_capture_on_commit_callbacks
):
    gone = deregistered(datetime.date(2018, 1, 1), first_name="Piet")
    kept = deregistered(datetime.date(2018, 2, 1), first_name="Klaas")
    proposal = services.proposal_build(today=TODAY)
    services.proposal_item_take_out(item=proposal.items.get(client=kept), actor=functional_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.proposal_approve(proposal=proposal, actor=functional_admin)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.approved_by == functional_admin
    assert proposal.approved_at is not None
    assert len(callbacks) == 1  # the task is enqueued only once the approval is committed
    assert tasks.retention_anonymise(proposal.pk) == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.anonymised_at is not None and gone.first_name == "Geanonimiseerde"
    assert kept.anonymised_at is None and kept.first_name == "Klaas"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DONE and proposal.completed_at is not None
    assert set(proposal.items.values_list("client__first_name", "state")) == {
        ("Geanonimiseerde", ItemState.ANONYMISED),
        ("Klaas", ItemState.TAKEN_OUT),
    }
    # A second delivery of the same message finds nothing to claim.
    assert tasks.retention_anonymise(proposal.pk) == 0


def test_a_proposal_is_approved_once_and_then_closed_to_changes(functional_admin):
    deregistered(datetime.date(2018, 1, 1))
    proposal = services.proposal_build(today=TODAY)
    item = proposal.items.get()
    services.proposal_approve(proposal=proposal, actor=functional_admin)
    with pytest.raises(ValidationError):
        services.proposal_approve(proposal=proposal, actor=functional_admin)
    with pytest.raises(ValidationError):
        services.proposal_item_take_out(item=item, actor=functional_admin)


def test_the_anonymise_task_does_nothing_for_an_open_proposal():
    deregistered(datetime.date(2018, 1, 1))
    proposal = services.proposal_build(today=TODAY)
    assert tasks.retention_anonymise(proposal.pk) == 0
    assert Client.objects.not_anonymised().count() == 1
