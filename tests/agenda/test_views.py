import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.models import Appointment, AppointmentStatus
from agenda.weeks import Week
from audit.models import AccessLog
from clients.models import Contact
from tests.agenda.conftest import at, planned_in_the_past
from tests.factories import ClientFactory, TeamFactory

pytestmark = pytest.mark.django_db


def week_url(day):
    week = Week.of(day)
    return reverse("agenda:week", args=[week.year, week.number])


def plan_data(client, day, hour=10, minute=0, **extra):
    return {
        "client": client.pk,
        "date": f"{day:%Y-%m-%d}",
        "time": f"{hour:02d}:{minute:02d}",
        "duration_minutes": "45",
        "kind": "progress",
        "channel": "in_person",
        "place": "",
        "subject": "Voortgang",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "6",
        **extra,
    }


def test_the_menu_leads_to_this_weeks_agenda(coach_client):
    home = coach_client.get(reverse("clients:list")).content.decode()
    assert f'href="{reverse("agenda:index")}"' in home
    response = coach_client.get(reverse("agenda:index"))
    assert response.status_code == 302
    assert response["Location"] == week_url(timezone.localdate())


def test_the_week_shows_monday_to_sunday_with_the_coachs_appointments(
    coach_client, plan, client_of_coach
):
    monday = datetime.date.fromisocalendar(2031, 10, 1)  # 3 to 9 March 2031
    plan(at(monday + datetime.timedelta(days=2), 14), subject="Op woensdag")
    response = coach_client.get(reverse("agenda:week", args=[2031, 10]))
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [c.day for c in columns] == [monday + datetime.timedelta(days=i) for i in range(7)]
    assert [len(c.appointments) for c in columns] == [0, 0, 1, 0, 0, 0, 0]
    html = response.content.decode()
    assert "Fatima El Amrani" in html
    assert reverse("agenda:week", args=[2031, 9]) in html  # previous
    assert reverse("agenda:week", args=[2031, 11]) in html  # next
    assert reverse("agenda:day", args=[monday + datetime.timedelta(days=2)]) in html


def test_a_week_that_does_not_exist_is_a_404(coach_client):
    # 2026 has 53 ISO weeks (Monday 28 December starts week 53); 2025 has 52.
    assert coach_client.get(reverse("agenda:week", args=[2026, 53])).status_code == 200
    assert coach_client.get(reverse("agenda:week", args=[2025, 53])).status_code == 404
    assert coach_client.get(reverse("agenda:week", args=[2026, 0])).status_code == 404


def test_the_day_page_lists_that_days_appointments(coach_client, plan, tomorrow):
    plan(at(tomorrow, 9))
    plan(at(tomorrow, 11))
    response = coach_client.get(reverse("agenda:day", args=[tomorrow]))
    assert [a.local_start.hour for a in response.context["appointments"]] == [9, 11]
    assert coach_client.get("/agenda/dag/2026-02-30/").status_code == 404


def test_a_coach_plans_from_the_agenda(coach_client, client_of_coach, tomorrow):
    response = coach_client.post(reverse("agenda:plan"), plan_data(client_of_coach, tomorrow))
    assert response.status_code == 302
    assert response["Location"] == week_url(tomorrow)
    appointment = Appointment.objects.get()
    assert (appointment.client, appointment.local_start.hour) == (client_of_coach, 10)


