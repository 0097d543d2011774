"""The worklist "Niet toegewezen": clients without team and coach, and their bulk assignment."""

import datetime
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.translation import gettext

from clients import services
from clients.models import Client
from tests.factories import ClientFactory, MunicipalityFactory, TeamFactory, UserFactory

URL = reverse("clients:unassigned")


@pytest.fixture
def vught(db):
    return MunicipalityFactory(name="Vught")


@pytest.fixture
def unassigned(assen, vught):
    """Three clients nobody has, one whose team has a member, one who left, one anonymised."""
    made = {
        "ahmed": ClientFactory(
            first_name="Ahmed", last_name="Bakker", team=None, municipality=assen,
            target_group="status_holder", registered_on=datetime.date(2024, 3, 1),
        ),
        "bea": ClientFactory(
            first_name="Bea", last_name="Claes", team=None, municipality=vught,
            target_group="wajong", registered_on=datetime.date(2025, 6, 1),
        ),
        "chris": ClientFactory(
            first_name="Chris", last_name="Dekker", team=None, municipality=vught,
            target_group="status_holder", registered_on=datetime.date(2025, 9, 1),
        ),
    }  # fmt: skip
    seen = TeamFactory(name="Team Assen-Zuid")
    seen.members.add(UserFactory(username="collega"))
    ClientFactory(first_name="Daan", last_name="Eerden", municipality=assen, team=seen)
    ClientFactory(
        first_name="Eva", last_name="Fens", team=None, municipality=assen,
        deregistered_on=datetime.date(2025, 12, 1), deregistration_reason="work",
    )  # fmt: skip
    ClientFactory(
        first_name="Geanonimiseerd", last_name="X", team=None, bsn=None,
        anonymised_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    return made


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def names(response) -> list[str]:
    return [row.record.last_name for row in response.context["table"].paginated_rows]


@pytest.mark.parametrize(
    "user, status",
    [
        ("manager", 200),
        ("coach", 403),
        ("diagnosis_consultant", 403),
        ("account_manager", 403),
        ("functional_admin", 403),
    ],
)
def test_only_who_assigns_caseloads_opens_the_worklist(client, request, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.get(URL).status_code == status
    assert client.post(URL, {"scope": "all"}).status_code == status


def test_a_coach_gets_403_and_assigns_nothing(coach_client, unassigned, team):
    response = coach_client.post(URL, {"scope": "all", "team": team.name})
    assert response.status_code == 403
    assert Client.objects.unassigned().count() == 5


def test_the_worklist_shows_current_clients_without_team_and_coach(manager_client, unassigned):
    response = manager_client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Bakker", "Claes", "Dekker"]
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert 'href="/clients/niet-toegewezen/"' in content  # in the menu
    assert "Niet toegewezen" in content
    # Who left is still findable, with one filter.
    assert names(manager_client.get(URL, {"status": "left"})) == ["Fens"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"municipality": "vught"}, ["Claes", "Dekker"]),
        ({"target_group": "status_holder"}, ["Bakker", "Dekker"]),
        ({"registered_since": "2025-06-01"}, ["Claes", "Dekker"]),
        ({"target_group": "status_holder", "registered_since": "2025-01-01"}, ["Dekker"]),
        ({"q": "bea"}, ["Claes"]),
    ],
)
def test_the_worklist_filters(manager_client, unassigned, vught, query, expected):
    if query.get("municipality") == "vught":
        query = {**query, "municipality": vught.pk}
    assert names(manager_client.get(URL, query)) == expected


def test_the_municipality_filter_offers_where_unassigned_clients_live(manager_client, unassigned):
    MunicipalityFactory(name="Zwolle")  # no unassigned client lives there
    form = manager_client.get(URL).context["filter"].form
    assert [m.name for m in form.fields["municipality"].queryset] == ["Assen", "Vught"]


