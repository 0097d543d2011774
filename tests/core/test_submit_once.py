"""A create form without its once-only token is refused, not saved on every send."""

import pytest
from django.test import Client as PlainClient
from django.urls import reverse

from clients.models import Client, Contact

pytestmark = pytest.mark.django_db

REFUSED = "Dit formulier is verlopen of onvolledig; laad de pagina opnieuw."


@pytest.fixture
def plain_client(coach):
    """Django's own test client: sends exactly the fields given, no token added."""
    http = PlainClient()
    http.force_login(coach)
    return http


def create_forms(client_of_coach, new_client_data):
    return [
        (reverse("clients:create"), new_client_data, Client.objects.all),
        (
            reverse("clients:contact_create", args=[client_of_coach.pk]),
            {"date": "2026-11-20", "channel": "phone", "subject": "Kennismaking"},
            Contact.objects.all,
        ),
    ]


@pytest.mark.parametrize("token", [None, "", "niet-een-uuid"])
def test_three_posts_without_a_valid_token_create_nothing(
    plain_client, client_of_coach, new_client_data, token
):
    for url, data, rows in create_forms(client_of_coach, new_client_data):
        before = rows().count()
        sent = data if token is None else {**data, "submission_token": token}
        for _ in range(3):
            response = plain_client.post(url, sent)
            assert response.status_code == 200, url  # the form again, with the message
            assert REFUSED in response.content.decode(), url
        assert rows().count() == before, url


def test_three_posts_with_the_rendered_token_create_exactly_one(
    plain_client, client_of_coach, new_client_data
):
    form = plain_client.get(reverse("clients:create")).context["form"]
    token = str(form["submission_token"].value())
    for url, data, rows in create_forms(client_of_coach, new_client_data):
        before = rows().count()
        for _ in range(3):
            plain_client.post(url, {**data, "submission_token": token})
        assert rows().count() == before + 1, url
        token = "0b7f0c36-8a3e-4f55-9a43-2d6e1b1c9f10"  # a second form on another page
