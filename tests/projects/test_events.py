"""Events: registering participants (once, within the places, all or nothing), invitations as
letters, results on the day and after three months, the pages and who sees what."""

import datetime
import subprocess

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from clients.models import TargetGroup
from documents.models import Letter, LetterKind
from projects import event_results, event_services
from projects.models import Event, EventParticipant, EventResult
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def today():
    return timezone.localdate()


@pytest.fixture
def festival(db):
    return Event.objects.create(name="Banenfestival Assen", date=D(2026, 4, 2))


@pytest.fixture
def coming(db):
    return Event.objects.create(
        name="Informatiebijeenkomst zorg",
        date=today() + datetime.timedelta(days=14),
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(12, 0),
        location="Kloosterveen 3, Assen",
        capacity=2,
    )


@pytest.fixture
def caseload(coach, team, assen):
    return ClientFactory.create_batch(
        3, coach=coach, team=team, municipality=assen, address="Brink 1"
    )


def register(coach, event, client, result=EventResult.NOTHING_YET):
    participant = event_services.participant_register(actor=coach, event=event, client=client)
    if result != EventResult.NOTHING_YET:
        event_services.participant_result_set(actor=coach, participant=participant, result=result)
    return participant


# --- Services -----------------------------------------------------------------------------------


def test_event_counts_participants_per_result(festival, coach, team, assen):
    outcomes = [EventResult.WORK] * 3 + [EventResult.EDUCATION] + [EventResult.NOTHING_YET] * 2
    clients = ClientFactory.create_batch(6, coach=coach, team=team, municipality=assen)
    for client, result in zip(clients, outcomes, strict=True):
        register(coach, festival, client, result)
    other = Event.objects.create(name="Ander", date=D(2026, 5, 1))
    register(coach, other, clients[-1], EventResult.WORK)
    assert [(c.result, c.participants) for c in event_results.event_counts(festival)] == [
        ("work", 3),
        ("work_learning", 0),
        ("education", 1),
        ("work_experience", 0),
        ("nothing_yet", 2),
    ]


def test_registering_a_client_twice_is_refused_and_keeps_the_result(festival, coach, caseload):
    register(coach, festival, caseload[0], EventResult.WORK)
    with pytest.raises(ValidationError) as refused:
        event_services.participant_register(actor=coach, event=festival, client=caseload[0])
    # Dutch: "Deze cliënt is al aangemeld voor dit evenement."
    assert refused.value.message_dict["client"] == [str(event_services.ALREADY_REGISTERED)]
    assert EventParticipant.objects.get().result == EventResult.WORK


def test_registering_beyond_the_places_is_refused(coming, coach, caseload):
    register(coach, coming, caseload[0])
    register(coach, coming, caseload[1])
    with pytest.raises(ValidationError) as refused:
        event_services.participant_register(actor=coach, event=coming, client=caseload[2])
    assert refused.value.code == "full"
    assert coming.participants.count() == 2


def test_bulk_registration_is_all_or_nothing_and_names_the_clients_refused(
    festival, coach, caseload
):
    register(coach, festival, caseload[1])
    with pytest.raises(ValidationError) as refused:
        event_services.participants_register(actor=coach, event=festival, clients=caseload)
    message = " ".join(refused.value.messages)
    assert caseload[1].full_name in message
    assert str(event_services.ALREADY_REGISTERED) in message
    assert caseload[0].full_name not in message
    assert festival.participants.count() == 1
    rows = event_services.participants_register(
        actor=coach, event=festival, clients=[caseload[0], caseload[2]]
    )
    assert {p.client for p in rows} == {caseload[0], caseload[2]}
    assert festival.participants.count() == 3


def test_bulk_registration_beyond_the_places_writes_nothing(coming, coach, caseload):
    with pytest.raises(ValidationError) as refused:
        event_services.participants_register(actor=coach, event=coming, clients=caseload)
    assert refused.value.code == "full"
    assert not coming.participants.exists()


def test_bulk_invitations_refused_for_one_without_address_send_none(coming, coach, caseload):
    caseload[0].address = ""
    caseload[0].save()
    coming.capacity = None
    coming.save()
    with pytest.raises(ValidationError) as refused:
        event_services.participants_register(
            actor=coach, event=coming, clients=caseload, invite=True
        )
    assert caseload[0].full_name in " ".join(refused.value.messages)
    assert not coming.participants.exists() and not Letter.objects.exists()


