import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from agenda import services
from agenda.models import FeedToken
from tests.agenda.conftest import at

pytestmark = pytest.mark.django_db


def feed_url(user, secret):
    return reverse("agenda:feed", args=[user.pk, secret])


@pytest.fixture
def secret(coach):
    return services.feed_token_renew(user=coach)


def test_the_feed_parses_and_holds_initials_and_kind_but_no_name_bsn_subject_or_place(
    client, coach, client_of_coach, plan, tomorrow, secret
):
    planned = plan(
        at(tomorrow, 14), subject="Schuldhulp bespreken", place="Wijkcentrum Kloosterveen"
    )
    cancelled = plan(at(tomorrow, 16), channel="video")
    services.appointment_cancel(actor=coach, appointment=cancelled)

    response = client.get(feed_url(coach, secret))  # no login: a calendar app cannot log in

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    calendar = icalendar.Calendar.from_ical(body)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        f"appointment-{planned.pk}@agenda.werk-en-ontwikkeling",
        f"appointment-{cancelled.pk}@agenda.werk-en-ontwikkeling",
    }
    event = events[f"appointment-{planned.pk}@agenda.werk-en-ontwikkeling"]
    assert str(event["summary"]) == "F.E. · Voortgangsgesprek"
    assert str(event["location"]) == "Persoonlijk"
    assert str(event["status"]) == "CONFIRMED"
    assert event.decoded("dtstart") == planned.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=45)
    assert "dtstamp" in event
    assert str(events[f"appointment-{cancelled.pk}@agenda.werk-en-ontwikkeling"]["status"]) == (
        "CANCELLED"
    )
    # Unfolded, so a name split over two lines would still be found.
    text = body.decode().replace("\r\n ", "")
    for secret_text in (
        "Fatima",
        "Amrani",
        client_of_coach.bsn,
        "Schuldhulp",
        "Kloosterveen",
    ):
        assert secret_text not in text


def test_a_moved_appointment_keeps_its_uid(client, coach, plan, tomorrow, secret):
    appointment = plan(at(tomorrow, 9))
    first = icalendar.Calendar.from_ical(client.get(feed_url(coach, secret)).content)
    services.appointment_move(actor=coach, appointment=appointment, starts_at=at(tomorrow, 11))
    second = icalendar.Calendar.from_ical(client.get(feed_url(coach, secret)).content)
    (before,), (after,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert before["uid"] == after["uid"]
    assert after.decoded("dtstart") - before.decoded("dtstart") == datetime.timedelta(hours=2)


def test_a_wrong_or_renewed_secret_is_refused_and_logged(client, coach, secret, caplog):
    assert client.get(feed_url(coach, secret + "x")).status_code == 404
    assert client.get(feed_url(coach, "not-the-secret")).status_code == 404
    renewed = services.feed_token_renew(user=coach)
    assert client.get(feed_url(coach, secret)).status_code == 404  # the old link stops at once
    assert client.get(feed_url(coach, renewed)).status_code == 200
    assert "refused link for user" in caplog.text
    assert FeedToken.objects.get().token_hash != renewed  # only the hash is stored
    assert FeedToken.objects.get().last_used_at is not None


def test_someone_elses_secret_does_not_open_your_feed(client, coach, make_user, secret):
    other = make_user("collega", "work_coach")
    services.feed_token_renew(user=other)
    assert client.get(feed_url(other, secret)).status_code == 404


def test_too_many_requests_from_one_link_are_refused(client, coach, secret, settings, monkeypatch):
    from agenda import views

    monkeypatch.setattr(views, "FEED_REQUESTS_PER_HOUR", 3)
    answers = [client.get(feed_url(coach, secret)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_the_coach_makes_a_new_link_and_sees_it_once(coach_client, coach):
    page = coach_client.get(reverse("agenda:feed_settings"))
    assert "U hebt nog geen link." in page.content.decode()
    response = coach_client.post(reverse("agenda:feed_renew"), follow=True)
    html = response.content.decode()
    assert "alleen nu zichtbaar" in html
    link = response.context["link"]
    assert link.startswith("http://testserver/agenda/feed/")
    assert coach_client.get(link).status_code == 200
    again = coach_client.get(reverse("agenda:feed_settings"))
    assert again.context["link"] is None  # shown once; only a hash is kept


def test_the_feed_leaves_out_appointments_of_long_ago(coach, client_of_coach, secret, client):
    from tests.agenda.conftest import planned_in_the_past

    planned_in_the_past(client_of_coach, coach, timezone.now() - datetime.timedelta(days=40))
    recent = planned_in_the_past(
        client_of_coach, coach, timezone.now() - datetime.timedelta(days=2)
    )
    events = icalendar.Calendar.from_ical(client.get(feed_url(coach, secret)).content).walk(
        "VEVENT"
    )
    assert [str(e["uid"]) for e in events] == [
        f"appointment-{recent.pk}@agenda.werk-en-ontwikkeling"
    ]


def test_a_user_whose_role_lost_the_agenda_loses_the_feed(client, coach, secret):
    assert client.get(feed_url(coach, secret)).status_code == 200
    coach.groups.clear()
    assert client.get(feed_url(coach, secret)).status_code == 404


def test_a_user_who_left_loses_the_feed(client, coach, secret):
    coach.is_active = False
    coach.save()
    assert client.get(feed_url(coach, secret)).status_code == 404
