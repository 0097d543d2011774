"""The functional administrator chooses the service area (kpis.md) from every municipality."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, functional_admin):
    client.force_login(functional_admin)
    return client


@pytest.mark.parametrize(
    ("user", "status"),
    [("functional_admin", 200), ("coach", 403), ("manager", 403), ("account_manager", 403)],
)
def test_only_a_functional_administrator_opens_the_service_area(client, request, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.get(reverse("core:service_area")).status_code == status
    posted = client.post(reverse("core:service_area"), {"municipalities": []})
    assert posted.status_code == (302 if status == 200 else status)


def test_the_page_lists_current_municipalities_by_province_and_no_merged_away_ones(admin_client):
    body = admin_client.get(reverse("core:service_area")).content.decode()
    assert body.count('name="municipalities"') == 342
    assert "&#x27;s-Hertogenbosch" in body and "Noord-Brabant" in body
    assert ">Weesp<" not in body  # part of Amsterdam since 24 March 2022
    assert "js/service_area.js" in body
    assert body.count("<h1") == 1
    assert "Werkgebied" in body  # the menu entry and the heading, in Dutch


def test_saving_replaces_the_service_area_and_logs_each_change(admin_client, functional_admin):
    Municipality.objects.filter(name__in=["Assen", "Emmen"]).update(in_service_area=True)
    chosen = Municipality.objects.filter(name__in=["Assen", "Vught", "'s-Hertogenbosch"])
    response = admin_client.post(
        reverse("core:service_area"), {"municipalities": [m.pk for m in chosen]}
    )
    assert response.status_code == 302
    assert set(Municipality.objects.service_area().values_list("name", flat=True)) == {
        "Assen",
        "Vught",
        "'s-Hertogenbosch",
    }
    page = admin_client.get(response["Location"]).content.decode()
    assert "Werkgebied opgeslagen: 2 toegevoegd, 1 verwijderd." in page
    logged = LogEntry.objects.filter(content_type__model="municipality", actor=functional_admin)
    assert sorted((e.object_repr, e.changes["in_service_area"][1]) for e in logged) == [
        ("'s-Hertogenbosch", "True"),
        ("Emmen", "False"),
        ("Vught", "True"),
    ]


def test_a_merged_away_municipality_cannot_be_chosen(admin_client):
    weesp = Municipality.objects.get(name="Weesp")
    response = admin_client.post(reverse("core:service_area"), {"municipalities": [weesp.pk]})
    assert response.status_code == 200
    assert not Municipality.objects.service_area().exists()


def test_forms_offer_current_municipalities_and_keep_the_one_a_record_holds(client_of_coach):
    from clients.forms import ClientForm
    from employers.forms import EmployerForm

    offered = set(ClientForm().fields["municipality"].queryset.values_list("name", flat=True))
    assert len(offered) == 342 and "Weesp" not in offered and "Vught" in offered
    assert "Weesp" not in set(
        EmployerForm().fields["municipality"].queryset.values_list("name", flat=True)
    )
    client_of_coach.municipality = Municipality.objects.get(name="Weesp")
    held = ClientForm(instance=client_of_coach).fields["municipality"].queryset
    assert held.filter(name="Weesp").exists()
