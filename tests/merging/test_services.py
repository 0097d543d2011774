"""Merging two dossiers of one person: every record moves, a clash changes nothing, and both
clients' change history says who merged them and why (merging.services)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from agenda.models import Appointment
from clients.models import Client, Contact, LadderObservation
from documents.models import Document, DocumentKind
from employers.models import CandidateProfile
from merging import services
from merging.models import Merge
from privacy.services import client_anonymise
from tests.factories import ClientFactory, ContactFactory, IntakeFactory
from tests.placements.factories import PlacementFactory
from trajectories import reference
from trajectories.models import Route, Trajectory

pytestmark = pytest.mark.django_db
REASON = "Twee keer ingeschreven: BSN-typefout bij de eerste inschrijving, gecontroleerd."


@pytest.fixture
def keep(coach, team, assen):
    return ClientFactory(
        first_name="Muhammad",
        last_name="Elamrani",
        coach=coach,
        team=team,
        municipality=assen,
        email="",
        phone="0592-111111",
    )


@pytest.fixture
def merge(coach, team, assen):
    return ClientFactory(
        first_name="Mohamed",
        last_name="El Amrani",
        coach=coach,
        team=team,
        municipality=assen,
        email="mohamed@example.org",
        phone="06-22222222",
        address="Brink 12",
    )


def _document(client):
    return Document.objects.create(
        client=client,
        kind=DocumentKind.objects.get(code="identity_document"),
        original_name="paspoort.pdf",
        file="aa/x.pdf",
        content_type="application/pdf",
        size=1,
        dated_on=datetime.date(2026, 1, 5),
    )


def _trajectory(client, start=datetime.date(2026, 3, 2), end=None):
    reference.load()
    return Trajectory.objects.create(
        client=client,
        route=Route.objects.get(code="employee"),
        start_date=start,
        end_date=end,
        outcome="other" if end else "",
    )


def _appointment(client, coach):
    return Appointment.objects.create(
        client=client,
        coach=coach,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        duration_minutes=45,
        kind="progress",
        channel="phone",
    )


def test_every_kind_of_record_moves_to_the_kept_client(keep, merge, coach, functional_admin):
    contacts = [ContactFactory(client=merge), ContactFactory(client=merge)]
    kept_contact = ContactFactory(client=keep)
    removed = ContactFactory(client=merge, removed_at=timezone.now(), removal_reason="Fout")
    intake = IntakeFactory(client=merge)
    observation = LadderObservation.objects.create(
        client=merge, observed_on=datetime.date(2026, 2, 1), step=3
    )
    trajectory = _trajectory(merge)
    document = _document(merge)
    appointment = _appointment(merge, coach)
    placement = PlacementFactory(client=merge)
    profile = CandidateProfile.objects.create(client=merge, hours_per_week=24)

    record = services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)

    assert set(Contact.objects.filter(client=keep)) == {*contacts, kept_contact}
    assert Contact.with_removed.get(pk=removed.pk).client_id == keep.pk  # removed ones too
    for row in (intake, observation, trajectory, document, appointment, placement, profile):
        row.refresh_from_db()
        assert row.client_id == keep.pk, type(row).__name__
    assert not Contact.with_removed.filter(client=merge).exists()
    assert record.moved["clients.contact.client"] == 3  # two, and the removed one
    assert record.moved["clients.intake.client"] == 1
    assert record.moved["employers.candidateprofile.client"] == 1
    assert (record.kept, record.merged_client_id, record.merged_name, record.actor) == (
        keep,
        merge.pk,
        "Mohamed El Amrani",
        functional_admin,
    )


def test_the_kept_client_takes_only_the_contact_details_it_lacks(keep, merge, functional_admin):
    record = services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    keep.refresh_from_db()
    assert keep.email == "mohamed@example.org"  # was empty
    assert keep.address == "Brink 12"  # was empty
    assert keep.phone == "0592-111111"  # kept its own
    assert (keep.first_name, keep.last_name) == ("Muhammad", "Elamrani")
    assert record.copied_fields == ["email", "address"]


def test_the_merged_client_is_deregistered_and_anonymised(keep, merge, functional_admin):
    services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    merge.refresh_from_db()
    assert merge.is_anonymised and merge.bsn is None
    assert merge.deregistered_on == merge.registered_on  # never a day on the caseload
    assert merge.deregistration_reason == "other"
    assert not Client.objects.active().filter(pk=merge.pk).exists()
    assert keep.bsn == Client.objects.get(pk=keep.pk).bsn


def test_both_clients_history_shows_the_merge_with_actor_and_reason(keep, merge, functional_admin):
    services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    kept_entries = LogEntry.objects.get_for_object(keep)
    merged_entries = LogEntry.objects.get_for_object(Client.objects.get(pk=merge.pk))
    kept_reasons = [(e.actor, (e.additional_data or {}).get("reason")) for e in kept_entries]
    merged_reasons = [(e.actor, (e.additional_data or {}).get("reason")) for e in merged_entries]
    assert (
        functional_admin,
        f"Dossier {merge.pk} is met dit dossier samengevoegd: {REASON}",
    ) in kept_reasons
    assert (functional_admin, f"Samengevoegd met dossier {keep.pk}: {REASON}") in merged_reasons


def test_two_candidate_profiles_are_refused_and_nothing_changes(keep, merge, functional_admin):
    CandidateProfile.objects.create(client=keep, hours_per_week=24)
    CandidateProfile.objects.create(client=merge, hours_per_week=32)
    contact = ContactFactory(client=merge)
    with pytest.raises(ValidationError) as refused:
        services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    assert refused.value.messages == [
        "Beide cliënten hebben een kandidaatprofiel; een cliënt kan er maar één hebben."
    ]
    contact.refresh_from_db()
    merge.refresh_from_db()
    assert contact.client_id == merge.pk
    assert not merge.is_anonymised and merge.email == "mohamed@example.org"
    assert not Merge.objects.exists()


@pytest.mark.parametrize("kept_side", [True, False])
def test_two_dossiers_linked_in_one_household_are_refused(keep, merge, functional_admin, kept_side):
    from households.models import HouseholdMember, Relation

    home, member = (keep, merge) if kept_side else (merge, keep)
    link = HouseholdMember.objects.create(client=home, member=member, relation=Relation.PARTNER)
    with pytest.raises(ValidationError) as refused:
        services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    assert refused.value.messages == [
        "De twee dossiers zijn aan elkaar gekoppeld in een lid van het huishouden; haal die "
        "koppeling eerst weg."
    ]
    link.refresh_from_db()
    assert (link.client, link.member) == (home, member)
    assert not Merge.objects.exists()


def test_two_open_trajectories_are_refused_but_a_closed_one_moves(keep, merge, functional_admin):
    _trajectory(keep)
    _trajectory(merge)
    with pytest.raises(ValidationError) as refused:
        services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    assert "sluit of verwijder er eerst één" in refused.value.messages[0]
    Trajectory.objects.filter(client=merge).update(
        end_date=datetime.date(2026, 4, 1), outcome="other"
    )
    services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    assert Trajectory.objects.filter(client=keep).count() == 2


def test_a_reason_is_required_and_a_client_is_not_merged_into_itself(keep, functional_admin):
    with pytest.raises(ValidationError) as refused:
        services.clients_merge(actor=functional_admin, keep=keep, merge=keep, reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.clients_merge(actor=functional_admin, keep=keep, merge=keep, reason=REASON)


def test_an_anonymised_client_cannot_be_merged(keep, merge, functional_admin):
    client_anonymise(client=merge, actor=functional_admin)
    with pytest.raises(ValidationError):
        services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)


def test_every_relation_to_a_client_is_found_whatever_app_declares_it():
    found = {f"{r.model._meta.label_lower}.{r.field}" for r in services.client_relations()}
    # A few from apps the merging code never names.
    assert {
        "clients.contact.client",
        "documents.document.client",
        "agenda.appointment.client",
        "employers.candidateprofile.client",
        "placements.placement.client",
        "trajectories.trajectory.client",
        "merging.merge.kept",
    } <= found
    assert "privacy.retentionproposalitem.client" not in found  # stays with the merged one


def test_anonymising_the_kept_client_removes_the_merged_name(keep, merge, functional_admin):
    record = services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    client_anonymise(client=keep, actor=functional_admin)
    record.refresh_from_db()
    assert (record.merged_name, record.reason) == ("", "")
    assert record.merged_client_id == merge.pk


def _open_period(client, coach, started_on):
    from clients.models import CoachPeriod

    return CoachPeriod.objects.create(
        client=client, coach=coach, started_on=started_on, reason="registration"
    )


def test_the_merged_coach_period_ends_when_the_kept_client_has_one(
    keep, merge, coach, functional_admin
):
    kept_period = _open_period(keep, coach, datetime.date(2025, 1, 6))
    merged_period = _open_period(merge, coach, datetime.date(2025, 2, 3))
    services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    kept_period.refresh_from_db()
    merged_period.refresh_from_db()
    assert kept_period.ended_on is None
    assert merged_period.ended_on == timezone.localdate()
    assert merged_period.client_id == keep.pk  # its history moves along


def test_a_kept_client_without_a_coach_takes_the_merged_coach_and_period(
    keep, merge, coach, functional_admin
):
    Client.objects.filter(pk=keep.pk).update(coach=None)
    keep.refresh_from_db()
    period = _open_period(merge, coach, datetime.date(2025, 2, 3))
    services.clients_merge(actor=functional_admin, keep=keep, merge=merge, reason=REASON)
    keep.refresh_from_db()
    period.refresh_from_db()
    assert keep.coach == coach
    assert (period.client_id, period.ended_on) == (keep.pk, None)
