"""Attacks a user could try from the browser: other teams' ids, forged forms, BSNs in the open."""

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.test import override_settings
from django.urls import reverse

from audit.models import AccessLog
from clients.forms import coach_text
from clients.models import Client, Contact, Intake, LadderObservation
from tests.factories import ClientFactory
from tests.test_authorisation import concrete_urls, url_samples  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of_other_team(other_team, assen, make_user):
    other_coach = make_user("anderecoach", "work_coach", teams=[other_team])
    return ClientFactory(
        first_name="Piet",
        last_name="Bakker",
        coach=other_coach,
        team=other_team,
        municipality=assen,
    )


def test_changing_the_id_in_urls_never_reaches_another_teams_client(
    coach_client, client_of_other_team
):
    pk = client_of_other_team.pk
    assert coach_client.get(reverse("clients:detail", args=[pk])).status_code == 404
    assert coach_client.get(reverse("clients:update", args=[pk])).status_code == 404
    assert coach_client.get(reverse("clients:intake_create", args=[pk])).status_code == 404
    writes = {
        "clients:update": {"first_name": "Gehackt", "last_name": "X"},
        "clients:contact_create": {"date": "2026-01-05", "channel": "phone"},
        "clients:ladder_create": {"observed_on": "2026-01-05", "step": 2},
        "clients:intake_create": {"held_on": "2026-01-05", "ladder_step": 2},
        "clients:bsn_reveal": {},
    }
    for name, data in writes.items():
        assert coach_client.post(reverse(name, args=[pk]), data).status_code == 404, name
    client_of_other_team.refresh_from_db()
    assert client_of_other_team.first_name == "Piet"
    # Every attempt is on record as a denied read of that client.
    denied = AccessLog.objects.filter(result="denied", object_id=str(pk))
    assert denied.count() == 3 + len(writes)
    assert not AccessLog.objects.filter(result="granted").exists()
    assert not Contact.objects.exists()
    assert not LadderObservation.objects.exists()
    assert not Intake.objects.exists()


def test_an_id_that_does_not_exist_answers_the_same_as_another_teams_client(
    coach_client, client_of_other_team
):
    missing = coach_client.get(reverse("clients:detail", args=[client_of_other_team.pk + 999]))
    other = coach_client.get(reverse("clients:detail", args=[client_of_other_team.pk]))
    assert missing.status_code == other.status_code == 404
    assert "Bakker" not in other.content.decode()  # no hint that the client exists


def test_a_search_by_bsn_does_not_find_another_teams_client(coach_client, client_of_other_team):
    response = coach_client.post(reverse("clients:list"), {"bsn": client_of_other_team.bsn})
    assert response.status_code == 200
    assert "Bakker" not in response.content.decode()


def test_a_forged_coach_in_the_client_form_is_refused(
    coach_client, client_of_coach, manager, new_client_data
):
    # Only work coaches and diagnosis consultants carry a caseload; a manager's id is not offered.
    response = coach_client.post(
        reverse("clients:create"), {**new_client_data, "coach": coach_text(manager)}
    )
    assert response.status_code == 200
    assert "coach" in response.context["form"].errors
    assert not Client.objects.filter(bsn=new_client_data["bsn"]).exists()


def csrf_failed(request, reason=""):
    return HttpResponse(f"csrf: {reason}", status=499)


@override_settings(CSRF_FAILURE_VIEW="tests.test_security.csrf_failed")
def test_every_url_refuses_a_post_without_a_csrf_token(request, url_samples):  # noqa: F811
    browsers = {}
    for fixture in ("coach", "functional_admin"):
        browsers[fixture] = HttpClient(enforce_csrf_checks=True)
        browsers[fixture].force_login(request.getfixturevalue(fixture))
    browsers["anonymous"] = HttpClient(enforce_csrf_checks=True)
    unprotected = []
    for name, url in concrete_urls(url_samples):
        if name == "health":
            continue  # answered before any other middleware, writes nothing, shows no data
        for who, browser in browsers.items():
            status = browser.post(url, {"x": "1"}).status_code
            # 499: refused by the CSRF check. A 302 to the login page comes first for anonymous.
            if status != 499 and not (who == "anonymous" and status == 302):
                unprotected.append((name, who, status))
    assert unprotected == []


def forms_without_csrf_token(html: str) -> list[str]:
    forms = re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S | re.I)
    return [
        form[:120]
        for form in forms
        if re.search(r'method="post"', form, re.I) and "csrfmiddlewaretoken" not in form
    ]


def test_every_form_on_the_pages_carries_a_csrf_token(coach_client, client_of_coach):
    pages = [
        reverse("clients:list"),
        reverse("clients:detail", args=[client_of_coach.pk]),
        reverse("clients:create"),
        reverse("clients:update", args=[client_of_coach.pk]),
        reverse("clients:intake_create", args=[client_of_coach.pk]),
    ]
    for page in pages:
        html = coach_client.get(page).content.decode()
        assert "<form" in html
        assert forms_without_csrf_token(html) == [], page


def test_no_bsn_in_links_titles_or_logs(coach_client, client_of_coach, caplog):
    bsn = client_of_coach.bsn
    caplog.set_level(logging.DEBUG)
    seen = []
    seen.append(coach_client.post(reverse("clients:list"), {"bsn": bsn}))
    seen.append(coach_client.get(reverse("clients:detail", args=[client_of_coach.pk])))
    seen.append(coach_client.get(reverse("clients:update", args=[client_of_coach.pk])))
    seen.append(coach_client.get(reverse("clients:list") + f"?bsn={bsn}&q=x", follow=True))
    # A refused form logs a warning with the path; the BSN typed stays out of it.
    seen.append(coach_client.post(reverse("clients:create"), {"bsn": bsn, "first_name": "A"}))
    for response in seen:
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert bsn not in title
        for link in re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html):
            assert bsn not in link
    assert all(bsn not in record.getMessage() for record in caplog.records)
    assert "Fatima" in seen[0].content.decode()  # the search found her: the test is real


def test_the_change_history_masks_the_bsn(coach_client, client_of_coach):
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(client_of_coach).get()
    assert client_of_coach.bsn not in str(entry.changes)
    assert client_of_coach.bsn[-4:] in str(entry.changes)