def test_result_and_attendance_are_recorded_once_the_event_took_place(
    festival, coming, coach, caseload
):
    participant = register(coach, festival, caseload[0])
    event_services.participant_result_set(
        actor=coach, participant=participant, result=EventResult.WORK_EXPERIENCE, attended=True
    )
    participant.refresh_from_db()
    assert (participant.result, participant.attended) == (EventResult.WORK_EXPERIENCE, True)
    later = register(coach, coming, caseload[1])
    with pytest.raises(ValidationError):
        event_services.participant_result_set(
            actor=coach, participant=later, result=EventResult.NOTHING_YET, attended=False
        )


def test_follow_up_is_three_months_after_the_event_and_counted_apart(festival, coach, caseload):
    first = register(coach, festival, caseload[0], EventResult.NOTHING_YET)
    second = register(coach, festival, caseload[1], EventResult.WORK)
    with pytest.raises(ValidationError) as refused:
        event_services.participant_follow_up(
            actor=coach,
            participant=first,
            followed_up_on=festival.date + relativedelta(months=3) - datetime.timedelta(days=1),
            follow_up_result=EventResult.WORK,
        )
    assert "followed_up_on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        event_services.participant_follow_up(
            actor=coach,
            participant=first,
            followed_up_on=today() + datetime.timedelta(days=1),
            follow_up_result=EventResult.WORK,
        )
    event_services.participant_follow_up(
        actor=coach,
        participant=first,
        followed_up_on=D(2026, 7, 2),
        follow_up_result=EventResult.WORK_EXPERIENCE,
    )
    figures = event_results.event_figures(festival)
    assert figures.participants == 2 and figures.followed_up == 1
    assert figures.not_followed_up == 1
    assert figures.on_the_day_count(EventResult.WORK) == 1
    assert figures.after_three_months_count(EventResult.WORK_EXPERIENCE) == 1
    assert figures.after_three_months_count(EventResult.WORK) == 0
    second.refresh_from_db()
    assert second.followed_up_on is None


def test_events_in_period_for_the_annual_report(
    festival, coming, coach, caseload, django_assert_num_queries
):
    register(coach, festival, caseload[0], EventResult.WORK)
    register(coach, festival, caseload[1], EventResult.EDUCATION)
    register(coach, coming, caseload[0])
    with django_assert_num_queries(2):
        rows = event_results.events_in_period(D(2026, 1, 1), D(2026, 6, 30))
    assert [r.event for r in rows] == [festival]
    total = event_results.totals(rows)
    assert total.participants == 2 and total.on_the_day_count(EventResult.EDUCATION) == 1
    assert event_results.totals([]) is None


def test_an_event_ends_after_it_starts_and_keeps_places_for_those_registered(
    coming, coach, manager, caseload
):
    register(coach, coming, caseload[0])
    register(coach, coming, caseload[1])
    with pytest.raises(ValidationError) as refused:
        event_services.event_update(actor=manager, event=coming, capacity=1)
    assert "capacity" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        event_services.event_update(
            actor=manager, event=coming, starts_at=datetime.time(12), ends_at=datetime.time(11)
        )
    assert "ends_at" in refused.value.message_dict


# --- Invitations --------------------------------------------------------------------------------


def pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_invitation_is_a_letter_in_the_dossier_with_the_event_filled_in(
    coming, coach, caseload
):
    participant = event_services.participant_register(
        actor=coach, event=coming, client=caseload[0], invite=True
    )
    assert participant.invited_on == today()
    letter = Letter.objects.get(client=caseload[0])
    assert letter.kind == LetterKind.EVENT_INVITATION
    text = " ".join(pdf_text(letter.document).split())
    assert "Informatiebijeenkomst zorg" in text
    assert "Het begint om 10:00 uur en vindt plaats in Kloosterveen 3, Assen." in text
    assert "Kloosterveen 3, Assen" in text
    day = coming.date
    assert f"{day.day} " in text and str(day.year) in text
    assert "{{" not in text


def test_no_invitation_goes_out_without_the_events_start_time_and_location(coming, coach, caseload):
    coming.location = ""
    coming.save()
    with pytest.raises(ValidationError, match="begintijd en de locatie"):
        event_services.participant_register(
            actor=coach, event=coming, client=caseload[0], invite=True
        )
    assert not Letter.objects.exists()
    assert not coming.participants.exists()


def test_a_coach_sends_the_invitation_later_from_the_list(coach_client, coming, coach, caseload):
    participant = register(coach, coming, caseload[0])
    response = coach_client.post(reverse("projects:event_invite", args=[participant.pk]))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.invited_on == today()
    assert Letter.objects.filter(client=caseload[0], kind=LetterKind.EVENT_INVITATION).exists()


# --- Pages --------------------------------------------------------------------------------------


