"""The signals on the coach's caseload and the team view: content, scope, roles, query counts."""

import datetime
import re
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Channel, LadderObservation
from tests.factories import ClientFactory, ContactFactory
from trajectories import services
from trajectories.models import ActivityStatus, Outcome, Route, Trajectory

D = datetime.timedelta


@pytest.fixture
def today():
    return timezone.localdate()


def _client_with_every_signal(coach, team, employee_route, hodezo, wop, language_course, today):
    """A client who triggers all five signals (hand-built: each cause written out)."""
    client = ClientFactory(coach=coach, team=team, registered_on=today - D(days=800))
    ContactFactory(client=client, date=today - D(days=31), channel=Channel.PHONE)  # > 30 days
    LadderObservation.objects.create(client=client, step=2, observed_on=today - D(days=200))
    trajectory = services.trajectory_start(
        actor=coach,
        client=client,
        route=employee_route,
        branch_team=hodezo,
        start_date=today - D(days=700),  # deadline in about 30 days: within 12 weeks
    )
    services.activity_add(
        actor=coach,
        trajectory=trajectory,
        kind=language_course,
        start_date=today - D(days=100),
        end_date=today - D(days=10),
        status=ActivityStatus.RUNNING,
    )
    services.activity_add(
        actor=coach,
        trajectory=trajectory,
        kind=wop,
        start_date=today - D(days=20),  # never evaluated, every 14 days: due
        status=ActivityStatus.RUNNING,
    )
    return client


@pytest.fixture
def every_signal(coach, team, employee_route, hodezo, wop, language_course, today):
    def make(n=1):
        return [
            _client_with_every_signal(
                coach, team, employee_route, hodezo, wop, language_course, today
            )
            for _ in range(n)
        ]

    return make


# The coach's start page -------------------------------------------------------------------


def test_caseload_shows_each_signal_with_count_and_links_to_the_dossier(
    coach_client, coach, every_signal, settings
):
    settings.SIGNAL_NO_CONVERSATION_DAYS = 30
    (client,) = every_signal()
    response = coach_client.get(reverse("clients:list"))
    signals = {s.code: s for s in response.context["signals"]}
    assert {code: s.count for code, s in signals.items()} == {
        "no_conversation": 1,
        "deadline": 1,
        "activity_result": 1,
        "evaluation_due": 1,
        "ladder": 1,
    }
    page = response.content.decode()
    assert "Geen gesprek in 30 dagen" in page
    assert "Route werknemer: tweejaarstermijn binnen 12 weken" in page
    assert page.count(f'href="{reverse("clients:detail", args=[client.pk])}"') == 5 + 1  # + table


def test_caseload_signals_concern_only_the_coachs_own_clients(
    coach_client, coach, team, make_user, today
):
    colleague = make_user("collega", teams=[team])
    ClientFactory(first_name="Eigen", coach=coach, team=team, registered_on=today - D(days=60))
    ClientFactory(first_name="Ander", coach=colleague, team=team, registered_on=today - D(days=60))
    response = coach_client.get(reverse("clients:list"))
    rows = response.context["signals"][0].rows
    assert [r.client.first_name for r in rows] == ["Eigen"]


def test_filtered_client_list_has_no_signals(coach_client):
    response = coach_client.get(reverse("clients:list"), {"status": "active"})
    assert "signals" not in response.context


@pytest.mark.parametrize("rows", [1, 20])
def test_caseload_with_signals_runs_a_constant_number_of_queries(
    coach_client, every_signal, rows, django_assert_num_queries
):
    every_signal(rows)
    # session, user, permissions (2), coach filter value, count, page, coach and team choices,
    # five signals, incomplete candidate profiles (employers), session renewal (3);
    # aftercare (placements.aftercare): contracts ending, retention checks, re-assessments
    # and their follow-ups (4); the documents expiring (documents.dossier, 1); clients handed
    # over with an unread note (clients.handover, 1); the events to follow up
    # (projects.event_dossier, 1)
    with django_assert_num_queries(25):
        response = coach_client.get(reverse("clients:list"))
    assert [s.count for s in response.context["signals"]] == [rows] * 5


# The team view ------------------------------------------------------------------------------


@pytest.fixture
def hodezo_history(coach, team, hodezo, employee_route, today):
    """Hodezo: 2 open route werknemer, ended: work, work-and-learn, dropped out; 1 participation."""
    hodezo.coaches.add(coach)
    participation = Route.objects.get(code="participation")

    def trajectory(name, route, outcome=None):
        client = ClientFactory(
            first_name=name, last_name=name, coach=coach, team=team, registered_on=today
        )
        if route.code != "employee":  # as an import may bring it (interchange.md)
            return Trajectory.objects.create(
                client=client, route=route, branch_team=hodezo, start_date=today - D(days=300)
            ).client
        t = services.trajectory_start(
            actor=coach,
            client=client,
            route=route,
            branch_team=hodezo,
            start_date=today - D(days=300),
        )
        if outcome:
            services.trajectory_end(
                actor=coach, trajectory=t, end_date=today - D(days=1), outcome=outcome
            )
        return client

    return {
        "open": [trajectory("Open1", employee_route), trajectory("Open2", employee_route)],
        "work": trajectory("Baanvinder", employee_route, Outcome.WORK),
        "work_learning": trajectory("Lerenwerken", employee_route, Outcome.WORK_LEARNING),
        "dropped_out": trajectory("Uitval", employee_route, Outcome.DROPPED_OUT),
        "participation": trajectory("Deelnemer", participation),
    }


