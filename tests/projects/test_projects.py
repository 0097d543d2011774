"""Project and event figures on a hand-built dataset, the pages' query counts, and who sees what."""

import datetime
from fractions import Fraction

import pytest
from django.urls import reverse

from projects import event_results, event_services, results, services
from projects.models import (
    Event,
    EventParticipant,
    EventResult,
    Project,
    ProjectGroup,
    ProjectStage,
    StageReached,
)
from tests.factories import ClientFactory
from trajectories.models import Outcome, Trajectory

pytestmark = pytest.mark.django_db

D = datetime.date


def trajectory(client, route, project, group, *, outcome=""):
    return Trajectory.objects.create(
        client=client,
        route=route,
        project=project,
        project_group=group,
        start_date=D(2025, 1, 6),
        end_date=D(2025, 12, 1) if outcome else None,
        outcome=outcome,
    )


@pytest.fixture
def pilot(employee_route, team, assen, coach):
    """Two groups:

    - "met instrumenten": 3 trajectories; 2 ended in work and work-and-learn, 1 open.
    - "zonder instrumenten": 4 trajectories; 1 ended in work, 1 dropped out, 2 open.
    - 1 trajectory in the project without a group, ended in education.
    Funnel: 10 screened, 8 selected (7 in a group + 1 without), 2 placed.
    Target: 10 to work.
    """
    project = Project.objects.create(code="pilot", name="Pilot loonwaarde", target=10)
    with_tools = ProjectGroup.objects.create(project=project, name="met instrumenten")
    without = ProjectGroup.objects.create(project=project, name="zonder instrumenten")
    stages = [
        ProjectStage.objects.create(project=project, name=name, position=position)
        for position, name in enumerate(["gescreend", "geselecteerd", "geplaatst"], start=1)
    ]
    clients = ClientFactory.create_batch(10, coach=coach, team=team, municipality=assen)
    plan = [
        (with_tools, Outcome.WORK),
        (with_tools, Outcome.WORK_LEARNING),
        (with_tools, ""),
        (without, Outcome.WORK),
        (without, Outcome.DROPPED_OUT),
        (without, ""),
        (without, ""),
        (None, Outcome.EDUCATION),
    ]
    for client, (group, outcome) in zip(clients, plan, strict=False):
        trajectory(client, employee_route, project, group, outcome=outcome)
    for index, client in enumerate(clients):
        services.stage_record(actor=coach, stage=stages[0], client=client, reached_on=D(2025, 1, 1))
        if index < 8:
            services.stage_record(
                actor=coach, stage=stages[1], client=client, reached_on=D(2025, 1, 6)
            )
        if index in (0, 3):
            services.stage_record(
                actor=coach, stage=stages[2], client=client, reached_on=D(2025, 12, 1)
            )
    # Another project's trajectory and stage must not count.
    other = Project.objects.create(code="other", name="Ander project")
    other_stage = ProjectStage.objects.create(project=other, name="gescreend", position=1)
    services.stage_record(
        actor=coach, stage=other_stage, client=clients[9], reached_on=D(2025, 2, 1)
    )
    trajectory(clients[9], employee_route, other, None, outcome=Outcome.WORK)
    return project


def test_funnel_counts_clients_per_stage_in_order(pilot):
    assert [(s.name, s.clients) for s in results.funnel(pilot)] == [
        ("gescreend", 10),
        ("geselecteerd", 8),
        ("geplaatst", 2),
    ]


def test_groups_compared_with_work_out_of_group_size(pilot):
    groups = results.group_comparison(pilot)
    assert [(g.name, g.trajectories, g.ended, g.to_work, g.work_share) for g in groups] == [
        ("met instrumenten", 3, 2, 2, Fraction(2, 3)),
        ("zonder instrumenten", 4, 2, 1, Fraction(1, 4)),
    ]
    totals = results.project_totals(pilot)
    assert (totals.trajectories, totals.ended, totals.to_work) == (8, 5, 3)
    progress = results.progress(pilot, totals)
    assert (progress.reached, progress.target, progress.share) == (3, 10, Fraction(3, 10))


def test_a_stage_is_reached_once_per_client(pilot):
    from django.core.exceptions import ValidationError

    stage = pilot.stages.get(position=1)
    client = pilot.stages_reached.first().client
    with pytest.raises(ValidationError):
        services.stage_record(actor=None, stage=stage, client=client, reached_on=D.today())