def event_form_data(**changes):
    data = {
        "name": "Banenmarkt Emmen",
        "kind": "job_festival",
        "date": "2027-03-04",
        "starts_at": "13:00",
        "ends_at": "17:00",
        "location": "Atlas Theater, Emmen",
        "capacity": "100",
        "project": "",
        "description": "",
    }
    return data | changes


def test_a_manager_creates_and_changes_an_event_and_a_coach_may_not(client, manager, coach):
    client.force_login(coach)
    assert client.get(reverse("projects:event_create")).status_code == 403
    assert _t("New event") not in client.get(reverse("projects:event_list")).content.decode()
    client.force_login(manager)
    assert _t("New event") in client.get(reverse("projects:event_list")).content.decode()
    response = client.post(reverse("projects:event_create"), event_form_data())
    event = Event.objects.get()
    assert response.url == reverse("projects:event_detail", args=[event.pk])
    assert (event.location, event.capacity, event.created_by) == (
        "Atlas Theater, Emmen",
        100,
        manager,
    )
    url = reverse("projects:event_update", args=[event.pk])
    version = client.get(url).context["form"]["version"].value()
    response = client.post(url, event_form_data(capacity="80", version=version))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 80


def test_an_event_form_with_bad_times_keeps_the_input(client, manager):
    client.force_login(manager)
    response = client.post(reverse("projects:event_create"), event_form_data(ends_at="12:00"))
    assert response.status_code == 200
    page = response.content.decode()
    assert _t("The event must end after it starts.") in page
    assert "Atlas Theater, Emmen" in page
    assert not Event.objects.exists()


def test_coach_registers_a_participant_and_is_refused_a_second_time(
    coach_client, festival, client_of_coach
):
    url = reverse("projects:event_participant", args=[festival.pk])
    assert coach_client.post(url, {"client": client_of_coach.pk}).status_code == 302
    response = coach_client.post(url, {"client": client_of_coach.pk})
    assert response.status_code == 400
    assert str(event_services.ALREADY_REGISTERED) in response.content.decode()
    assert EventParticipant.objects.count() == 1


def test_coach_cannot_register_a_client_outside_their_scope(
    coach_client, festival, other_team, assen
):
    stranger = ClientFactory(team=other_team, coach=None, municipality=assen)
    url = reverse("projects:event_participant", args=[festival.pk])
    response = coach_client.post(url, {"client": stranger.pk})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not EventParticipant.objects.exists()


def test_bulk_page_shows_the_caseload_by_target_group_and_registered_ones_not_selectable(
    coach_client, coach, festival, team, assen
):
    youth = ClientFactory(
        last_name="Jongeling",
        coach=coach,
        team=team,
        municipality=assen,
        target_group=TargetGroup.YOUNG_DISABLED
        if hasattr(TargetGroup, "YOUNG_DISABLED")
        else TargetGroup.SOCIAL_ASSISTANCE,
    )
    registered = ClientFactory(last_name="Alaangemeld", coach=coach, team=team, municipality=assen)
    register(coach, festival, registered)
    url = reverse("projects:event_participants_bulk", args=[festival.pk])
    page = coach_client.get(url).content.decode()
    assert f'value="{registered.pk}" id="client-{registered.pk}" disabled' in page
    assert f'value="{youth.pk}" id="client-{youth.pk}">' in page
    other_group = next(v for v in TargetGroup.values if v != youth.target_group)
    page = coach_client.get(url, {"target_group": other_group}).content.decode()
    assert "Jongeling" not in page


def test_bulk_registration_from_the_page_and_its_refusal_naming_clients(
    coach_client, coach, coming, caseload
):
    url = reverse("projects:event_participants_bulk", args=[coming.pk])
    response = coach_client.post(url, {"clients": [c.pk for c in caseload]})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not coming.participants.exists()
    response = coach_client.post(url, {"clients": [caseload[0].pk, caseload[1].pk]})
    assert response.status_code == 302
    assert coming.participants.count() == 2


def test_result_and_follow_up_pages_only_for_participants_in_scope(
    coach_client, coach, festival, other_team, assen, client_of_coach
):
    stranger = ClientFactory(team=other_team, coach=None, municipality=assen)
    theirs = register(coach, festival, stranger)
    ours = register(coach, festival, client_of_coach)
    url = reverse("projects:event_participant_result", args=[theirs.pk])
    assert coach_client.post(url, {"result": "work"}).status_code == 404
    url = reverse("projects:event_participant_result", args=[ours.pk])
    response = coach_client.post(url, {"result": "work", "attended": "yes"})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert (ours.result, ours.attended) == ("work", True)


