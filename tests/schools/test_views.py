import datetime

import pytest
from django.urls import reverse

from clients.forms import coach_text
from clients.models import Client
from schools import services
from schools.models import Advice, ExitConversation, Leaver, School
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant_client(client, diagnosis_consultant):
    client.force_login(diagnosis_consultant)
    return client


def test_a_consultant_registers_a_school(consultant_client, assen):
    response = consultant_client.post(
        reverse("schools:school_create"),
        {"name": "Praktijkschool Assen", "kind": "pro", "municipality": assen.pk, "active": "on"},
    )
    assert response.status_code == 302
    school = School.objects.get()
    assert (school.name, school.kind, school.municipality) == ("Praktijkschool Assen", "pro", assen)


def test_a_bad_bsn_is_refused_next_to_its_field_with_the_input_kept(consultant_client, school):
    response = consultant_client.post(
        reverse("schools:leaver_create"),
        {
            "school": school.pk,
            "school_year": 2026,
            "first_name": "Noa",
            "last_name": "de Jong",
            "birth_date": "2008-02-01",
            "bsn": "123456789",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "elfproef" in " ".join(form.errors["bsn"])
    assert 'value="de Jong"' in response.content.decode()
    assert not Leaver.objects.exists()


def test_a_leaver_is_registered_with_a_bsn_typed_with_spaces(consultant_client, school):
    response = consultant_client.post(
        reverse("schools:leaver_create"),
        {
            "school": school.pk,
            "school_year": 2026,
            "first_name": "Noa",
            "last_name": "Jong",
            "name_prefix": "de",
            "birth_date": "2008-02-01",
            "bsn": "1234 56 782",
            "postcode": "9401ab",
        },
    )
    leaver = Leaver.objects.get()
    assert response["Location"] == reverse("schools:leaver_detail", args=[leaver.pk])
    assert (leaver.bsn, leaver.postcode) == ("123456782", "9401 AB")


def test_the_exit_conversation_needs_the_route_for_a_route_advice(consultant_client, leaver, coach):
    response = consultant_client.post(
        reverse("schools:conversation", args=[leaver.pk]),
        {
            "held_on": "2026-05-04",
            "job_coach": coach_text(coach),
            "advice": Advice.ROUTE,
            "route": "",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["route"] == [
        "Kies de route die de leerling geadviseerd wordt."
    ]
    assert not ExitConversation.objects.exists()


def test_a_refused_job_coach_is_called_a_job_coach(consultant_client, leaver):
    response = consultant_client.post(
        reverse("schools:conversation", args=[leaver.pk]),
        {"held_on": "2026-05-04", "job_coach": "Niemand Bekend", "advice": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["job_coach"] == [
        "Er is geen jobcoach Niemand Bekend: kies een van de suggesties."
    ]


def test_the_confirm_form_is_filled_in_with_what_is_known(
    consultant_client, leaver, advise, coach, team, assen
):
    advise(leaver)
    response = consultant_client.get(reverse("schools:leaver_client", args=[leaver.pk]))
    initial = response.context["form"].initial
    assert initial["bsn"] == "123456782"
    assert initial["municipality"] == assen.pk  # the school's, the pupil's being unknown
    # Written as the typed fields show them (clients.forms.typed_names).
    assert (initial["coach"], initial["team"]) == (coach_text(coach), team.name)


def test_one_action_makes_the_leaver_a_client_and_opens_the_dossier_with_the_advice(
    consultant_client, leaver, advise, coach, team, assen
):
    advise(leaver, explanation="Kan het minimumloon niet verdienen; banenafspraak past.")
    response = consultant_client.post(
        reverse("schools:leaver_client", args=[leaver.pk]),
        {
            "bsn": "123456782",
            "municipality": assen.pk,
            "team": team.name,
            "coach": coach_text(coach),
            "registered_on": "2026-08-01",
        },
        follow=True,
    )
    client = Client.objects.get()
    assert response.redirect_chain[-1][0] == (
        reverse("clients:detail", args=[client.pk]) + "#school-leaver"
    )
    page = response.content.decode()
    assert "Vso De Atlas" in page
    assert "Doelgroepregister" in page
    assert "banenafspraak past" in page
    assert client.registered_on == datetime.date(2026, 8, 1)


def test_without_an_advice_the_action_is_refused_with_a_message(consultant_client, leaver):
    response = consultant_client.get(
        reverse("schools:leaver_client", args=[leaver.pk]), follow=True
    )
    assert "Leg eerst het uitstroomgesprek met een advies vast" in response.content.decode()
    assert not Client.objects.exists()


def test_a_registered_bsn_is_refused_with_a_link_to_the_dossier_the_user_may_open(
    consultant_client, leaver, advise, team, assen, coach
):
    existing = ClientFactory(bsn="123456782", team=team, coach=coach)
    advise(leaver)
    response = consultant_client.post(
        reverse("schools:leaver_client", args=[leaver.pk]),
        {
            "bsn": "123456782",
            "municipality": assen.pk,
            "team": team.name,
            "registered_on": "2026-08-01",
        },
    )
    assert response.status_code == 200
    # The same message as registration's (clients.duplicates.bsn_taken_message), in the field.
    (error,) = response.context["form"].errors["bsn"]
    assert error.startswith("Er is al een cliënt met dit BSN ingeschreven:")
    assert f'href="{reverse("clients:detail", args=[existing.pk])}"' in error
    assert Client.objects.count() == 1


def test_a_registered_bsn_of_another_team_names_whom_to_ask_without_a_link(
    consultant_client, leaver, advise, team, other_team, assen
):
    existing = ClientFactory(bsn="123456782", team=other_team)
    advise(leaver)
    response = consultant_client.post(
        reverse("schools:leaver_client", args=[leaver.pk]),
        {
            "bsn": "123456782",
            "municipality": assen.pk,
            "team": team.name,
            "registered_on": "2026-08-01",
        },
    )
    errors = " ".join(response.context["form"].errors["bsn"])
    assert "Team Tynaarlo" in errors
    assert reverse("clients:detail", args=[existing.pk]) not in response.content.decode()
    # Telling whose BSN it is, is a look-up by BSN: in the access log, as at registration.
    from audit.models import AccessKind, AccessLog

    assert AccessLog.objects.filter(kind=AccessKind.BSN_LOOKUP, object_id=str(existing.pk)).exists()


def test_a_near_duplicate_asks_for_confirmation_first(
    consultant_client, leaver, advise, team, assen
):
    ClientFactory(first_name="Daan", last_name="Backer", birth_date=leaver.birth_date, team=team)
    advise(leaver)
    data = {
        "bsn": "111222333",
        "municipality": assen.pk,
        "team": team.name,
        "registered_on": "2026-08-01",
    }
    response = consultant_client.post(reverse("schools:leaver_client", args=[leaver.pk]), data)
    assert response.status_code == 200
    assert "other_person" in response.context["form"].errors
    assert Client.objects.count() == 1
    response = consultant_client.post(
        reverse("schools:leaver_client", args=[leaver.pk]), {**data, "other_person": "on"}
    )
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_a_coach_may_not_open_the_leavers(client, coach, leaver):
    client.force_login(coach)
    assert client.get(reverse("schools:leaver_list")).status_code == 403
    assert client.get(reverse("schools:leaver_detail", args=[leaver.pk])).status_code == 403


def test_a_manager_sees_the_figures_without_names(client, manager, leaver):
    client.force_login(manager)
    response = client.get(reverse("schools:overview"), {"year": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vso De Atlas" in page
    assert "Bakker" not in page
    assert client.get(reverse("schools:leaver_list")).status_code == 403


def test_the_consultant_sees_the_names_in_the_overview(consultant_client, leaver):
    response = consultant_client.get(reverse("schools:overview"), {"year": 2026})
    assert "Bakker, Daan" in response.content.decode()


def _leavers(make_leaver, advise, rows):
    for n in range(rows):
        advise(make_leaver(first_name=f"Leerling{n}"), Advice.ROUTE, "employee")


@pytest.mark.parametrize("rows", [1, 50])
def test_the_leavers_list_runs_a_constant_number_of_queries(
    consultant_client, make_leaver, advise, rows, django_assert_num_queries
):
    _leavers(make_leaver, advise, rows)
    # session, user, permissions (2), count, page (school, conversation, client joined), the
    # school filter's choices, and the idle-timeout renewal of the session (savepoint, update,
    # release)
    with django_assert_num_queries(10):
        response = consultant_client.get(reverse("schools:leaver_list"))
    assert len(response.context["table"].page.object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [1, 50])
def test_the_overview_runs_a_constant_number_of_queries(
    consultant_client, make_leaver, advise, rows, django_assert_num_queries
):
    _leavers(make_leaver, advise, rows)
    # session, user, permissions (2), the years, the figures per school, the destinations, the
    # schools, the pupils with their names, and the idle-timeout renewal (3)
    with django_assert_num_queries(12):
        response = consultant_client.get(reverse("schools:overview"), {"year": 2026})
    assert response.context["figures"].total.pupils == rows


def test_a_leaver_is_registered_without_a_bsn(consultant_client, school):
    consultant_client.post(
        reverse("schools:leaver_create"),
        {
            "school": school.pk,
            "school_year": 2026,
            "first_name": "Noa",
            "last_name": "Jong",
            "birth_date": "2008-02-01",
            "bsn": "",
        },
    )
    assert Leaver.objects.get().bsn == ""


def test_every_school_leaver_page_has_exactly_one_h1(consultant_client, leaver, advise, school):
    import re

    pages = [
        reverse("schools:leaver_list"),
        reverse("schools:leaver_create"),
        reverse("schools:leaver_detail", args=[leaver.pk]),
        reverse("schools:leaver_update", args=[leaver.pk]),
        reverse("schools:conversation", args=[leaver.pk]),
        reverse("schools:school_list"),
        reverse("schools:school_create"),
        reverse("schools:school_update", args=[school.pk]),
        reverse("schools:overview"),
    ]
    advise(leaver)
    pages.append(reverse("schools:leaver_client", args=[leaver.pk]))
    for url in pages:
        response = consultant_client.get(url)
        assert response.status_code == 200, url
        assert len(re.findall(r"<h1[ >]", response.content.decode())) == 1, url


def test_a_pupil_who_is_a_client_shows_the_dossier_link_and_no_action(
    consultant_client, leaver, advise, diagnosis_consultant, team, assen
):
    from schools import services

    advise(leaver)
    client = services.leaver_become_client(
        actor=diagnosis_consultant, leaver=leaver, bsn="123456782", municipality=assen, team=team
    )
    page = consultant_client.get(reverse("schools:leaver_detail", args=[leaver.pk]))
    body = page.content.decode()
    assert reverse("clients:detail", args=[client.pk]) in body
    assert reverse("schools:leaver_client", args=[leaver.pk]) not in body
    again = consultant_client.get(reverse("schools:leaver_client", args=[leaver.pk]), follow=True)
    assert "Deze leerling is al cliënt." in again.content.decode()


def test_opening_a_leaver_is_logged(consultant_client, leaver, diagnosis_consultant):
    from audit.models import AccessLog

    consultant_client.get(reverse("schools:leaver_detail", args=[leaver.pk]))
    entry = AccessLog.objects.get(object_id=str(leaver.pk), detail="school leaver")
    assert entry.user == diagnosis_consultant


def test_the_list_links_only_the_dossiers_the_consultant_may_open(
    consultant_client, make_leaver, advise, diagnosis_consultant, team, other_team, assen
):
    ours, theirs = make_leaver(first_name="Noa"), make_leaver(first_name="Sem")
    made = {}
    for leaver, in_team, bsn in ((ours, team, "123456782"), (theirs, other_team, "111222333")):
        advise(leaver)
        made[leaver.pk] = services.leaver_become_client(
            actor=diagnosis_consultant, leaver=leaver, bsn=bsn, municipality=assen, team=in_team
        )
    body = consultant_client.get(reverse("schools:leaver_list")).content.decode()
    assert reverse("clients:detail", args=[made[ours.pk].pk]) in body
    assert reverse("clients:detail", args=[made[theirs.pk].pk]) not in body
    assert body.count("Cliënt sinds") == 2
