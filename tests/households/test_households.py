"""A client's household: members with and without a dossier, linked both ways, a partner with
their own re-integration obligation made a client with one action, and what the export and the
anonymisation do with them."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from households import services
from households.models import HouseholdMember, Relation
from privacy import export
from privacy.services import client_anonymise
from tests.factories import ClientFactory, valid_bsn

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(client_of_coach):
    client_of_coach.address = "Kerkstraat 1"
    client_of_coach.save()
    return client_of_coach


def partner(coach, home, **fields):
    return services.member_add(
        actor=coach,
        client=home,
        relation=Relation.PARTNER,
        first_name="Youssef",
        last_name="El Amrani",
        birth_date=datetime.date(1983, 5, 1),
        obligation=True,
        **fields,
    )


def test_a_partner_with_an_obligation_becomes_a_client_of_the_same_team_with_one_action(
    coach, home
):
    row = partner(coach, home)
    member = services.member_become_client(
        actor=coach, row=row, bsn=valid_bsn(900_090), birth_date=datetime.date(1983, 5, 1)
    )
    member.refresh_from_db()
    assert (member.first_name, member.last_name) == ("Youssef", "El Amrani")
    assert (member.address, member.postcode, member.municipality) == (
        "Kerkstraat 1",
        home.postcode,
        home.municipality,
    )
    assert (member.team, member.coach, member.target_group) == (
        home.team,
        home.coach,
        home.target_group,
    )
    row.refresh_from_db()
    assert row.member == member and row.last_name == "" and row.birth_date is None


def test_becoming_a_client_with_a_bsn_in_use_is_refused_and_writes_nothing(coach, home):
    row = partner(coach, home)
    with pytest.raises(ValidationError) as refused:
        services.member_become_client(
            actor=coach, row=row, bsn=home.bsn, birth_date=datetime.date(1983, 5, 1)
        )
    assert "bsn" in refused.value.message_dict
    assert Client.objects.count() == 1
    row.refresh_from_db()
    assert row.member is None and row.last_name == "El Amrani"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"relation": Relation.HOUSEMATE, "birth_date": datetime.date(2015, 1, 1)}, "relation"),
        ({"relation": Relation.CHILD, "birth_date": datetime.date(2099, 1, 1)}, "birth_date"),
        ({"relation": Relation.CHILD, "last_name": ""}, None),
        ({"relation": Relation.PARTNER, "birth_date": datetime.date(2012, 4, 1)}, "birth_date"),
    ],
)
def test_the_household_rules_refuse_what_cannot_be(coach, home, fields, field):
    data = {"relation": Relation.CHILD, "first_name": "Sara", "last_name": "El Amrani", **fields}
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=coach, client=home, **data)
    if field:
        assert field in refused.value.message_dict
    assert not HouseholdMember.objects.exists()


def test_one_partner_per_client_from_either_side(coach, home, team):
    partner(coach, home)
    other = ClientFactory(coach=coach, team=team)
    with pytest.raises(ValidationError, match="partner"):
        services.member_link(actor=coach, client=other, member=home, relation=Relation.PARTNER)
    assert HouseholdMember.objects.count() == 1


def test_a_link_shows_on_both_dossiers_read_from_each_side(coach_client, coach, home, team):
    child = ClientFactory(first_name="Sara", last_name="El Amrani", coach=coach, team=team)
    services.member_link(actor=coach, client=home, member=child, relation=Relation.CHILD)
    on_home = coach_client.get(reverse("clients:detail", args=[home.pk])).content.decode()
    on_child = coach_client.get(reverse("clients:detail", args=[child.pk])).content.decode()
    assert "Kind:" in on_home and reverse("clients:detail", args=[child.pk]) in on_home
    assert "Ouder:" in on_child and reverse("clients:detail", args=[home.pk]) in on_child
    with pytest.raises(ValidationError):  # the same two again, from the other dossier
        services.member_link(actor=coach, client=child, member=home, relation=Relation.PARTNER)


def test_a_member_in_another_team_is_named_but_not_linked(coach_client, coach, home, other_team):
    elsewhere = ClientFactory(first_name="Ruud", last_name="Bakker", team=other_team)
    HouseholdMember.objects.create(client=home, member=elsewhere, relation=Relation.HOUSEMATE)
    body = coach_client.get(reverse("clients:detail", args=[home.pk])).content.decode()
    assert "Ruud Bakker" in body and "in een ander team" in body
    assert reverse("clients:detail", args=[elsewhere.pk]) not in body


def test_the_export_holds_the_household_and_anonymising_takes_the_members_along(coach, home, team):
    row = partner(coach, home)
    child = ClientFactory(first_name="Sara", coach=coach, team=team)
    services.member_link(actor=coach, client=child, member=home, relation=Relation.CHILD)
    section = json.loads(export.as_json(export.export_build(home)))["sections"]["household"]
    names = sorted(r["first_name"] for r in section["records"])
    assert names == ["Sara", "Youssef"]
    client_anonymise(client=home, actor=None)
    assert not HouseholdMember.objects.exists()
    assert Client.objects.filter(pk=child.pk).exists()  # her own dossier stays
    assert not HouseholdMember.objects.filter(pk=row.pk).exists()


def test_the_coach_adds_a_member_and_a_wrong_birth_date_keeps_what_was_typed(coach_client, home):
    url = reverse("households:add", args=[home.pk])
    data = {
        "relation": "housemate",
        "first_name": "Ruud",
        "last_name": "Bakker",
        "birth_date": "2016-01-01",
    }
    response = coach_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Een huisgenoot jonger dan 18 is een kind van het huishouden." in body
    assert 'value="Ruud"' in body
    data["birth_date"] = "1961-08-02"
    response = coach_client.post(url, data)
    assert response.status_code == 302
    assert HouseholdMember.objects.get().name == "Ruud Bakker"


def test_the_partner_becomes_a_client_from_the_dossier(coach_client, coach, home):
    row = partner(coach, home)
    url = reverse("households:become_client", args=[row.pk])
    assert coach_client.get(url).status_code == 200
    response = coach_client.post(url, {"bsn": valid_bsn(900_091), "birth_date": "1983-05-01"})
    member = Client.objects.get(bsn=valid_bsn(900_091))
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[member.pk])


def test_others_cannot_touch_a_household(
    client, account_manager, make_user, other_team, coach, home
):
    row = partner(coach, home)
    client.force_login(account_manager)
    assert client.get(reverse("households:add", args=[home.pk])).status_code == 403
    stranger = make_user("vreemde", role="work_coach", teams=[other_team])
    client.force_login(stranger)
    assert client.get(reverse("households:add", args=[home.pk])).status_code == 404
    assert client.post(reverse("households:remove", args=[row.pk])).status_code == 404
    assert HouseholdMember.objects.filter(pk=row.pk).exists()


def test_the_dossier_reads_the_household_in_as_many_queries_for_50_members_as_for_1(
    coach_client, coach, home, team, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            ClientFactory(coach=coach, team=team)  # keeps the dossier's other panels alike
        HouseholdMember.objects.bulk_create(
            HouseholdMember(
                client=home, relation=Relation.CHILD, first_name=f"Kind{i}", last_name="A"
            )
            for i in range(n)
        )
        HouseholdMember.objects.bulk_create(
            HouseholdMember(client=home, member=other, relation=Relation.HOUSEMATE)
            for other in Client.objects.exclude(pk=home.pk).exclude(household_of__isnull=False)[:n]
        )

    url = reverse("clients:detail", args=[home.pk])
    add(1)
    coach_client.get(url)
    with CaptureQueriesContext(connection) as one:
        coach_client.get(url)
    HouseholdMember.objects.all().delete()
    add(50)
    with django_assert_num_queries(len(one)):
        response = coach_client.get(url)
    panel = next(p for p in response.context["panels"] if p.template == "households/_dossier.html")
    assert len(panel.context["household"]) == 100


def test_becoming_a_client_with_a_known_bsn_links_that_dossier_and_is_logged(
    coach_client, coach, home
):
    from audit.models import AccessKind, AccessLog

    row = partner(coach, home)
    url = reverse("households:become_client", args=[row.pk])
    response = coach_client.post(url, {"bsn": home.bsn, "birth_date": "1983-05-01"})
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("clients:detail", args=[home.pk]) in body
    assert AccessLog.objects.filter(kind=AccessKind.BSN_LOOKUP, object_id=str(home.pk)).exists()
    assert Client.objects.count() == 1


def test_a_near_duplicate_must_be_confirmed_before_the_member_becomes_a_client(
    coach_client, coach, home, team
):
    ClientFactory(
        first_name="Yusuf", last_name="Elamrani", birth_date=datetime.date(1983, 5, 1), team=team
    )
    row = partner(coach, home)
    url = reverse("households:become_client", args=[row.pk])
    data = {"bsn": valid_bsn(900_095), "birth_date": "1983-05-01"}
    response = coach_client.post(url, data)
    assert response.status_code == 200
    assert "Elamrani" in response.content.decode()
    assert not Client.objects.filter(bsn=valid_bsn(900_095)).exists()
    response = coach_client.post(url, {**data, "other_person": "on"})
    assert response.status_code == 302
    assert Client.objects.filter(bsn=valid_bsn(900_095)).exists()