def test_event_page_names_only_participants_in_scope_and_managers_none(
    client, coach, manager, festival, client_of_coach, other_team, assen
):
    stranger = ClientFactory(
        last_name="Buitenscope", team=other_team, coach=None, municipality=assen
    )
    for participant in (client_of_coach, stranger):
        register(coach, festival, participant, EventResult.WORK)
    url = reverse("projects:event_detail", args=[festival.pk])
    client.force_login(coach)
    page = client.get(url).content.decode()
    assert client_of_coach.last_name in page and "Buitenscope" not in page
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert client_of_coach.last_name not in page and "Buitenscope" not in page
    assert "Deelnemer registreren" not in page
    assert _t("After three months") in page


def test_event_page_queries_do_not_grow_with_participants(
    client, coach, festival, team, assen, django_assert_num_queries
):
    def add(count):
        for c in ClientFactory.create_batch(count, coach=coach, team=team, municipality=assen):
            register(coach, festival, c, EventResult.WORK)

    add(1)
    client.force_login(coach)
    url = reverse("projects:event_detail", args=[festival.pk])
    client.get(url)
    with django_assert_num_queries(11) as first:
        assert client.get(url).status_code == 200
    add(9)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_start_page_asks_the_follow_up_and_records_it(coach_client, coach, festival, caseload):
    due = register(coach, festival, caseload[0], EventResult.NOTHING_YET)
    done = register(coach, festival, caseload[1])
    event_services.participant_follow_up(
        actor=coach, participant=done, followed_up_on=D(2026, 7, 10), follow_up_result="work"
    )
    page = coach_client.get(reverse("clients:list")).content.decode()
    part = page[page.index('id="event-follow-ups"') :]
    part = part[: part.index("</section>")]
    assert caseload[0].sort_name in part and caseload[1].sort_name not in part
    response = coach_client.post(
        reverse("projects:event_follow_up", args=[due.pk]),
        {"back": "start", "followed_up_on": today().isoformat(), "follow_up_result": "education"},
    )
    assert response.url == reverse("clients:list")
    due.refresh_from_db()
    assert (due.followed_up_on, due.follow_up_result) == (today(), "education")
    assert "event-follow-ups" not in coach_client.get(reverse("clients:list")).content.decode()


def test_a_refused_follow_up_keeps_the_input(coach_client, coach, festival, caseload):
    due = register(coach, festival, caseload[0])
    response = coach_client.post(
        reverse("projects:event_follow_up", args=[due.pk]),
        {"back": "start", "followed_up_on": "2026-05-01", "follow_up_result": "education"},
    )
    assert response.status_code == 200
    assert "followed_up_on" in response.context["form"].errors
    due.refresh_from_db()
    assert due.followed_up_on is None


def test_right_of_access_export_holds_the_event_fields(festival, coach, caseload):
    from privacy import export

    participant = register(coach, festival, caseload[0], EventResult.WORK_LEARNING)
    event_services.participant_result_set(
        actor=coach, participant=participant, result=EventResult.WORK_LEARNING, attended=True
    )
    event_services.participant_follow_up(
        actor=coach, participant=participant, followed_up_on=D(2026, 7, 3), follow_up_result="work"
    )
    sections = {s.key: s for s in export.export_build(caseload[0]).sections}
    record = sections["events"].records[0]
    assert record["event"] == "Banenfestival Assen"
    assert record["result"] == "Leerwerkplek"
    assert record["attended"] == "ja"
    assert record["follow_up_result"] == "Betaald werk"
    assert record["followed_up_on"] == D(2026, 7, 3)


def test_bulk_page_and_event_list_queries_do_not_grow(
    coach_client, coach, festival, team, assen, django_assert_num_queries
):
    def add(count):
        for c in ClientFactory.create_batch(count, coach=coach, team=team, municipality=assen):
            register(coach, festival, c)
        ClientFactory.create_batch(count, coach=coach, team=team, municipality=assen)

    add(1)
    bulk = reverse("projects:event_participants_bulk", args=[festival.pk])
    events = reverse("projects:event_list")
    coach_client.get(bulk)
    with CaptureQueriesContext(connection) as first_bulk:
        coach_client.get(bulk)
    with CaptureQueriesContext(connection) as first_list:
        coach_client.get(events)
    add(9)
    Event.objects.create(name="Nog een", date=D(2026, 9, 1))
    with django_assert_num_queries(len(first_bulk.captured_queries)):
        assert coach_client.get(bulk).status_code == 200
    with django_assert_num_queries(len(first_list.captured_queries)):
        assert coach_client.get(events).status_code == 200