@pytest.mark.parametrize("rows", [1, 30])
def test_the_worklist_runs_the_same_queries_for_one_row_and_many(
    manager_client, manager, assen, rows, django_assert_num_queries
):
    for i in range(rows):
        ClientFactory(team=None, municipality=MunicipalityFactory(name=f"Gemeente {i}"))
    # session, user, the user's permissions (2), count, municipalities for the filter, the
    # page of rows with their municipality, and the session's save (savepoint, update,
    # release): 10, whatever the number of rows. The assign form reads no teams or coaches: it
    # asks for suggestions while one types.
    with django_assert_num_queries(10):
        response = manager_client.get(URL)
    assert response.context["table"].paginator.count == rows


def test_assigning_the_ticked_clients_puts_them_in_the_coachs_caseload(
    manager_client, manager, unassigned, coach, other_team
):
    ahmed, chris = unassigned["ahmed"], unassigned["chris"]
    version = ahmed.version
    response = manager_client.post(
        URL,
        {"scope": "selected", "selected": [ahmed.pk, chris.pk], "team": other_team.name,
         "coach": "Sanne de Vries (coach)"},
    )  # fmt: skip
    assert response.status_code == 302
    assert names(manager_client.get(URL)) == ["Claes"]
    ahmed.refresh_from_db()
    assert (ahmed.team, ahmed.coach) == (other_team, coach)
    assert ahmed.version != version  # an edit form opened before the assignment is refused
    # The coach joined the team, and finds both in "my caseload".
    assert other_team in coach.teams.all()
    coach_page = manager_client
    coach_page.force_login(coach)
    caseload = coach_page.get(reverse("clients:list"))
    assert [r.record.pk for r in caseload.context["table"].paginated_rows] == [ahmed.pk, chris.pk]
    # One change-log entry per client, by the manager.
    entries = LogEntry.objects.filter(
        content_type__model="client", object_id__in=[ahmed.pk, chris.pk]
    ).exclude(action=LogEntry.Action.CREATE)
    assert sorted((e.object_id, e.actor_id, e.action) for e in entries) == [
        (ahmed.pk, manager.pk, LogEntry.Action.UPDATE),
        (chris.pk, manager.pk, LogEntry.Action.UPDATE),
    ]
    assert entries[0].changes == {
        "team": ["None", str(other_team.pk)],
        "coach": ["None", str(coach.pk)],
    }


def test_assigning_the_whole_filtered_selection_in_one_action(
    manager_client, unassigned, vught, team, coach
):
    response = manager_client.post(
        f"{URL}?municipality={vught.pk}", {"scope": "all", "team": team.name}
    )
    assert response.status_code == 302
    assert response.url == f"{URL}?municipality={vught.pk}"
    assert set(
        Client.objects.filter(team=team, coach=None).values_list("last_name", flat=True)
    ) == {
        "Claes",
        "Dekker",
    }
    page = manager_client.get(response.url)
    assert [str(m) for m in page.context["messages"]] == ["2 cliënten toegewezen aan Team Assen."]
    assert names(manager_client.get(URL)) == ["Bakker"]


def test_nothing_ticked_comes_back_with_the_error_and_changes_nothing(
    manager_client, unassigned, team
):
    response = manager_client.post(URL, {"scope": "selected", "team": team.name})
    assert response.status_code == 200
    assert "Vink de cliënten aan" in response.content.decode()
    assert Client.objects.unassigned().count() == 5


def test_a_client_assigned_meanwhile_is_left_as_it_is(manager, unassigned, team, other_team, coach):
    bea = unassigned["bea"]
    other_team.members.add(UserFactory(username="collega"))
    Client.objects.filter(pk=bea.pk).update(team=other_team)
    count = services.clients_assign(
        actor=manager, clients=Client.objects.all(), team=team, coach=coach
    )
    assert count == 3  # Ahmed, Chris, and Eva who left but had no team either
    bea.refresh_from_db()
    assert (bea.team, bea.coach) == (other_team, None)
    assert not LogEntry.objects.filter(
        content_type__model="client", object_id=bea.pk, action=LogEntry.Action.UPDATE
    ).exists()


