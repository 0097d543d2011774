"""Members of a project: screening with criteria, adding in bulk, correcting a stage, a placement
moving a member to "placed", progress to the goal and the funnel per month (issue 19)."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from placements import services as placement_services
from placements.models import Contract, Placement, PlacementKind
from projects import comparison, results, services
from projects.models import (
    MemberStatus,
    Milestone,
    Project,
    ProjectMember,
    ProjectStage,
    StageReached,
)
from tests.factories import ClientFactory
from tests.placements.factories import EmployerFactory
from trajectories.models import Outcome, Trajectory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def pilot(manager):
    """The Wajong pilot: four stages (Aangemeld, Gescreend = screened, Toegelaten = admitted,
    Geplaatst = placed), two screening criteria, two groups."""
    return services.project_create(
        actor=manager,
        name="Pilot detachering Wajong",
        code="pilot-wajong",
        kind="pilot",
        funder="uwv",
        target=4,
        target_share=50,
        stages=[
            {"name": "Aangemeld", "position": 1, "milestone": ""},
            {"name": "Gescreend", "position": 2, "milestone": Milestone.SCREENED},
            {"name": "Toegelaten", "position": 3, "milestone": Milestone.ADMITTED},
            {"name": "Geplaatst", "position": 4, "milestone": Milestone.PLACED},
        ],
        criteria=["Gemotiveerd", "Minimaal 12 uur per week beschikbaar"],
        groups=["Met jobcoach", "Zonder jobcoach"],
    )


@pytest.fixture
def clients(coach, team, assen):
    return ClientFactory.create_batch(3, coach=coach, team=team, municipality=assen)


def reached(project, client):
    return list(
        StageReached.objects.filter(project=project, client=client)
        .order_by("stage__position")
        .values_list("stage__name", flat=True)
    )


def test_a_new_project_gets_default_stages_and_its_creator_as_leader(manager):
    project = services.project_create(actor=manager, name="Nieuw", code="nieuw")
    assert [s.milestone for s in project.stages.order_by("position")] == [
        "screened",
        "admitted",
        "placed",
    ]
    assert list(project.leaders.all()) == [manager]
    assert project.created_by == manager


def test_stages_can_swap_places_and_a_stage_with_members_stays(pilot, clients, coach):
    stages = {s.name: s for s in pilot.stages.all()}
    services.project_update(
        actor=None,
        project=pilot,
        stages=[
            {"id": stages["Aangemeld"].pk, "name": "Aangemeld", "position": 2, "milestone": ""},
            {"id": stages["Gescreend"].pk, "name": "Gescreend", "position": 1,
             "milestone": Milestone.SCREENED},
            {"id": stages["Toegelaten"].pk, "name": "Toegelaten", "position": 3,
             "milestone": Milestone.ADMITTED},
            {"id": stages["Geplaatst"].pk, "name": "Geplaatst", "position": 4,
             "milestone": Milestone.PLACED},
        ],
    )  # fmt: skip
    assert [s.name for s in pilot.stages.order_by("position")] == [
        "Gescreend",
        "Aangemeld",
        "Toegelaten",
        "Geplaatst",
    ]
    services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    with pytest.raises(ValidationError, match="Toegelaten"):
        services.project_update(
            actor=None,
            project=pilot,
            stages=[{"id": stages["Gescreend"].pk, "name": "Gescreend", "position": 1}],
        )


def test_two_stages_swap_their_names_and_milestones_in_one_save(pilot):
    stages = {s.name: s for s in pilot.stages.all()}
    services.project_update(
        actor=None,
        project=pilot,
        stages=[
            {"id": stages["Aangemeld"].pk, "name": "Aangemeld", "position": 1, "milestone": ""},
            {"id": stages["Gescreend"].pk, "name": "Gescreend", "position": 2,
             "milestone": Milestone.SCREENED},
            {"id": stages["Toegelaten"].pk, "name": "Geplaatst", "position": 3,
             "milestone": Milestone.PLACED},
            {"id": stages["Geplaatst"].pk, "name": "Toegelaten", "position": 4,
             "milestone": Milestone.ADMITTED},
        ],
    )  # fmt: skip
    stages["Toegelaten"].refresh_from_db()
    assert (stages["Toegelaten"].name, stages["Toegelaten"].milestone) == (
        "Geplaatst",
        Milestone.PLACED,
    )


def test_all_criteria_met_admits_the_client_through_the_admitted_stage(pilot, clients, coach):
    member = services.member_add(
        actor=coach,
        project=pilot,
        client=clients[0],
        criteria_met=pilot.criteria.all(),
        screened_on=D(2026, 1, 10),
    )
    assert member.status == MemberStatus.ADMITTED
    assert (member.stage.name, member.stage_since) == ("Toegelaten", D(2026, 1, 10))
    # Every stage up to the admitted one counts as reached, so the funnel narrows.
    assert reached(pilot, clients[0]) == ["Aangemeld", "Gescreend", "Toegelaten"]
    assert set(member.criteria_met.all()) == set(pilot.criteria.all())


def test_a_criterion_not_met_needs_a_reason_and_the_client_stays_screened(pilot, clients, coach):
    motivated = pilot.criteria.get(text="Gemotiveerd")
    with pytest.raises(ValidationError) as refused:
        services.member_add(actor=coach, project=pilot, client=clients[0], criteria_met=[motivated])
    assert "not_admitted_reason" in refused.value.error_dict
    member = services.member_add(
        actor=coach,
        project=pilot,
        client=clients[0],
        criteria_met=[motivated],
        not_admitted_reason="Kan nu maar 8 uur per week",
    )
    assert member.status == MemberStatus.NOT_ADMITTED
    assert member.stage.name == "Gescreend"
    assert reached(pilot, clients[0]) == ["Aangemeld", "Gescreend"]


def test_a_client_is_added_to_a_project_once(pilot, clients, coach):
    services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    with pytest.raises(ValidationError, match=clients[0].full_name):
        services.member_add(
            actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
        )


def test_a_client_may_be_in_two_projects(pilot, clients, coach, manager):
    other = services.project_create(actor=manager, name="Ander", code="ander")
    services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    services.member_add(actor=coach, project=other, client=clients[0])
    assert clients[0].project_memberships.count() == 2


def test_a_closed_project_takes_no_new_members(pilot, clients, coach, manager):
    services.project_close(actor=manager, project=pilot)
    with pytest.raises(ValidationError, match=pilot.name):
        services.member_add(
            actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
        )


def test_an_anonymised_client_cannot_be_added(pilot, clients, coach):
    clients[0].anonymised_at = timezone.now()
    with pytest.raises(ValidationError):
        services.member_add(
            actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
        )


def test_bulk_add_is_all_or_nothing(pilot, clients, coach):
    criteria = list(pilot.criteria.all())
    with pytest.raises(ValidationError) as refused:
        services.members_add_bulk(
            actor=coach,
            project=pilot,
            entries=[
                {"client": clients[0], "criteria_met": criteria},
                {"client": clients[1], "criteria_met": criteria[:1]},  # no reason given
            ],
        )
    assert clients[1].full_name in " ".join(refused.value.messages)
    assert not pilot.members.exists() and not pilot.stages_reached.exists()
    added = services.members_add_bulk(
        actor=coach,
        project=pilot,
        entries=[
            {"client": clients[0], "criteria_met": criteria},
            {"client": clients[1], "criteria_met": [], "not_admitted_reason": "Niet gemotiveerd"},
        ],
    )
    assert [m.status for m in added] == [MemberStatus.ADMITTED, MemberStatus.NOT_ADMITTED]


def test_a_stage_correction_removes_later_stages_and_keeps_the_reason(pilot, clients, coach):
    member = services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    screened = pilot.stages.get(name="Gescreend")
    with pytest.raises(ValidationError):
        services.member_stage_correct(actor=coach, member=member, stage=screened, reason=" ")
    member = services.member_stage_correct(
        actor=coach, member=member, stage=screened, reason="Toelating te vroeg vastgelegd"
    )
    assert member.stage == screened and member.stage_since == TODAY
    assert reached(pilot, clients[0]) == ["Aangemeld", "Gescreend"]
    assert StageReached.objects.get(stage=screened).reason == "Toelating te vroeg vastgelegd"
    # Forward again: the skipped stage is filled in, the target carries the reason.
    placed = pilot.stages.get(name="Geplaatst")
    services.member_stage_correct(actor=coach, member=member, stage=placed, reason="Gestart")
    assert reached(pilot, clients[0]) == ["Aangemeld", "Gescreend", "Toegelaten", "Geplaatst"]
    assert StageReached.objects.get(stage=placed).reason == "Gestart"


def place(client, *, start, kind=PlacementKind.REGULAR):
    return placement_services.placement_create(
        actor=None,
        client=client,
        employer=EmployerFactory(),
        kind=kind,
        start_date=start,
        contract=Contract.TEMPORARY,
        contract_end_date=start + datetime.timedelta(days=365),
        hours_per_week=Decimal("24"),
    )


def test_a_placement_that_starts_moves_admitted_members_to_placed(pilot, clients, coach):
    criteria = pilot.criteria.all()
    admitted = services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=criteria
    )
    seconded = services.member_add(
        actor=coach, project=pilot, client=clients[1], criteria_met=criteria
    )
    refused = services.member_add(
        actor=coach, project=pilot, client=clients[2], not_admitted_reason="Niet beschikbaar"
    )
    start = TODAY - datetime.timedelta(days=3)
    screened = start - datetime.timedelta(days=7)
    for member in (admitted, seconded, refused):
        ProjectMember.objects.filter(pk=member.pk).update(screened_on=screened)
    place(clients[0], start=start)
    place(clients[1], start=start, kind=PlacementKind.SECONDMENT)
    place(clients[2], start=start)
    for member in (admitted, seconded, refused):
        member.refresh_from_db()
    assert (admitted.stage.name, admitted.stage_since) == ("Geplaatst", start)
    assert seconded.stage.name == "Geplaatst"
    assert refused.stage.name == "Gescreend"  # not admitted: not moved
    assert pilot.stages_reached.filter(stage__milestone="placed").count() == 2


def test_a_placement_that_started_before_the_screening_counts_from_the_screening(
    pilot, clients, coach
):
    member = services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    place(clients[0], start=TODAY - datetime.timedelta(days=30))
    member.refresh_from_db()
    # Placed no earlier than admitted: every month's funnel stays a funnel.
    assert (member.stage.name, member.stage_since) == ("Geplaatst", TODAY)
    assert pilot.stages_reached.get(stage__milestone="placed").reached_on == TODAY


def test_a_trial_or_a_placement_that_ended_before_the_screening_does_not_move_a_member(
    pilot, clients, coach
):
    member = services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    place(clients[0], start=TODAY, kind=PlacementKind.TRIAL)
    place(clients[0], start=TODAY, kind=PlacementKind.WORK_EXPERIENCE)
    placement_services.placement_create(
        actor=None,
        client=clients[0],
        employer=EmployerFactory(),
        kind=PlacementKind.REGULAR,
        start_date=TODAY - datetime.timedelta(days=400),
        end_date=TODAY - datetime.timedelta(days=100),
        contract=Contract.TEMPORARY,
        contract_end_date=TODAY - datetime.timedelta(days=100),
        hours_per_week=Decimal("24"),
    )
    member.refresh_from_db()
    assert member.stage.name == "Toegelaten"


def test_the_morning_task_moves_members_whose_placement_started_since(pilot, clients, coach):
    from projects.tasks import placements_started

    member = services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    placement = place(clients[0], start=TODAY + datetime.timedelta(days=2))
    member.refresh_from_db()
    assert member.stage.name == "Toegelaten"
    Placement.objects.filter(pk=placement.pk).update(start_date=TODAY)  # the day has come
    assert placements_started() == 1
    member.refresh_from_db()
    assert (member.stage.name, member.stage_since) == ("Geplaatst", TODAY)
    assert placements_started() == 0  # a second run moves nobody


def test_a_placement_in_the_future_moves_the_member_when_it_starts(pilot, clients, coach):
    member = services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    placement = place(clients[0], start=TODAY + datetime.timedelta(days=10))
    member.refresh_from_db()
    assert member.stage.name == "Toegelaten"
    placement_services.placement_update(actor=None, placement=placement, start_date=TODAY)
    member.refresh_from_db()
    assert (member.stage.name, member.stage_since) == ("Geplaatst", TODAY)


def test_a_member_past_placed_is_not_moved_back_and_a_closed_project_not_at_all(
    pilot, clients, coach, manager
):
    ProjectStage.objects.create(project=pilot, name="Duurzaam aan het werk", position=5)
    member = services.member_add(
        actor=coach, project=pilot, client=clients[0], criteria_met=pilot.criteria.all()
    )
    services.member_stage_correct(
        actor=coach, member=member, stage=pilot.stages.get(position=5), reason="Na zes maanden"
    )
    other = services.project_create(actor=manager, name="Gesloten", code="gesloten")
    closed_member = services.member_add(actor=coach, project=other, client=clients[0])
    services.project_close(actor=manager, project=other)
    place(clients[0], start=TODAY)
    member.refresh_from_db()
    closed_member.refresh_from_db()
    assert member.stage.name == "Duurzaam aan het werk"
    assert closed_member.stage.milestone == Milestone.ADMITTED


def test_the_funnel_per_month_counts_who_had_reached_each_stage_by_month_end(pilot, clients):
    """Hand-built: client 0 screened 15 Jan, admitted 20 Feb, placed 1 Mar; client 1 screened
    31 Jan, admitted 1 Feb; client 2 screened 1 Mar. By the end of January: 2 screened, 0
    admitted; February: 2 screened, 2 admitted; March: 3 screened, 2 admitted, 1 placed."""
    stages = {s.name: s for s in pilot.stages.all()}
    rows = [
        (0, "Gescreend", D(2026, 1, 15)), (0, "Toegelaten", D(2026, 2, 20)),
        (0, "Geplaatst", D(2026, 3, 1)), (1, "Gescreend", D(2026, 1, 31)),
        (1, "Toegelaten", D(2026, 2, 1)), (2, "Gescreend", D(2026, 3, 1)),
    ]  # fmt: skip
    for index, stage, day in rows:
        StageReached.objects.create(
            project=pilot, stage=stages[stage], client=clients[index], reached_on=day
        )
    funnel = results.monthly_funnel(pilot, [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)])
    assert funnel.stages == ("Aangemeld", "Gescreend", "Toegelaten", "Geplaatst")
    assert [(r.month, r.clients) for r in funnel.rows] == [
        (D(2026, 1, 1), (0, 2, 0, 0)),
        (D(2026, 2, 1), (0, 2, 2, 0)),
        (D(2026, 3, 1), (0, 3, 2, 1)),
    ]


def test_the_months_of_a_project_run_from_its_start_to_today_at_most_24():
    project = Project(start_date=D(2025, 11, 20), end_date=D(2027, 1, 1))
    assert results.project_months(project, D(2026, 2, 3)) == [
        D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1),
    ]  # fmt: skip
    project = Project(start_date=D(2020, 1, 1))
    months = results.project_months(project, D(2026, 2, 3))
    assert len(months) == 24 and months[-1] == D(2026, 2, 1)


def test_progress_counts_members_by_the_outcome_of_their_latest_trajectory_since_screening(
    pilot, clients, coach, employee_route, team, assen
):
    """One definition for the goal, the list and the groups compared. Client 0: admitted 1 Feb,
    latest trajectory ended with work 1 June: counts. Client 1: admitted, ended with work
    before the screening: does not. Client 2: not a member, a trajectory naming the project
    ended in a work-and-learn place: not counted (members only, so the share stays at most
    100%). Client 3: admitted, found work, then a later trajectory dropped out: counts (work
    reached is not undone). Client 4: admitted, found work, then left the project: counts
    (intention to treat). 3 of 4 counted members, against a target of 4."""
    clients = [*clients, *ClientFactory.create_batch(2, coach=coach, team=team, municipality=assen)]
    criteria = pilot.criteria.all()
    for client in (clients[0], clients[1], clients[3], clients[4]):
        services.member_add(
            actor=coach, project=pilot, client=client, criteria_met=criteria,
            screened_on=D(2026, 2, 1),
        )  # fmt: skip

    def ended(client, start, end, outcome, project=None):
        Trajectory.objects.create(
            client=client, route=employee_route, project=project, start_date=start,
            end_date=end, outcome=outcome,
        )  # fmt: skip

    ended(clients[0], D(2025, 6, 1), D(2026, 5, 1), Outcome.DROPPED_OUT)
    ended(clients[0], D(2026, 5, 2), D(2026, 6, 1), Outcome.WORK, project=pilot)
    ended(clients[1], D(2025, 6, 1), D(2026, 1, 5), Outcome.WORK)
    ended(clients[2], D(2025, 6, 1), D(2026, 3, 1), Outcome.WORK_LEARNING, project=pilot)
    ended(clients[3], D(2026, 2, 2), D(2026, 3, 1), Outcome.WORK)
    ended(clients[3], D(2026, 3, 2), D(2026, 5, 1), Outcome.DROPPED_OUT)
    ended(clients[4], D(2026, 2, 2), D(2026, 4, 1), Outcome.WORK_LEARNING)
    ProjectMember.objects.filter(project=pilot, client=clients[4]).update(status=MemberStatus.LEFT)
    goal = results.goal_progress(pilot)
    assert (goal.members, goal.to_work, goal.target, goal.target_share) == (4, 3, 4, 50)
    assert goal.share == Fraction(3, 4)
    assert results.to_work_count(pilot) == 3
    listed = results.with_member_figures(Project.objects.filter(pk=pilot.pk)).get()
    assert (listed.n_members, listed.n_work) == (4, 3)
    # The groups compared count the same: their total is the progress to the goal.
    total = comparison.compare(pilot).total
    assert (total.size, total.to_work.count) == (goal.members, goal.to_work)


def test_a_correction_cannot_put_a_client_not_admitted_at_or_past_admitted(pilot, clients, coach):
    member = services.member_add(
        actor=coach, project=pilot, client=clients[0], not_admitted_reason="Niet beschikbaar"
    )
    assert member.status == MemberStatus.NOT_ADMITTED
    for name in ("Toegelaten", "Geplaatst"):
        with pytest.raises(ValidationError, match="niet toegelaten"):
            services.member_stage_correct(
                actor=coach, member=member, stage=pilot.stages.get(name=name), reason="Fout"
            )
    assert reached(pilot, clients[0]) == ["Aangemeld", "Gescreend"]
    aangemeld = pilot.stages.get(name="Aangemeld")
    services.member_stage_correct(actor=coach, member=member, stage=aangemeld, reason="Terug")
    assert reached(pilot, clients[0]) == ["Aangemeld"]
