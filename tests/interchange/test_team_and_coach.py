"""clients.csv's team and coach columns (interchange 1.1): assigned on import, kept when absent."""

import io

import pytest
from django.core.management import call_command

from clients.models import Client
from core import roles
from core.models import Team
from interchange.engine import import_folder
from interchange.exporter import export_folder
from tests.factories import TeamFactory
from tests.interchange.conftest import HEADER, client_line, lines

pytestmark = pytest.mark.usefixtures("reference_data")

WITH_ASSIGNMENT = HEADER + ",team,coach"


def assigned(ref="C1", *, n=1, team="", coach="") -> str:
    return f"{client_line(ref, n=n)},{team},{coach}"


def test_a_new_team_is_created_and_the_coach_joins_it_and_sees_the_client(folder, make_user):
    sanne = make_user("sanne", roles.WORK_COACH)
    path = folder(
        {"clients.csv": lines(WITH_ASSIGNMENT, assigned(team="Team Vught", coach="sanne"))}
    )
    result = import_folder(path)
    assert result.problems == []
    client = Client.objects.get()
    assert (client.team.name, client.coach) == ("Team Vught", sanne)
    assert list(sanne.teams.all()) == [client.team]
    assert list(Client.objects.for_user(sanne)) == [client]


def test_a_team_named_in_another_case_is_the_existing_team(folder, make_user):
    existing = TeamFactory(name="Team Assen")
    path = folder({"clients.csv": lines(WITH_ASSIGNMENT, assigned(team="TEAM ASSEN"))})
    assert import_folder(path).problems == []
    assert Client.objects.get().team == existing
    assert Team.objects.count() == 1


def test_an_unknown_coach_is_an_error_naming_only_what_the_file_says(folder, make_user):
    make_user("sanne", roles.WORK_COACH)
    path = folder(
        {
            "clients.csv": lines(
                WITH_ASSIGNMENT, assigned(coach="sanne"), assigned("C2", n=2, coach="piet")
            )
        }
    )
    result = import_folder(path)
    assert [str(p) for p in result.problems] == [
        "clients.csv:3: coach: onbekende gebruiker piet: de werkcoach heeft een account in "
        "het product nodig"
    ]
    assert "sanne" not in str(result.problems[0])  # the product's usernames are not listed
    assert Client.objects.count() == 0
    assert Team.objects.count() == 0


def test_a_coach_without_a_team_gets_the_client_in_their_caseload_and_no_team(
    folder, make_user, team
):
    sanne = make_user("sanne", roles.WORK_COACH, teams=[team])
    path = folder({"clients.csv": lines(WITH_ASSIGNMENT, assigned(coach="sanne"))})
    assert import_folder(path).problems == []
    client = Client.objects.get()
    # The coach's only team is not guessed: a team is chosen in the product, or in the file.
    assert (client.coach, client.team) == (sanne, None)
    assert list(Client.objects.for_user(sanne)) == [client]
    assert not Client.objects.unassigned().exists()


def test_absent_columns_keep_the_team_and_coach_and_empty_cells_clear_them(folder, make_user):
    sanne = make_user("sanne", roles.WORK_COACH)
    first = folder(
        {"clients.csv": lines(WITH_ASSIGNMENT, assigned(team="Team Vught", coach="sanne"))}
    )
    assert import_folder(first).ok
    # The source system knows nothing of teams: its file has no such columns.
    again = import_folder(folder({"clients.csv": lines(HEADER, client_line("C1"))}, name="again"))
    assert again.summary["clients.csv"] == {"rows": 1, "created": 0, "updated": 0, "unchanged": 1}
    client = Client.objects.get()
    assert (client.team.name, client.coach) == ("Team Vught", sanne)
    # Only the coach column: the team stays, the coach is cleared by its empty cell.
    only_coach = folder(
        {"clients.csv": lines(HEADER + ",coach", client_line("C1") + ",")}, name="only_coach"
    )
    result = import_folder(only_coach)
    assert result.summary["clients.csv"] == {"rows": 1, "created": 0, "updated": 1, "unchanged": 0}
    client.refresh_from_db()
    assert (client.team.name, client.coach) == ("Team Vught", None)


