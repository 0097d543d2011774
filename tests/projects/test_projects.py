"""Project figures on a hand-built dataset, the pages' query counts, and who sees what. (The
events' tests are in their own modules; the members' in test_members*.py.)"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import roles
from projects import results, services
from projects.models import MemberStatus, Project, ProjectGroup, ProjectStage, StageReached
from tests.factories import ClientFactory, UserFactory
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


def reach(stage, client, on):
    """A stage reached, as the project's history holds it (the services move members)."""
    StageReached.objects.create(project=stage.project, stage=stage, client=client, reached_on=on)


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
        reach(stages[0], client, D(2025, 1, 1))
        if index < 8:
            reach(stages[1], client, D(2025, 1, 6))
        if index in (0, 3):
            reach(stages[2], client, D(2025, 12, 1))
    # Another project's trajectory and stage must not count.
    other = Project.objects.create(code="other", name="Ander project")
    other_stage = ProjectStage.objects.create(project=other, name="gescreend", position=1)
    reach(other_stage, clients[9], D(2025, 2, 1))
    trajectory(clients[9], employee_route, other, None, outcome=Outcome.WORK)
    return project


def test_funnel_counts_clients_per_stage_in_order(pilot):
    assert [(s.name, s.clients) for s in results.funnel(pilot)] == [
        ("gescreend", 10),
        ("geselecteerd", 8),
        ("geplaatst", 2),
    ]


def test_a_stage_is_reached_once_per_client(pilot):
    from django.core.exceptions import ValidationError

    first = pilot.stages_reached.first()
    again = StageReached(
        project=pilot, stage=first.stage, client=first.client, reached_on=D.today()
    )
    with pytest.raises(ValidationError):
        again.full_clean()


def test_project_page_shows_funnel_and_groups_with_their_sizes(client, manager, coach, pilot):
    # Four members screened before their trajectories: work, work-and-learn, open, work.
    for trajectory_ in Trajectory.objects.filter(project=pilot).order_by("pk")[:4]:
        services.member_add(
            actor=coach, project=pilot, client=trajectory_.client, screened_on=D(2025, 1, 1)
        )
    client.force_login(manager)
    page = client.get(reverse("projects:detail", args=[pilot.pk])).content.decode()
    assert 'alt="Trechter van Pilot loonwaarde: cliënten per fase"' in page  # the chart
    # Shares with one decimal, half away from zero (core.figures): 3 of a target of 10 = 30.
    assert "3 van het doel van 10 cliënten aan het werk (30,0%)" in page
    # Figures only: no client names for anyone on this page.
    assert Trajectory.objects.first().client.last_name not in page


def _add_group(project, route, coach, team, assen, index):
    group = ProjectGroup.objects.create(project=project, name=f"groep {index}")
    stage = ProjectStage.objects.create(project=project, name=f"fase {index}", position=index)
    for client in ClientFactory.create_batch(3, coach=coach, team=team, municipality=assen):
        trajectory(client, route, project, group, outcome=Outcome.WORK)
        reach(stage, client, D.today())


def test_project_page_queries_do_not_grow_with_groups_and_clients(
    client, manager, django_assert_num_queries, employee_route, coach, team, assen
):
    project = Project.objects.create(code="p", name="P", target=5)
    _add_group(project, employee_route, coach, team, assen, 1)
    client.force_login(manager)
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)  # warm the permission cache of the session
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for index in range(2, 6):
        _add_group(project, employee_route, coach, team, assen, index)
    # The same number however many groups, stages and clients: session (3, with its savepoint
    # pair 5) + permissions (2) + project, funnel, members per stage, funnel per month,
    # progress, leaders, groups compared (projects.comparison's own count).
    with django_assert_num_queries(len(first)):
        assert client.get(url).status_code == 200


def test_project_list_shows_members_and_to_work_in_one_query(
    client, manager, pilot, django_assert_num_queries
):
    client.force_login(manager)
    client.get(reverse("projects:list"))
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("projects:list")).content.decode()
    assert "Pilot loonwaarde" in html
    for i in range(5):
        Project.objects.create(code=f"p{i}", name=f"Project {i}")
    with django_assert_num_queries(len(one)):
        client.get(reverse("projects:list"))


def test_seed_demo_makes_the_experiment_and_the_wajong_pilot_and_one_open_trajectory():
    import io

    from django.core.management import call_command
    from django.db.models import Count, Q

    call_command("seed_demo", clients=200, seed=3, allow_without_debug=True, stdout=io.StringIO())
    project = Project.objects.get(code="esf-experiment-loonwaarde")
    assert (project.kind, project.funder, project.planned_size) == ("experiment", "esf", 100)
    assert project.groups.count() == 4
    assert project.members.filter(group__isnull=False).exists()
    assert [s.name for s in results.funnel(project)] == [
        "Gescreend",
        "Geselecteerd",
        "Toegelaten",
        "Geplaatst",
    ]
    funnel = [s.clients for s in results.funnel(project)]
    assert funnel[0] > 0 and funnel == sorted(funnel, reverse=True)
    assert Trajectory.objects.filter(project=project).exists()
    pilot = Project.objects.get(code="pilot-detachering-wajong")
    assert pilot.criteria.count() == 4
    assert (
        pilot.members.filter(status=MemberStatus.NOT_ADMITTED)
        .exclude(not_admitted_reason="")
        .exists()
    )
    months = results.project_months(pilot, datetime.date.today())
    monthly = results.monthly_funnel(pilot, months)
    screened = [row.clients[1] for row in monthly.rows]
    assert screened == sorted(screened) and screened[-1] > screened[0]
    assert Trajectory.objects.filter(end_date__isnull=False).exists()
    most_open = (
        Trajectory.objects.values("client")
        .annotate(n=Count("pk", filter=Q(end_date__isnull=True)))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    )
    assert most_open == 1