def test_project_page_shows_funnel_and_groups_with_their_sizes(client, manager, pilot):
    client.force_login(manager)
    page = client.get(reverse("projects:detail", args=[pilot.pk])).content.decode()
    assert 'alt="Trechter van Pilot loonwaarde: cliënten per fase"' in page  # the chart
    # Shares with one decimal, half away from zero (core.figures): 2/3 = 66.67, 1/4 = 25,
    # 3/8 = 37.5 exactly; 3 of a target of 10 = 30.
    assert "2 van 3 (66,7%)" in page
    assert "1 van 4 (25,0%)" in page
    assert "3 van 8 (37,5%)" in page  # the whole project
    assert "3 van het doel van 10 cliënten aan het werk (30,0%)" in page
    # Figures only: no client names for anyone on this page.
    assert Trajectory.objects.first().client.last_name not in page


def _add_group(project, route, coach, team, assen, index):
    group = ProjectGroup.objects.create(project=project, name=f"groep {index}")
    stage = ProjectStage.objects.create(project=project, name=f"fase {index}", position=index)
    for client in ClientFactory.create_batch(3, coach=coach, team=team, municipality=assen):
        trajectory(client, route, project, group, outcome=Outcome.WORK)
        services.stage_record(actor=None, stage=stage, client=client, reached_on=D.today())


def test_project_page_queries_do_not_grow_with_groups_and_clients(
    client, manager, django_assert_num_queries, employee_route, coach, team, assen
):
    project = Project.objects.create(code="p", name="P", target=5)
    _add_group(project, employee_route, coach, team, assen, 1)
    client.force_login(manager)
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)  # warm the permission cache of the session
    # session (3, with its savepoint pair 5) + permissions (2) + project, funnel, groups, totals
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    for index in range(2, 6):
        _add_group(project, employee_route, coach, team, assen, index)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


@pytest.fixture
def festival(db):
    return Event.objects.create(name="Banenfestival Assen", date=D(2026, 4, 2))


def test_event_counts_participants_per_result(festival, coach, team, assen):
    outcomes = [EventResult.WORK] * 3 + [EventResult.EDUCATION] + [EventResult.NOTHING_YET] * 2
    for client, result in zip(
        ClientFactory.create_batch(6, coach=coach, team=team, municipality=assen),
        outcomes,
        strict=True,
    ):
        event_services.event_participant_register(
            actor=coach, event=festival, client=client, result=result
        )
    other = Event.objects.create(name="Ander", date=D(2026, 5, 1))
    event_services.event_participant_register(
        actor=coach, event=other, client=client, result=EventResult.WORK
    )
    assert [(c.result, c.participants) for c in event_results.event_counts(festival)] == [
        ("work", 3),
        ("work_learning", 0),
        ("education", 1),
        ("work_experience", 0),
        ("nothing_yet", 2),
    ]


def test_coach_registers_a_participant_and_changes_the_result(
    coach_client, festival, client_of_coach
):
    url = reverse("projects:event_participant", args=[festival.pk])
    response = coach_client.post(url, {"client": client_of_coach.pk, "result": "nothing_yet"})
    assert response.status_code == 302
    coach_client.post(url, {"client": client_of_coach.pk, "result": "work_learning"})
    participant = EventParticipant.objects.get()
    assert (participant.client, participant.result) == (client_of_coach, "work_learning")