def test_team_view_shows_clients_by_route_and_status_and_the_share_to_work(
    coach_client, hodezo, hodezo_history
):
    response = coach_client.get(reverse("teams:detail", args=[hodezo.code]))
    # Ended: work, work-and-learn, dropped out = 3; to work: 2; 2/3 = 66.67 %, shown 66,7%
    # (one decimal, half away from zero; a whole-number round() read 67%).
    share = response.context["share"]
    assert (share.work, share.ended, share.rate) == (2, 3, Fraction(2, 3))
    assert "2 van 3 (66,7%)" in response.content.decode()
    table = response.context["table"]
    assert [str(label) for _code, label in table.columns] == [
        "Open",
        "Betaald werk",
        "Leerwerktraject",
        "Uitgevallen",
    ]
    assert [(row.route, row.cells) for row in table.rows] == [
        ("Route participatie", [1, 0, 0, 0]),
        ("Route werknemer", [2, 1, 1, 1]),
    ]


def test_team_view_lists_the_teams_with_their_figures(coach_client, hodezo, hodezo_history):
    response = coach_client.get(reverse("teams:list"))
    [(team, share)] = response.context["rows"]  # the coach is only in Hodezo
    assert (team.code, team.open_count, share.work, share.ended) == ("hodezo", 3, 2, 3)


def test_team_signals_name_only_clients_the_coach_may_open(
    coach_client, coach, hodezo, hodezo_history, make_user, other_team, employee_route, today
):
    stranger_coach = make_user("vreemd", teams=[other_team])
    stranger = ClientFactory(
        first_name="Vreemd", coach=stranger_coach, team=other_team, registered_on=today
    )
    services.trajectory_start(
        actor=coach,
        client=stranger,
        route=employee_route,
        branch_team=hodezo,
        start_date=today - D(days=700),
    )
    response = coach_client.get(reverse("teams:detail", args=[hodezo.code]))
    page = response.content.decode()
    assert "Vreemd" not in page
    deadline = {s.code: s for s in response.context["signals"]}["deadline"]
    assert deadline.count == 0  # Open1/Open2 started 300 days ago; the stranger is not shown


def test_manager_sees_figures_of_every_team_but_no_names(
    client, manager, hodezo, hodezo_history, reference_lists
):
    client.force_login(manager)
    listing = client.get(reverse("teams:list"))
    assert [team.code for team, _share in listing.context["rows"]] == [
        "bilt",
        "hodezo",
        "business_services",
    ]
    response = client.get(reverse("teams:detail", args=[hodezo.code]))
    page = response.content.decode()
    assert "2 van 3 (66,7%)" in page
    for name in ("Open1", "Baanvinder", "Deelnemer"):
        assert name not in page
    # No link into a dossier (the menu's worklist of unassigned clients is not one).
    assert re.search(r"/clients/\d+/", page) is None
    ladder = {s.code: s for s in response.context["signals"]}["ladder"]
    assert ladder.rows == []


def test_coach_outside_a_branch_team_gets_404(coach_client, reference_lists):
    response = coach_client.get(reverse("teams:detail", args=["bilt"]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role_fixture, status",
    [
        ("coach", 200),
        ("diagnosis_consultant", 200),
        ("manager", 200),
        ("account_manager", 403),
        ("functional_admin", 403),
    ],
)
def test_who_may_open_the_team_view(client, request, hodezo, role_fixture, status):
    user = request.getfixturevalue(role_fixture)
    hodezo.coaches.add(user)
    client.force_login(user)
    assert client.get(reverse("teams:list")).status_code == status
    assert client.get(reverse("teams:detail", args=[hodezo.code])).status_code == status


@pytest.mark.parametrize("rows", [1, 20])
def test_team_view_runs_a_constant_number_of_queries(
    coach_client, coach, hodezo, every_signal, rows, django_assert_num_queries
):
    hodezo.coaches.add(coach)
    every_signal(rows)
    # session, user, permissions (2), team, route table, share, five signals, session renewal (3)
    with django_assert_num_queries(15):
        response = coach_client.get(reverse("teams:detail", args=[hodezo.code]))
    assert [s.count for s in response.context["signals"]] == [rows] * 5
    with django_assert_num_queries(8):  # session, user, permissions (2), teams, renewal (3)
        coach_client.get(reverse("teams:list"))