def test_registering_the_bsn_of_an_unassigned_client_says_where_they_wait(
    coach_client, new_client_data, unassigned
):
    waiting = unassigned["bea"]
    response = coach_client.post(reverse("clients:create"), {**new_client_data, "bsn": waiting.bsn})
    assert response.status_code == 200
    errors = response.context["form"].errors["bsn"]
    assert errors == [
        "Er is al een cliënt met dit BSN ingeschreven, zonder team of werkcoach: deze staat op "
        "de lijst Niet toegewezen. Vraag een manager (teamleider) de cliënt aan u of uw team toe "
        "te wijzen."
    ]
    assert "Claes" not in response.content.decode()  # nothing about the person


def test_registering_the_bsn_of_a_client_of_another_team_keeps_the_plain_message(
    coach_client, new_client_data, other_team
):
    other_team.members.add(UserFactory(username="collega"))
    taken = ClientFactory(team=other_team)
    response = coach_client.post(reverse("clients:create"), {**new_client_data, "bsn": taken.bsn})
    # Not the worklist's message: the client has a team; whom to ask, never their name.
    assert response.context["form"].errors["bsn"] == [
        "Er is al een cliënt met dit BSN ingeschreven, in een dossier dat u niet mag openen. "
        "Neem contact op met team Team Tynaarlo."
    ]


def test_a_team_made_for_the_worklist_is_suggested(manager_client, unassigned):
    TeamFactory(name="Team Vught")
    response = manager_client.get(URL, {"suggest": "team", "team": "vug"})
    assert response.content.decode() == '<option value="Team Vught"></option>\n'


def test_a_team_nobody_works_in_needs_a_coach_too(manager_client, unassigned, team):
    """Assigned to a team without active members, the clients would still be seen by nobody."""
    response = manager_client.post(URL, {"scope": "all", "team": team.name})
    assert response.status_code == 200
    assert response.context["assign_form"].errors["coach"] == [
        "In Team Assen werkt niemand (meer): kies ook een werkcoach."
    ]
    assert Client.objects.filter(team=team).count() == 0


def test_clients_whose_team_has_no_active_member_or_whose_coach_left_are_unassigned(
    manager_client, assen, team, coach
):
    """Nobody's client is invisible: a team without active members or a coach who left does
    not hold a caseload, so the worklist shows those clients."""
    gone = UserFactory(username="vertrokken", is_active=False)
    empty = TeamFactory(name="Team Leeg")
    empty.members.add(gone)
    ClientFactory(last_name="Zonderleden", team=empty, municipality=assen)
    ClientFactory(last_name="Vertrokken", team=None, coach=gone, municipality=assen)
    ClientFactory(last_name="Gezien", team=team, municipality=assen)  # the coach is a member
    assert names(manager_client.get(URL)) == ["Vertrokken", "Zonderleden"]
    count = services.clients_assign(
        actor=coach, clients=Client.objects.unassigned(), team=team, coach=coach
    )
    assert count == 2 and not Client.objects.unassigned().exists()
    moved = LogEntry.objects.get(object_repr__endswith="Zonderleden", action=LogEntry.Action.UPDATE)
    assert moved.changes == {
        "team": [str(empty.pk), str(team.pk)],
        "coach": ["None", str(coach.pk)],
    }


def options(page: str) -> list[str]:
    return re.findall(r"<option\b[^>]*>", page)


def region_of(teams: int, coaches_per_team: int) -> None:
    """Teams with work coaches, none of them the manager's."""
    from core import roles

    for t in range(teams):
        made = TeamFactory(name=f"Team {t:03}")
        for c in range(coaches_per_team):
            # Names of their own: the factory's random ones could match a test's search.
            made.members.add(
                UserFactory(
                    username=f"coach{t}-{c}",
                    first_name="Coach",
                    last_name=f"{t:03}-{c}",
                    roles=[roles.WORK_COACH],
                )
            )


