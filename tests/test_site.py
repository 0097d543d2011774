"""Site-wide promises: one <h1> per page, the language switch, no pending migrations."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _pages(client_pk):
    return [
        reverse("clients:list"),
        reverse("clients:create"),
        reverse("clients:detail", args=[client_pk]),
        reverse("clients:update", args=[client_pk]),
        reverse("clients:intake_create", args=[client_pk]),
    ]


def test_every_page_has_exactly_one_h1(coach_client, client_of_coach, client):
    for url in _pages(client_of_coach.pk):
        body = coach_client.get(url).content.decode()
        assert len(re.findall(r"<h1[ >]", body)) == 1, url
    client.logout()
    body = client.get(reverse("account_login")).content.decode()
    assert len(re.findall(r"<h1[ >]", body)) == 1


def test_interface_is_dutch_whatever_the_browser_asks(coach_client):
    response = coach_client.get(reverse("clients:list"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Mijn caseload" in response.content.decode()
    assert response["Content-Language"] == "nl"


def test_language_switch_turns_the_interface_english(coach_client):
    coach_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = coach_client.get(reverse("clients:list")).content.decode()
    assert "My caseload" in body
    assert 'lang="en"' in body


def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_ids_in_links_stay_plain_digits_past_a_thousand(coach_client, coach, team):
    """With thousand separators on, id 12345 became ?client=12.345 and the form lost its client."""
    from tests.factories import ClientFactory

    ClientFactory(pk=12345, coach=coach, team=team)
    page = coach_client.get("/clients/12345/").content.decode()
    assert "?client=12345" in page
    assert "12.345" not in page
