"""Two people editing one client, and forms sent twice: nothing lost, nothing written twice."""

import pytest
from django.urls import reverse

from clients import services
from clients.models import Client, Contact, LadderObservation
from tests.clients.test_views import edit_form_data

pytestmark = pytest.mark.django_db


def test_second_save_over_a_changed_client_is_refused_and_keeps_what_was_typed(
    coach_client, client_of_coach, make_user
):
    url = reverse("clients:update", args=[client_of_coach.pk])
    form = coach_client.get(url).context["form"]
    # Meanwhile a colleague changes the phone number and saves first.
    colleague = make_user("collega")
    services.client_update(
        actor=colleague,
        client=Client.objects.get(pk=client_of_coach.pk),
        phone="0592-111111",
    )

    response = coach_client.post(url, edit_form_data(form, phone="06-22222222", email="a@b.nl"))

    assert response.status_code == 409
    client_of_coach.refresh_from_db()
    assert (client_of_coach.phone, client_of_coach.email) == ("0592-111111", "")
    page = response.content.decode()
    assert "Iemand anders heeft deze cliënt gewijzigd terwijl u bewerkte" in page
    differences = response.context["conflict"]["differences"]
    assert ("Telefoonnummer", "0592-111111", "06-22222222") in [
        (str(label), theirs, yours) for label, theirs, yours in differences
    ]
    rebound = response.context["form"]
    assert rebound["phone"].value() == "06-22222222"  # nothing typed is lost
    assert rebound["email"].value() == "a@b.nl"

    # Having compared, the coach saves again: now their values are written.
    again = coach_client.post(url, edit_form_data(rebound))
    assert again.status_code == 302
    client_of_coach.refresh_from_db()
    assert (client_of_coach.phone, client_of_coach.email) == ("06-22222222", "a@b.nl")


def test_a_tampered_version_is_a_form_error_not_a_server_error(coach_client, client_of_coach):
    url = reverse("clients:update", args=[client_of_coach.pk])
    form = coach_client.get(url).context["form"]
    response = coach_client.post(url, edit_form_data(form, version="7:forged"))
    assert response.status_code == 200
    assert "version" in response.context["form"].errors


def test_a_double_clicked_registration_creates_one_client(coach_client, new_client_data):
    form = coach_client.get(reverse("clients:create")).context["form"]
    data = {**new_client_data, "submission_token": str(form["submission_token"].value())}

    first = coach_client.post(reverse("clients:create"), data)
    second = coach_client.post(reverse("clients:create"), data)

    client = Client.objects.get()
    assert first["Location"] == second["Location"] == reverse("clients:detail", args=[client.pk])


def test_a_double_submitted_edit_saves_once_without_a_conflict(coach_client, client_of_coach):
    url = reverse("clients:update", args=[client_of_coach.pk])
    data = edit_form_data(coach_client.get(url).context["form"], phone="06-33333333")
    assert coach_client.post(url, data).status_code == 302
    assert coach_client.post(url, data).status_code == 302
    client_of_coach.refresh_from_db()
    assert client_of_coach.phone == "06-33333333"


def test_a_double_clicked_contact_is_logged_once(coach_client, client_of_coach):
    url = reverse("clients:contact_create", args=[client_of_coach.pk])
    data = {
        "date": "2026-01-05",
        "channel": "phone",
        "submission_token": "5f0c6b8e-1d1e-4c53-9d4e-0a8e6c1d2b3a",
    }
    for _ in range(2):
        response = coach_client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200
    assert Contact.objects.filter(client=client_of_coach).count() == 1


def test_a_token_protects_only_its_own_form(coach_client, client_of_coach):
    url = reverse("clients:ladder_create", args=[client_of_coach.pk])
    for token in ("5f0c6b8e-1d1e-4c53-9d4e-0a8e6c1d2b3a", "6a1d7c9f-2e2f-4d64-8e5f-1b9f7d2e3c4b"):
        coach_client.post(url, {"observed_on": "2026-01-05", "step": 3, "submission_token": token})
    assert LadderObservation.objects.filter(client=client_of_coach).count() == 2


def test_an_anonymised_client_cannot_be_changed_or_added_to(coach_client, client_of_coach):
    from privacy.services import client_anonymise

    client_anonymise(client=client_of_coach, actor=None)
    detail = reverse("clients:detail", args=[client_of_coach.pk])
    attempts = [
        coach_client.get(reverse("clients:update", args=[client_of_coach.pk])),
        coach_client.post(reverse("clients:update", args=[client_of_coach.pk]), {"phone": "06"}),
        coach_client.get(reverse("clients:intake_create", args=[client_of_coach.pk])),
        coach_client.post(
            reverse("clients:contact_create", args=[client_of_coach.pk]),
            {"date": "2026-01-05", "channel": "phone"},
        ),
    ]
    assert [r.status_code for r in attempts] == [302, 302, 302, 302]
    assert all(r["Location"] == detail for r in attempts)
    assert not Contact.objects.exists()
    page = coach_client.get(detail).content.decode()
    assert "kan niet meer worden gewijzigd" in page
    assert reverse("clients:update", args=[client_of_coach.pk]) not in page