def test_the_worklist_page_is_the_same_size_with_ten_times_the_teams_and_coaches(
    manager_client, unassigned, team, coach, django_assert_num_queries
):
    region_of(teams=3, coaches_per_team=2)
    small = manager_client.get(URL).content.decode()
    region_of(teams=30, coaches_per_team=2)  # ten times the teams and coaches
    with django_assert_num_queries(10):
        large = manager_client.get(URL).content.decode()
    # The municipality filter's options are where unassigned clients live, nothing else.
    assert options(large) == options(small)
    assert "Team 029" not in large and "coach29-1" not in large
    assert '<input type="text" name="team"' in large and 'list="assign-team-options"' in large
    assert 'list="assign-coach-options"' in large and 'for="id_coach"' in large


def test_team_suggestions_are_at_most_twenty_whatever_the_region(manager_client, unassigned):
    region_of(teams=30, coaches_per_team=0)
    response = manager_client.get(URL, {"suggest": "team", "team": "team 0"})
    assert options(response.content.decode()) == [
        f'<option value="Team {t:03}">' for t in range(20)
    ]


def test_coach_suggestions_put_the_chosen_teams_members_first(
    manager_client, unassigned, coach, team, other_team, django_assert_num_queries
):
    from core import roles

    region_of(teams=25, coaches_per_team=1)
    other_team.members.add(
        UserFactory(
            username="pvries", first_name="Pim", last_name="de Vries", roles=[roles.WORK_COACH]
        )
    )
    UserFactory(username="gone", first_name="Gijs", last_name="de Vries", is_active=False,
                roles=[roles.WORK_COACH])  # fmt: skip
    UserFactory(username="am", first_name="Anna", last_name="de Vries", roles=[roles.MANAGER])
    # session, user, the user's permissions (2), the coaches with their team as one query,
    # and the session's save (savepoint, update, release): 8, whatever the region's size.
    with django_assert_num_queries(8):
        response = manager_client.get(
            URL, {"suggest": "coach", "coach": "vries", "team": "team tynaarlo"}
        )
    assert options(response.content.decode()) == [
        '<option value="Pim de Vries (pvries)">',  # in Team Tynaarlo
        '<option value="Sanne de Vries (coach)">',
    ]
    assert f">{gettext('in the team')}</option>" in response.content.decode()
    everyone = manager_client.get(URL, {"suggest": "coach", "coach": ""}).content.decode()
    assert len(options(everyone)) == 20


def test_a_coach_is_typed_by_name_or_with_the_user_name_of_the_suggestion(
    manager_client, unassigned, coach, team
):
    ahmed, bea = unassigned["ahmed"], unassigned["bea"]
    response = manager_client.post(
        URL, {"scope": "selected", "selected": [ahmed.pk], "team": "team assen",
              "coach": "sanne de vries"},
    )  # fmt: skip
    assert response.status_code == 302
    response = manager_client.post(
        URL, {"scope": "selected", "selected": [bea.pk], "team": "Team Assen",
              "coach": "Sanne de Vries (coach)"},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(Client.objects.filter(coach=coach).values_list("last_name", flat=True)) == {
        "Bakker",
        "Claes",
    }


def test_an_unknown_team_or_a_name_two_coaches_share_comes_back_with_the_error(
    manager_client, unassigned, coach, team
):
    from core import roles

    UserFactory(username="sanne2", first_name="Sanne", last_name="de Vries",
                roles=[roles.WORK_COACH])  # fmt: skip
    response = manager_client.post(
        URL, {"scope": "all", "team": "Team Nergens", "coach": "Sanne de Vries"}
    )
    assert response.status_code == 200
    errors = response.context["assign_form"].errors.as_data()
    assert [e.code for e in errors["team"]] == ["invalid_choice"]
    assert [e.code for e in errors["coach"]] == ["ambiguous"]
    page = response.content.decode()
    assert 'value="Team Nergens"' in page  # what was typed stays
    assert Client.objects.unassigned().count() == 5
