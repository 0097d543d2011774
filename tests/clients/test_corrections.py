"""Correcting the record (issue 17, GDPR art. 16): a contact, intake or ladder measurement is
corrected or moved to the right client, or removed, always with a reason; the timeline shows
the correction and pages in the database."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients import services, timeline
from clients.models import Contact, Correction, Intake, LadderObservation
from reporting.units.base import Period
from reporting.units.contact_coverage import contact_coverage_counts
from tests.factories import ClientFactory, ContactFactory, IntakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def right_client(coach, team):
    return ClientFactory(coach=coach, team=team, last_name="Juist")


def test_a_contact_on_the_wrong_client_moves_with_its_reason(client_of_coach, right_client, coach):
    contact = ContactFactory(client=client_of_coach, subject="Gesprek")
    services.contact_correct(
        actor=coach, contact=contact, reason="Op de verkeerde cliënt gelogd", client=right_client
    )
    contact.refresh_from_db()
    assert contact.client == right_client
    correction = Correction.objects.get()
    assert (correction.client, correction.moved_from) == (right_client, client_of_coach)
    assert correction.reason == "Op de verkeerde cliënt gelogd"
    entry = LogEntry.objects.get_for_object(contact).first()
    assert entry.additional_data == {"reason": "Op de verkeerde cliënt gelogd"}
    assert [e.obj for e in timeline.for_client(client_of_coach)] == []
    [moved] = timeline.for_client(right_client)
    assert moved.obj == contact and moved.corrections == (correction,)


def test_a_correction_without_a_reason_writes_nothing(client_of_coach, coach):
    contact = ContactFactory(client=client_of_coach, subject="Gesprek")
    with pytest.raises(ValidationError) as refused:
        services.contact_correct(actor=coach, contact=contact, reason="  ", subject="Anders")
    assert refused.value.message_dict["reason"] == ["Geef de reden van de correctie."]
    assert Contact.objects.get().subject == "Gesprek"
    assert not Correction.objects.exists()


def test_a_correction_that_changes_nothing_is_refused(client_of_coach, coach):
    contact = ContactFactory(client=client_of_coach, subject="Gesprek")
    with pytest.raises(ValidationError):
        services.contact_correct(actor=coach, contact=contact, reason="x", subject="Gesprek")
    assert not Correction.objects.exists()


def test_a_removed_contact_no_longer_counts_in_contact_coverage(client_of_coach, coach):
    client_of_coach.registered_on = datetime.date(2025, 1, 1)
    client_of_coach.save()
    kept = ContactFactory(client=client_of_coach, date=datetime.date(2026, 2, 3))
    removed = ContactFactory(client=client_of_coach, date=datetime.date(2026, 2, 4))
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    group = client_of_coach.target_group
    # one client on the caseload, contacted, two conversations
    assert contact_coverage_counts(period, "target_group")[group] == (1, 1, 2)
    services.contact_remove(actor=coach, contact=removed, reason="Dubbel ingevoerd")
    assert contact_coverage_counts(period, "target_group")[group] == (1, 1, 1)
    services.contact_remove(
        actor=coach, contact=Contact.objects.get(pk=kept.pk), reason="Nooit gesproken"
    )
    assert contact_coverage_counts(period, "target_group")[group] == (1, 0, 0)
    assert Contact.with_removed.count() == 2
    assert Contact.objects.count() == 0


def test_a_removal_needs_a_reason(client_of_coach, coach):
    contact = ContactFactory(client=client_of_coach)
    with pytest.raises(ValidationError):
        services.contact_remove(actor=coach, contact=contact, reason="")
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_an_intake_is_changed_freely_within_the_edit_days_and_later_only_with_a_reason(
    client_of_coach, coach, settings
):
    settings.INTAKE_EDIT_DAYS = 14
    today = timezone.localdate()
    recent = services.intake_record(
        actor=coach,
        client=client_of_coach,
        held_on=today,
        ladder_step=2,
        advised_route="employee",
        work_estimate="within_two_years",
    )
    services.intake_correct(actor=coach, intake=recent, dream="Kok worden", ladder_step=3)
    assert LadderObservation.objects.get(intake=recent).step == 3
    old = IntakeFactory(client=client_of_coach, held_on=today - datetime.timedelta(days=20))
    Intake.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=20))
    old = Intake.objects.get(pk=old.pk)
    with pytest.raises(ValidationError) as refused:
        services.intake_correct(actor=coach, intake=old, dream="Anders")
    assert "14 dagen" in refused.value.message_dict["reason"][0]
    services.intake_correct(actor=coach, intake=old, dream="Anders", reason="Typfout")
    assert Intake.objects.get(pk=old.pk).dream == "Anders"


def test_removing_an_intake_removes_its_ladder_step(client_of_coach, coach):
    intake = services.intake_record(
        actor=coach,
        client=client_of_coach,
        held_on=datetime.date(2026, 1, 5),
        ladder_step=2,
        advised_route="employee",
        work_estimate="within_two_years",
    )
    services.intake_remove(actor=coach, intake=intake, reason="Verkeerde cliënt")
    assert not Intake.objects.exists() and not LadderObservation.objects.exists()
    assert LadderObservation.with_removed.get().removal_reason == "Verkeerde cliënt"


def test_a_stale_correction_is_refused(client_of_coach, coach):
    from core.editing import ConcurrentEdit

    contact = ContactFactory(client=client_of_coach)
    stale = contact.version
    services.contact_correct(actor=coach, contact=contact, reason="a", subject="Een")
    with pytest.raises(ConcurrentEdit):
        services.contact_correct(
            actor=coach,
            contact=Contact.objects.get(pk=contact.pk),
            reason="b",
            subject="Twee",
            version=stale,
        )


def test_the_timeline_pages_without_gaps_or_repeats(client_of_coach):
    for day in range(30):
        ContactFactory(client=client_of_coach, date=datetime.date(2026, 1, 1 + day % 28))
    first = timeline.page_for_client(client_of_coach, 1, size=25)
    second = timeline.page_for_client(client_of_coach, 2, size=25)
    assert (len(first), first.has_next, len(second), second.has_next) == (25, True, 5, False)
    seen = [e.obj.pk for e in first] + [e.obj.pk for e in second]
    assert sorted(seen) == sorted(Contact.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("rows", [1, 50])
def test_page_two_of_the_timeline_runs_a_constant_number_of_queries(
    coach_client, client_of_coach, coach, rows, django_assert_num_queries
):
    for contact in ContactFactory.create_batch(rows + 25, client=client_of_coach):
        services.contact_correct(actor=coach, contact=contact, reason="r", subject="Nieuw")
    IntakeFactory.create_batch(rows, client=client_of_coach)
    LadderObservation.objects.bulk_create(
        LadderObservation(client=client_of_coach, step=2) for _ in range(rows)
    )
    url = reverse("clients:timeline", args=[client_of_coach.pk]) + "?page=2"
    # session, user, permissions (2), client, the access log entry, contacts, intakes (scores
    # with them), ladder, trajectories (goals, activities, evaluations and plan versions with
    # them), placements and provisions (2: this page reads the client without the dossier's
    # additions), wage-value assessments (tasks with them), documents (with their letters),
    # referrals (practical assessments with them), corrections of the page, and the session's
    # renewal (3): 19 (issue 20; 23 before)
    with django_assert_num_queries(19):
        response = coach_client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    # 25 + 3 * rows entries: the second page holds the rest, at most 25
    assert response.content.decode().count('<li class="kind-') == min(25, 3 * rows)


def test_the_timeline_without_htmx_is_the_dossier_at_that_page(coach_client, client_of_coach):
    url = reverse("clients:timeline", args=[client_of_coach.pk]) + "?page=2"
    response = coach_client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{client_of_coach.pk}/?page=2#timeline")


def test_a_contact_of_another_team_cannot_be_corrected(coach_client, other_team):
    stranger = ContactFactory(client=ClientFactory(team=other_team))
    response = coach_client.get(reverse("clients:contact_correct", args=[stranger.pk]))
    assert response.status_code == 404


def test_a_coach_moves_a_contact_through_the_page(
    coach_client, client_of_coach, right_client, coach
):
    contact = ContactFactory(client=client_of_coach, subject="Gesprek")
    url = reverse("clients:contact_correct", args=[contact.pk])
    form = coach_client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: str(v) for k, v in data.items() if v not in (None, False)}
    data["client"] = str(right_client.pk)
    # without a reason: the form comes back with everything typed
    response = coach_client.post(url, data)
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    data["reason"] = "Verkeerde cliënt"
    response = coach_client.post(url, data)
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).client == right_client


def test_the_functional_administrator_sees_removed_records(
    client, functional_admin, client_of_coach, coach
):
    from tests.test_authorisation import enrolled

    contact = ContactFactory(client=client_of_coach)
    services.contact_remove(actor=coach, contact=contact, reason="Dubbel ingevoerd")
    client.force_login(enrolled(functional_admin))
    page = client.get(reverse("clients:removed")).content.decode()
    assert "Dubbel ingevoerd" in page
    assert "Contactmoment" in page


def test_anonymising_clears_removed_records_and_the_reasons_too(client_of_coach, coach):
    from privacy.services import client_anonymise

    removed = ContactFactory(client=client_of_coach, subject="Schulden", notes="Bij de bank")
    services.contact_remove(actor=coach, contact=removed, reason="Hoort bij Jansen")
    kept = ContactFactory(client=client_of_coach, subject="Gesprek")
    services.contact_correct(actor=coach, contact=kept, reason="Was Pietersen", subject="Anders")
    client_anonymise(client=client_of_coach, actor=None)
    removed = Contact.with_removed.get(pk=removed.pk)
    assert (removed.subject, removed.notes, removed.removal_reason) == ("", "", "")
    assert list(Correction.objects.values_list("reason", "changes")) == [("", []), ("", [])]


def test_the_interchange_export_leaves_a_removed_contact_out(client_of_coach, coach, tmp_path):
    from interchange.exporter import export_folder

    kept = ContactFactory(client=client_of_coach, subject="Gesprek")
    removed = ContactFactory(client=client_of_coach, subject="Verkeerd")
    services.contact_remove(actor=coach, contact=removed, reason="Dubbel")
    assert export_folder(tmp_path)["contacts.csv"] == 1
    rows = (tmp_path / "contacts.csv").read_text().splitlines()
    assert len(rows) == 2 and rows[1].endswith(",Gesprek") and kept.subject == "Gesprek"


def test_the_change_history_shows_the_reason_of_a_correction(
    client, functional_admin, client_of_coach, coach
):
    from tests.test_authorisation import enrolled

    contact = ContactFactory(client=client_of_coach, subject="Gesprek")
    services.contact_correct(
        actor=coach, contact=contact, reason="Datum verkeerd overgenomen", subject="Anders"
    )
    client.force_login(enrolled(functional_admin))
    page = client.get(reverse("audit:client_access", args=[client_of_coach.pk])).content.decode()
    assert "Datum verkeerd overgenomen" in page


def _posted(form, **changes) -> dict:
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False, "")}
    data = {
        name: [str(v) for v in value] if isinstance(value, list) else str(value)
        for name, value in data.items()
    }
    return data | changes


def test_an_old_intake_asks_for_a_reason_on_its_page(coach_client, client_of_coach, settings):
    settings.INTAKE_EDIT_DAYS = 14
    intake = IntakeFactory(client=client_of_coach, held_on=datetime.date(2025, 1, 6))
    LadderObservation.objects.create(
        client=client_of_coach, intake=intake, step=2, observed_on=intake.held_on
    )
    Intake.objects.filter(pk=intake.pk).update(created_at=timezone.now() - datetime.timedelta(60))
    url = reverse("clients:intake_correct", args=[intake.pk])
    form = coach_client.get(url).context["form"]
    assert form.fields["reason"].required
    response = coach_client.post(url, _posted(form, dream="Bakker worden"))
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert Intake.objects.get(pk=intake.pk).dream != "Bakker worden"
    response = coach_client.post(url, _posted(form, dream="Bakker worden", reason="Typfout"))
    assert response.status_code == 302
    assert Intake.objects.get(pk=intake.pk).dream == "Bakker worden"


def test_a_recent_intake_is_changed_without_a_reason(coach_client, client_of_coach, coach):
    intake = services.intake_record(
        actor=coach,
        client=client_of_coach,
        held_on=timezone.localdate(),
        ladder_step=2,
        advised_route="employee",
        work_estimate="within_two_years",
    )
    url = reverse("clients:intake_correct", args=[intake.pk])
    page = coach_client.get(url)
    form = page.context["form"]
    assert not form.fields["reason"].required
    deadline = timezone.localdate() + datetime.timedelta(days=14)
    assert f"Tot en met {deadline.day} " in page.content.decode()
    response = coach_client.post(url, _posted(form, ladder_step="4"))
    assert response.status_code == 302
    assert LadderObservation.objects.get(intake=intake).step == 4


def test_a_correction_over_someone_elses_answers_409_with_the_differences(
    coach_client, client_of_coach, coach
):
    observation = LadderObservation.objects.create(
        client=client_of_coach, step=2, observed_on=datetime.date(2026, 1, 5)
    )
    url = reverse("clients:ladder_correct", args=[observation.pk])
    form = coach_client.get(url).context["form"]
    services.ladder_correct(actor=coach, observation=observation, reason="Collega", step=3)
    response = coach_client.post(url, _posted(form, step="5", reason="Verkeerde trede"))
    assert response.status_code == 409
    assert response.context["conflict"]["differences"]
    assert LadderObservation.objects.get().step == 3


@pytest.mark.parametrize(
    "name", ["clients:ladder_correct", "clients:ladder_remove", "clients:intake_remove"]
)
def test_records_of_another_team_are_a_404(coach_client, other_team, name):
    stranger = ClientFactory(team=other_team)
    intake = IntakeFactory(client=stranger)
    observation = LadderObservation.objects.create(client=stranger, step=2)
    pk = observation.pk if name.startswith("clients:ladder") else intake.pk
    assert coach_client.get(reverse(name, args=[pk])).status_code == 404


def test_a_removed_contact_keeps_its_history_with_the_client(client_of_coach, coach):
    from audit.history import changes_for_client
    from clients.models import Client

    contact = services.contact_log(
        actor=coach, client=client_of_coach, date=datetime.date(2026, 2, 3), channel="phone"
    )
    services.contact_remove(actor=coach, contact=contact, reason="Dubbel")
    entries = changes_for_client(Client, client_of_coach.pk).filter(
        content_type__model="contact", object_id=contact.pk
    )
    assert [e.additional_data for e in entries] == [{"reason": "Dubbel"}, None]


def test_the_right_of_access_export_holds_a_removed_contact_marked(client_of_coach, coach):
    from clients.privacy import contacts

    contact = ContactFactory(client=client_of_coach, subject="Verkeerd")
    services.contact_remove(actor=coach, contact=contact, reason="Hoort bij een ander")
    [record] = contacts(client_of_coach).records
    assert record["subject"] == "Verkeerd"
    assert record["removed"].endswith(": Hoort bij een ander")


def test_without_javascript_the_dossier_shows_the_page_asked_for(coach_client, client_of_coach):
    for day in range(1, 31):
        ContactFactory(client=client_of_coach, date=datetime.date(2026, 1, day), subject=f"d{day}")
    url = reverse("clients:detail", args=[client_of_coach.pk])
    first = coach_client.get(url).content.decode()
    assert "?page=2#timeline" in first and "d30" in first and "d5<" not in first
    second = coach_client.get(url + "?page=2").content.decode()
    # the oldest five, a way back to the newest, and no further page
    assert all(f"d{day}<" in second for day in range(1, 6)) and "d6<" not in second
    assert "Terug naar de nieuwste items" in second and "?page=3" not in second