def test_right_of_access_export_holds_stages_and_memberships(pilot, coach):
    from privacy import export

    client = pilot.stages_reached.order_by("pk").first().client
    pilot.criteria.create(text="Gemotiveerd")  # not ticked: not admitted, with the reason
    services.member_add(
        actor=coach, project=pilot, client=client, not_admitted_reason="Nog niet beschikbaar"
    )
    sections = {s.key: s for s in export.export_build(client).sections}
    assert [r["stage"] for r in sections["project_stages"].records] == [
        "gescreend",
        "geselecteerd",
        "geplaatst",
    ]
    (membership,) = sections["project_memberships"].records
    assert (membership["project"], membership["not_admitted_reason"]) == (
        "Pilot loonwaarde",
        "Nog niet beschikbaar",
    )


def test_coach_moves_an_admitted_member_on_and_the_funnel_counts_every_stage_passed(
    client, coach, pilot, team, assen
):
    newcomer = ClientFactory(first_name="Noor", coach=coach, team=team, municipality=assen)
    outsider = ClientFactory(first_name="Bas", coach=coach, team=team, municipality=assen)
    services.member_add(actor=coach, project=pilot, client=newcomer, screened_on=D(2026, 1, 5))
    placed = pilot.stages.get(name="geplaatst")
    client.force_login(coach)
    page = client.get(reverse("projects:detail", args=[pilot.pk])).content.decode()
    assert "Fase vastleggen" in page
    # Only the coach's own admitted members are offered.
    form = client.get(reverse("projects:detail", args=[pilot.pk])).context["stage_form"]
    assert [c for c, _label in form.fields["client"].choices if c] == [newcomer.pk]
    response = client.post(
        reverse("projects:stage_record", args=[pilot.pk]),
        {"client": newcomer.pk, "stage": placed.pk, "reached_on": "2026-01-15"},
    )
    assert response.status_code == 302
    # Screened on 5 January (stage 1); "geselecteerd" passed on the way to "geplaatst".
    assert [s.clients for s in results.funnel(pilot)] == [11, 9, 3]
    member = pilot.members.get(client=newcomer)
    assert (member.stage, member.stage_since) == (placed, D(2026, 1, 15))
    again = client.post(
        reverse("projects:stage_record", args=[pilot.pk]),
        {"client": newcomer.pk, "stage": placed.pk, "reached_on": "2026-01-16"},
    )
    assert again.status_code == 400  # only forward; a leader corrects back, with a reason
    assert "corrigeert" in again.context["stage_form"].errors["stage"][0]
    refused = client.post(
        reverse("projects:stage_record", args=[pilot.pk]),
        {"client": outsider.pk, "stage": placed.pk, "reached_on": "2026-01-16"},
    )
    assert refused.status_code == 400
    assert "geen toegelaten deelnemer" in refused.context["stage_form"].errors["client"][0]
    assert not StageReached.objects.filter(client=outsider).exists()
    # A team mate's admitted member is in the coach's scope, not in their caseload.
    mate = UserFactory(username="collega", roles=[roles.WORK_COACH])
    team.members.add(mate)
    theirs = ClientFactory(coach=mate, team=team, municipality=assen)
    services.member_add(actor=mate, project=pilot, client=theirs, screened_on=D(2026, 1, 5))
    refused = client.post(
        reverse("projects:stage_record", args=[pilot.pk]),
        {"client": theirs.pk, "stage": placed.pk, "reached_on": "2026-01-16"},
    )
    assert refused.status_code == 400
    assert "niet in uw caseload" in refused.context["stage_form"].errors["client"][0]
    assert [s.clients for s in results.funnel(pilot)] == [12, 9, 3]


def test_a_stage_is_not_recorded_before_the_screening_nor_on_a_closed_project(
    coach, pilot, team, assen
):
    from django.core.exceptions import ValidationError

    member_client = ClientFactory(coach=coach, team=team, municipality=assen)
    services.member_add(actor=coach, project=pilot, client=member_client, screened_on=D(2026, 1, 5))
    selected = pilot.stages.get(name="geselecteerd")
    with pytest.raises(ValidationError) as early:
        services.stage_record(
            actor=coach, stage=selected, client=member_client, reached_on=D(2026, 1, 4)
        )
    assert "reached_on" in early.value.message_dict
    services.project_close(actor=coach, project=pilot, closed_on=D(2026, 1, 6))
    pilot.refresh_from_db()
    with pytest.raises(ValidationError, match="gesloten"):
        services.stage_record(
            actor=coach, stage=selected, client=member_client, reached_on=D(2026, 1, 7)
        )
    assert not StageReached.objects.filter(client=member_client, stage=selected).exists()


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