def test_a_clash_is_refused_with_the_clash_named_and_the_input_kept(
    coach_client, client_of_coach, plan, tomorrow
):
    plan(at(tomorrow, 14))
    other = ClientFactory(coach=client_of_coach.coach, team=client_of_coach.team)
    response = coach_client.post(
        reverse("agenda:plan"), plan_data(other, tomorrow, 14, 30, subject="Nieuw gesprek")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Op dat moment hebt u al een afspraak: voortgangsgesprek met Fatima El Amrani" in html
    assert "14:00–14:45" in html
    assert 'value="Nieuw gesprek"' in html and 'value="14:30"' in html
    assert Appointment.objects.count() == 1


def test_a_resent_plan_form_plans_once(coach_client, client_of_coach, tomorrow):
    data = plan_data(client_of_coach, tomorrow, submission_token=str(uuid.uuid4()))
    coach_client.post(reverse("agenda:plan"), data)
    coach_client.post(reverse("agenda:plan"), data)
    assert Appointment.objects.count() == 1


def test_planning_for_a_client_out_of_scope_is_a_logged_404(coach_client, tomorrow):
    stranger = ClientFactory(team=TeamFactory(name="Team Tynaarlo"))
    response = coach_client.get(reverse("agenda:plan_for", args=[stranger.pk]))
    assert response.status_code == 404
    denied = AccessLog.objects.get()
    assert (denied.result, denied.object_id) == ("denied", str(stranger.pk))
    # Through the agenda's own form, the client is not among the choices.
    response = coach_client.post(reverse("agenda:plan"), plan_data(stranger, tomorrow))
    assert response.status_code == 200
    assert not Appointment.objects.exists()


def test_an_appointment_of_a_client_out_of_scope_is_a_logged_404(coach_client, make_user):
    colleague = make_user("ander", "work_coach", teams=[TeamFactory(name="Team Tynaarlo")])
    stranger = ClientFactory(coach=colleague, team=colleague.teams.first())
    appointment = planned_in_the_past(stranger, colleague, timezone.now())
    for name in ("agenda:detail", "agenda:move", "agenda:held"):
        assert coach_client.get(reverse(name, args=[appointment.pk])).status_code == 404
    assert coach_client.post(reverse("agenda:no_show", args=[appointment.pk])).status_code == 404
    assert AccessLog.objects.filter(result="denied", object_id=str(appointment.pk)).count() == 4
    assert Appointment.objects.get().status == AppointmentStatus.PLANNED


def test_the_detail_page_is_logged_as_a_read_of_the_client(coach_client, plan, tomorrow):
    appointment = plan(at(tomorrow, 9))
    assert coach_client.get(reverse("agenda:detail", args=[appointment.pk])).status_code == 200
    read = AccessLog.objects.get()
    assert (read.result, read.object_type, read.object_id) == (
        "granted",
        "clients.client",
        str(appointment.client_id),
    )


def test_moving_over_someone_elses_change_answers_409_with_the_input_kept(
    coach_client, coach, plan, tomorrow, client_of_coach
):
    appointment = plan(at(tomorrow, 9))
    page = coach_client.get(reverse("agenda:move", args=[appointment.pk]))
    version = page.context["form"]["version"].value()
    services.appointment_move(actor=coach, appointment=appointment, subject="Door collega")
    data = plan_data(client_of_coach, tomorrow, 10, subject="Mijn onderwerp", version=version)
    response = coach_client.post(reverse("agenda:move", args=[appointment.pk]), data)
    assert response.status_code == 409
    assert "Mijn onderwerp" in response.content.decode()
    appointment.refresh_from_db()
    assert (appointment.subject, appointment.local_start.hour) == ("Door collega", 9)


def test_held_opens_the_contact_form_filled_in_and_saves_once(coach_client, coach, client_of_coach):
    appointment = planned_in_the_past(
        client_of_coach, coach, timezone.now() - datetime.timedelta(minutes=30)
    )
    appointment.subject = "Vacature bespreken"
    appointment.save()
    url = reverse("agenda:held", args=[appointment.pk])
    form = coach_client.get(url).context["form"]
    assert (form["date"].value(), form["channel"].value(), form["subject"].value()) == (
        appointment.local_start.date(),
        "phone",
        "Vacature bespreken",
    )
    data = {
        "date": f"{appointment.local_start.date():%Y-%m-%d}",
        "channel": "phone",
        "subject": "Vacature bespreken",
        "notes": "Solliciteert deze week.",
        "submission_token": str(uuid.uuid4()),
    }
    response = coach_client.post(url, data)
    assert response["Location"] == reverse("clients:detail", args=[client_of_coach.pk])
    coach_client.post(url, data)  # the same form again: nothing more
    again = coach_client.post(url, {**data, "submission_token": str(uuid.uuid4())})
    assert "De uitkomst van deze afspraak is al vastgelegd: gehouden." in again.content.decode()
    contact = Contact.objects.get()
    assert contact.notes == "Solliciteert deze week."
    assert Appointment.objects.get().contact == contact


def test_no_show_is_recorded_once_and_counted_in_the_dossier(coach_client, coach, client_of_coach):
    appointment = planned_in_the_past(
        client_of_coach, coach, timezone.now() - datetime.timedelta(minutes=30)
    )
    dossier = reverse("clients:detail", args=[client_of_coach.pk])
    url = reverse("agenda:no_show", args=[appointment.pk])
    coach_client.post(url, {"next": dossier})
    response = coach_client.post(url, {"next": dossier}, follow=True)
    assert "al vastgelegd" in response.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.NO_SHOW
    panel = next(p for p in response.context["panels"] if p.template == "agenda/_dossier.html")
    assert panel.context["no_shows"] == 1
    assert "1 keer niet verschenen" in response.content.decode()


def test_after_a_no_show_the_coach_sends_the_reminder_letter_from_the_dossier(
    coach_client, coach, client_of_coach
):
    from documents.models import Letter

    appointment = planned_in_the_past(
        client_of_coach, coach, timezone.now() - datetime.timedelta(minutes=30)
    )
    dossier = reverse("clients:detail", args=[client_of_coach.pk])
    url = reverse("agenda:remind", args=[appointment.pk])
    assert url not in coach_client.get(dossier).content.decode()  # not before a no-show
    refused = coach_client.post(url, {"next": dossier}, follow=True).content.decode()
    assert "alleen na een afspraak waarop de cliënt niet verscheen" in refused
    assert not Letter.objects.exists()
    coach_client.post(reverse("agenda:no_show", args=[appointment.pk]), {"next": dossier})
    assert url in coach_client.get(dossier).content.decode()
    sent = coach_client.post(url, {"next": dossier}, follow=True).content.decode()
    assert "De herinneringsbrief is verstuurd" in sent
    assert list(Letter.objects.values_list("kind", flat=True)) == ["no_show_reminder"]


def test_next_leads_only_within_the_site(coach_client, coach, client_of_coach):
    appointment = planned_in_the_past(client_of_coach, coach, timezone.now())
    response = coach_client.post(
        reverse("agenda:no_show", args=[appointment.pk]), {"next": "https://example.org/"}
    )
    assert response["Location"] == reverse("agenda:detail", args=[appointment.pk])


def test_two_no_shows_in_a_row_become_a_signal_on_the_start_page(
    coach_client, coach, client_of_coach
):
    def outcome(days_ago, status):
        planned_in_the_past(
            client_of_coach,
            coach,
            timezone.now() - datetime.timedelta(days=days_ago),
            status=status,
        )

    outcome(10, "no_show")
    outcome(5, "held")
    outcome(3, "no_show")
    start = coach_client.get(reverse("clients:list")).content.decode()
    assert "Twee keer achter elkaar niet verschenen" not in start  # a held one in between
    outcome(1, "no_show")
    outcome(0, "cancelled")  # not an outcome: the row of two stands
    start = coach_client.get(reverse("clients:list")).content.decode()
    assert "Twee keer achter elkaar niet verschenen" in start
    assert "El Amrani, Fatima" in start
    week = coach_client.get(reverse("agenda:index"), follow=True).content.decode()
    assert "Twee keer achter elkaar niet verschenen" in week


def test_the_team_week_shows_names_to_casework_and_initials_to_a_manager(
    client, coach, manager, team, make_user, client_of_coach, plan, tomorrow
):
    plan(at(tomorrow, 9))
    team.members.add(manager)
    week = Week.of(tomorrow)
    url = reverse("agenda:team_week", args=[*week])
    client.force_login(coach)
    assert "Fatima El Amrani" in client.get(url).content.decode()
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert "Fatima" not in html and "Amrani" not in html
    assert "F.E." in html and "Sanne de Vries" in html
    assert f'href="{reverse("agenda:team_index")}"' in html  # the manager's menu entry


def test_a_manager_outside_any_team_sees_no_team_week(client, manager, plan, tomorrow):
    plan(at(tomorrow, 9))
    client.force_login(manager)
    response = client.get(reverse("agenda:team_index"), follow=True)
    assert response.context["rows"] == []


# Queries: the same number for 1 appointment as for 50 ----------------------------------------


def _many(coach, client, tomorrow, n):
    zone = timezone.get_current_timezone()
    Appointment.objects.bulk_create(
        Appointment(
            client=client,
            coach=coach,
            starts_at=datetime.datetime.combine(tomorrow, datetime.time(7), zone)
            + datetime.timedelta(minutes=15 * i),
            ends_at=datetime.datetime.combine(tomorrow, datetime.time(7), zone)
            + datetime.timedelta(minutes=15 * i + 10),
            duration_minutes=10,
            kind="progress",
            channel="phone",
        )
        for i in range(n)
    )


def _count(browser, url):
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("screen", ["week", "team_week", "dossier"])
def test_the_pages_run_as_many_queries_for_50_appointments_as_for_1(
    coach_client, coach, client_of_coach, tomorrow, screen, django_assert_num_queries
):
    week = Week.of(tomorrow)
    url = {
        "week": reverse("agenda:week", args=[*week]),
        "team_week": reverse("agenda:team_week", args=[*week]),
        "dossier": reverse("clients:detail", args=[client_of_coach.pk]),
    }[screen]
    _many(coach, client_of_coach, tomorrow, 1)
    coach_client.get(url)  # the session's first renewal is not the page's
    one = _count(coach_client, url)
    Appointment.objects.all().delete()
    _many(coach, client_of_coach, tomorrow, 50)
    with django_assert_num_queries(one):
        response = coach_client.get(url)
    assert response.status_code == 200
    shown = {
        "week": lambda c: sum(len(col.appointments) for col in c["columns"]),
        "team_week": lambda c: sum(len(day) for row in c["rows"] for day in row.days),
        "dossier": lambda c: len(
            next(p for p in c["panels"] if p.template == "agenda/_dossier.html").context[
                "appointments"
            ]
        ),
    }[screen](response.context)
    assert shown == 50


def test_cancelling_and_the_invitation_from_the_dossier_send_letters_on_the_timeline(
    coach_client, plan, tomorrow, client_of_coach
):
    from documents.models import Letter

    first, second = plan(at(tomorrow, 9)), plan(at(tomorrow, 11))
    dossier = reverse("clients:detail", args=[client_of_coach.pk])
    page = coach_client.get(dossier).content.decode()
    assert reverse("agenda:invite", args=[first.pk]) in page
    assert reverse("agenda:cancel", args=[second.pk]) in page
    response = coach_client.post(
        reverse("agenda:invite", args=[first.pk]), {"next": dossier}, follow=True
    )
    assert "De uitnodigingsbrief is verstuurd" in response.content.decode()
    coach_client.post(reverse("agenda:cancel", args=[second.pk]), {"next": dossier})
    assert sorted(Letter.objects.values_list("kind", flat=True)) == [
        "appointment_cancelled",
        "invitation",
    ]
    assert Appointment.objects.get(pk=second.pk).status == AppointmentStatus.CANCELLED
    timeline = [e.kind for e in coach_client.get(dossier).context["timeline"]]
    assert timeline.count("letter") == 2


def test_a_cancellation_stands_when_no_letter_can_go_and_the_coach_is_told_why(
    coach_client, plan, tomorrow, client_of_coach
):
    from documents.models import Letter

    appointment = plan(at(tomorrow, 9))
    client_of_coach.address = ""  # by post, but without an address
    client_of_coach.save()
    response = coach_client.post(reverse("agenda:cancel", args=[appointment.pk]), follow=True)
    page = response.content.decode()
    assert "Er is geen brief naar de cliënt gegaan" in page
    assert "adres van de cliënt is onvolledig" in page
    assert "Laat het de cliënt op een andere manier weten" in page
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    assert not Letter.objects.filter(kind="appointment_cancelled").exists()