def test_a_new_client_in_a_file_without_the_columns_has_no_team_or_coach(folder):
    assert import_folder(folder({"clients.csv": lines(HEADER, client_line("C1"))})).ok
    assert list(Client.objects.unassigned().values_list("source_ref", flat=True)) == ["C1"]


def test_a_coach_already_in_the_team_is_not_added_twice_and_a_dry_run_creates_no_team(
    folder, make_user, team
):
    sanne = make_user("sanne", roles.WORK_COACH, teams=[team])
    rows = [
        assigned(team=team.name, coach="sanne"),
        assigned("C2", n=2, team="Nieuw", coach="sanne"),
    ]
    path = folder({"clients.csv": lines(WITH_ASSIGNMENT, *rows)})
    assert import_folder(path, dry_run=True).ok
    assert list(Team.objects.values_list("name", flat=True)) == ["Team Assen"]
    assert list(sanne.teams.all()) == [team]
    assert import_folder(path).ok
    assert sorted(sanne.teams.values_list("name", flat=True)) == ["Nieuw", "Team Assen"]


def test_export_writes_team_name_and_coach_username_and_comes_back_the_same(
    folder, make_user, tmp_path
):
    make_user("sanne", roles.WORK_COACH)
    rows = [
        assigned(team="Team Vught", coach="sanne"),
        assigned("C2", n=2, team="Team Vught"),
        assigned("C3", n=3, coach="sanne"),
        assigned("C4", n=4),
    ]
    assert import_folder(folder({"clients.csv": lines(WITH_ASSIGNMENT, *rows)})).ok
    first = tmp_path / "first"
    export_folder(first)
    text = (first / "clients.csv").read_text(encoding="utf-8").splitlines()
    assert text[0].endswith(",deregistration_reason,team,coach")
    assert [line.rsplit(",", 2)[1:] for line in text[1:]] == [
        ["Team Vught", "sanne"],
        ["Team Vught", ""],
        ["", "sanne"],
        ["", ""],
    ]
    # Into an empty database that holds the same user accounts (interchange.md, Export).
    Client.objects.all().delete()
    Team.objects.all().delete()
    assert import_folder(first).ok
    second = tmp_path / "second"
    export_folder(second)
    assert (first / "clients.csv").read_bytes() == (second / "clients.csv").read_bytes()


def test_reimporting_the_export_does_not_give_a_removed_coach_the_team_back(
    folder, make_user, tmp_path
):
    sanne = make_user("sanne", roles.WORK_COACH)
    path = folder(
        {"clients.csv": lines(WITH_ASSIGNMENT, assigned(team="Team Vught", coach="sanne"))}
    )
    assert import_folder(path).ok
    team = Team.objects.get(name="Team Vught")
    # In the product, sanne leaves the team: she must no longer see its clients.
    team.members.remove(sanne)
    out = tmp_path / "export"
    call_command("export_data", str(out), stdout=io.StringIO())
    result = import_folder(out)
    assert result.ok, result.problems
    assert list(sanne.teams.all()) == []
    assert all(c["created"] == c["updated"] == 0 for c in result.summary.values())
    assert result.summary["clients.csv"] == {"rows": 1, "created": 0, "updated": 0, "unchanged": 1}


def test_a_client_given_another_coach_on_reimport_brings_that_coach_into_the_team(
    folder, make_user
):
    sanne = make_user("sanne", roles.WORK_COACH)
    piet = make_user("piet", roles.WORK_COACH)
    first = folder(
        {"clients.csv": lines(WITH_ASSIGNMENT, assigned(team="Team Vught", coach="sanne"))}
    )
    assert import_folder(first).ok
    team = Team.objects.get(name="Team Vught")
    team.members.remove(sanne)
    changed = folder(
        {"clients.csv": lines(WITH_ASSIGNMENT, assigned(team="Team Vught", coach="piet"))},
        name="changed",
    )
    result = import_folder(changed)
    assert result.summary["clients.csv"] == {"rows": 1, "created": 0, "updated": 1, "unchanged": 0}
    assert list(piet.teams.all()) == [team]
    assert list(Client.objects.for_user(piet)) == [Client.objects.get()]
    assert list(sanne.teams.all()) == []  # the coach the file no longer names is not re-added
