"""Denied reads are logged; the full BSN is shown only on request, and that is logged."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as HttpClient
from django.urls import reverse

from audit.models import AccessLog
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(other_team):
    return ClientFactory(team=other_team)


@pytest.mark.parametrize("name", ["clients:detail", "clients:update", "clients:intake_create"])
def test_asking_for_a_client_outside_the_scope_is_logged_as_denied(
    coach_client, coach, stranger, name
):
    response = coach_client.get(reverse(name, args=[stranger.pk]), REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.user, entry.kind, entry.result) == (coach, "dossier", "denied")
    assert (entry.object_type, entry.object_id) == ("clients.client", str(stranger.pk))
    assert entry.ip_address == "10.9.8.7"


def test_a_posted_form_for_a_client_outside_the_scope_is_logged_as_denied(coach_client, stranger):
    response = coach_client.post(
        reverse("clients:contact_create", args=[stranger.pk]),
        {"date": "2026-01-01", "channel": "phone"},
    )
    assert response.status_code == 404
    assert AccessLog.objects.get().result == "denied"


def test_a_client_that_does_not_exist_is_logged_with_the_requested_id(coach_client):
    assert coach_client.get(reverse("clients:detail", args=[424242])).status_code == 404
    assert AccessLog.objects.get().object_id == "424242"


def test_the_dossier_shows_the_bsn_masked_with_a_button(coach_client, client_of_coach):
    response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    body = response.content.decode()
    assert client_of_coach.bsn_masked in body
    assert client_of_coach.bsn not in body
    assert "Toon volledig BSN" in body
    assert reverse("clients:bsn_reveal", args=[client_of_coach.pk]) in body


def test_revealing_the_bsn_with_htmx_returns_it_and_logs_it(coach_client, coach, client_of_coach):
    url = reverse("clients:bsn_reveal", args=[client_of_coach.pk])
    response = coach_client.post(url, headers={"HX-Request": "true"}, REMOTE_ADDR="10.1.1.1")
    body = response.content.decode()
    assert response.status_code == 200
    assert client_of_coach.bsn in body and 'id="bsn"' in body
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get()
    assert (entry.user, entry.kind, entry.result, entry.ip_address) == (
        coach,
        "full_bsn",
        "granted",
        "10.1.1.1",
    )
    assert entry.object_id == str(client_of_coach.pk)


def test_revealing_the_bsn_without_javascript_shows_it_once_after_a_redirect(
    coach_client, client_of_coach
):
    detail = reverse("clients:detail", args=[client_of_coach.pk])
    response = coach_client.post(reverse("clients:bsn_reveal", args=[client_of_coach.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    shown = coach_client.get(detail)
    assert client_of_coach.bsn in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    again = coach_client.get(detail)
    assert client_of_coach.bsn not in again.content.decode()
    kinds = list(AccessLog.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["full_bsn", "dossier", "dossier"]


def test_revealing_the_bsn_needs_post_and_csrf(coach, client_of_coach):
    url = reverse("clients:bsn_reveal", args=[client_of_coach.pk])
    browser = HttpClient(enforce_csrf_checks=True)
    browser.force_login(coach)
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    assert not AccessLog.objects.exists()


def test_revealing_the_bsn_of_a_client_outside_the_scope_is_denied_and_logged(
    coach_client, stranger
):
    response = coach_client.post(reverse("clients:bsn_reveal", args=[stranger.pk]))
    assert response.status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.result, entry.object_id) == ("full_bsn", "denied", str(stranger.pk))


def test_without_the_permission_there_is_no_button_and_no_bsn(
    client, make_user, team, client_of_coach
):
    reader = make_user("lezer", teams=[team])
    reader.user_permissions.add(Permission.objects.get(codename="view_client"))
    client.force_login(reader)
    body = client.get(reverse("clients:detail", args=[client_of_coach.pk])).content.decode()
    assert "Toon volledig BSN" not in body
    response = client.post(reverse("clients:bsn_reveal", args=[client_of_coach.pk]))
    assert response.status_code == 403
    assert client_of_coach.bsn not in response.content.decode()


def test_the_caseload_and_page_titles_never_show_the_full_bsn(coach_client, client_of_coach):
    for url in [
        reverse("clients:list"),
        reverse("clients:detail", args=[client_of_coach.pk]),
    ]:
        body = coach_client.get(url).content.decode()
        assert client_of_coach.bsn not in body
        title = body.split("<title>")[1].split("</title>")[0]
        assert client_of_coach.bsn[-4:] not in title
