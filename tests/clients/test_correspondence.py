"""How a client prefers letters (issue 17): chosen on the client form, shown in the dossier,
left at its default by the import (interchange.md has no such column)."""

import pytest
from django.urls import reverse

from clients.models import Client, Correspondence
from interchange.engine import import_folder
from tests.clients.test_views import edit_form_data
from tests.factories import ClientFactory
from tests.interchange.conftest import (  # noqa: F401 (fixtures)
    HEADER,
    client_line,
    folder,
    lines,
    reference_data,
)

pytestmark = pytest.mark.django_db


def test_a_new_client_gets_letters_by_post_unless_the_form_says_otherwise(
    coach_client, new_client_data
):
    response = coach_client.post(
        reverse("clients:create"), new_client_data | {"correspondence": "email"}
    )
    assert response.status_code == 302
    client = Client.objects.get(bsn=new_client_data["bsn"])
    assert client.correspondence == Correspondence.EMAIL
    page = coach_client.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "Correspondentie" in page
    assert "Per e-mail" in page


def test_an_edit_without_the_field_keeps_the_choice(coach_client, coach, team):
    client = ClientFactory(coach=coach, team=team, correspondence=Correspondence.EMAIL)
    form = coach_client.get(reverse("clients:update", args=[client.pk])).context["form"]
    data = edit_form_data(form, last_name="Anders")
    del data["correspondence"]
    response = coach_client.post(reverse("clients:update", args=[client.pk]), data)
    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.last_name, client.correspondence) == ("Anders", Correspondence.EMAIL)


def test_an_imported_client_gets_letters_by_post(folder, reference_data):  # noqa: F811
    imported = folder({"clients.csv": lines(HEADER, client_line("C1", n=1))})
    assert import_folder(imported).ok
    assert Client.objects.get(source_ref="C1").correspondence == Correspondence.POST