def test_coach_cannot_register_a_client_outside_their_scope(
    coach_client, festival, other_team, assen
):
    stranger = ClientFactory(team=other_team, coach=None, municipality=assen)
    url = reverse("projects:event_participant", args=[festival.pk])
    response = coach_client.post(url, {"client": stranger.pk, "result": "work"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not EventParticipant.objects.exists()


def test_event_page_names_only_participants_in_scope_and_managers_none(
    client, coach, manager, festival, client_of_coach, other_team, assen
):
    stranger = ClientFactory(
        last_name="Buitenscope", team=other_team, coach=None, municipality=assen
    )
    for participant in (client_of_coach, stranger):
        event_services.event_participant_register(
            actor=coach, event=festival, client=participant, result=EventResult.WORK
        )
    url = reverse("projects:event_detail", args=[festival.pk])
    client.force_login(coach)
    page = client.get(url).content.decode()
    assert client_of_coach.last_name in page and "Buitenscope" not in page
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert client_of_coach.last_name not in page and "Buitenscope" not in page
    assert "Register a participant" not in page and "Deelnemer registreren" not in page


def test_event_page_queries_do_not_grow_with_participants(
    client, coach, festival, team, assen, django_assert_num_queries
):
    def add(count):
        for c in ClientFactory.create_batch(count, coach=coach, team=team, municipality=assen):
            event_services.event_participant_register(
                actor=coach, event=festival, client=c, result=EventResult.WORK
            )

    add(1)
    client.force_login(coach)
    url = reverse("projects:event_detail", args=[festival.pk])
    client.get(url)
    # session (5 with savepoints) + permissions (2) + event, counts, participants, caseload
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200
    add(15)
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def test_project_list_and_event_list_open_for_manager(client, manager, pilot, festival):
    client.force_login(manager)
    assert "Pilot loonwaarde" in client.get(reverse("projects:list")).content.decode()
    assert "Banenfestival Assen" in client.get(reverse("projects:event_list")).content.decode()


def test_seed_demo_makes_a_pilot_with_four_groups_and_a_festival_and_one_open_trajectory():
    import io

    from django.core.management import call_command
    from django.db.models import Count, Q

    call_command("seed_demo", clients=80, seed=3, allow_without_debug=True, stdout=io.StringIO())
    project = Project.objects.get()
    assert project.groups.count() == 4
    assert [s.name for s in results.funnel(project)] == [
        "Gescreend",
        "Geselecteerd",
        "Toegelaten",
        "Geplaatst",
    ]
    funnel = [s.clients for s in results.funnel(project)]
    assert funnel[0] > 0 and funnel == sorted(funnel, reverse=True)
    assert Trajectory.objects.filter(project=project).exists()
    festival = Event.objects.get()
    assert festival.participants.exists()
    assert Trajectory.objects.filter(end_date__isnull=False).exists()
    most_open = (
        Trajectory.objects.values("client")
        .annotate(n=Count("pk", filter=Q(end_date__isnull=True)))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    assert most_open == 1


def test_right_of_access_export_holds_stages_and_events(pilot, festival, coach):
    from privacy import export

    client = pilot.stages_reached.order_by("pk").first().client
    event_services.event_participant_register(
        actor=coach, event=festival, client=client, result=EventResult.WORK_LEARNING
    )
    sections = {s.key: s for s in export.export_build(client).sections}
    assert [r["stage"] for r in sections["project_stages"].records] == [
        "gescreend",
        "geselecteerd",
        "geplaatst",
    ]
    assert sections["events"].records[0]["event"] == "Banenfestival Assen"
    assert sections["events"].records[0]["result"] == "Leerwerkplek"


def test_coach_records_a_stage_a_client_reached_and_the_funnel_counts_it(
    client, coach, pilot, team, assen
):
    newcomer = ClientFactory(first_name="Noor", coach=coach, team=team, municipality=assen)
    placed = pilot.stages.get(name="geplaatst")
    client.force_login(coach)
    page = client.get(reverse("projects:detail", args=[pilot.pk])).content.decode()
    assert "Fase vastleggen" in page
    response = client.post(
        reverse("projects:stage_record", args=[pilot.pk]),
        {"client": newcomer.pk, "stage": placed.pk, "reached_on": "2026-01-15"},
    )
    assert response.status_code == 302
    assert [s.clients for s in results.funnel(pilot)] == [10, 8, 3]
    again = client.post(
        reverse("projects:stage_record", args=[pilot.pk]),
        {"client": newcomer.pk, "stage": placed.pk, "reached_on": "2026-01-16"},
    )
    assert again.status_code == 400  # once per client and stage, said in the form
    assert [s.clients for s in results.funnel(pilot)] == [10, 8, 3]


def test_a_stage_cannot_be_recorded_for_a_client_outside_the_coachs_scope(
    client, coach, pilot, other_team, assen
):
    stranger = ClientFactory(team=other_team, municipality=assen)
    client.force_login(coach)
    response = client.post(
        reverse("projects:stage_record", args=[pilot.pk]),
        {
            "client": stranger.pk,
            "stage": pilot.stages.first().pk,
            "reached_on": "2026-01-15",
        },
    )
    assert response.status_code == 400
    assert "client" in response.context["stage_form"].errors
    assert not StageReached.objects.filter(client=stranger).exists()


def test_managers_see_the_funnel_but_record_no_stages(client, manager, pilot):
    client.force_login(manager)
    assert (
        "Fase vastleggen"
        not in client.get(reverse("projects:detail", args=[pilot.pk])).content.decode()
    )
    response = client.post(reverse("projects:stage_record", args=[pilot.pk]), {})
    assert response.status_code == 403
