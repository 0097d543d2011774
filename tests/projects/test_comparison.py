"""The groups of a project compared (projects.comparison): outcomes, wage value, instruments,
and the confidence interval of the difference to work, on hand-worked numbers."""

import datetime
from fractions import Fraction

import pytest
from django.template.loader import render_to_string

from placements.models import Decision, Provision, ProvisionKind, WageValueAssessment
from projects import comparison
from projects.models import MemberStatus, Project, ProjectGroup, ProjectMember
from tests.factories import ClientFactory
from trajectories.models import Activity, ActivityKind, ActivityStatus, Outcome, Route, Trajectory

D = datetime.date
SCREENED = D(2025, 1, 1)
FEBRUARY = D(2025, 2, 1)


# -- The interval, by hand ----------------------------------------------------------------------


def test_interval_of_8_of_25_against_5_of_25_worked_by_hand():
    # z = 1.959964 (z^2 = 3.841459). Wilson: centre (x + z^2/2) / (n + z^2),
    # half-width z * sqrt(x(n - x)/n + z^2/4) / (n + z^2); n + z^2 = 28.841459.
    # 8 of 25, p1 = 0.32: centre 9.920729 / 28.841459 = 0.343974;
    #   half 1.959964 * sqrt(5.44 + 0.960365) / 28.841459 = 1.959964 * 2.529894 / 28.841459
    #   = 0.171923: l1 = 0.172052, u1 = 0.515897.
    # 5 of 25, p2 = 0.20: centre 6.920729 / 28.841459 = 0.239958;
    #   half 1.959964 * sqrt(4 + 0.960365) / 28.841459 = 0.151352: l2 = 0.088606, u2 = 0.391310.
    # d = 0.12; L = 0.12 - sqrt((0.32 - 0.172052)^2 + (0.391310 - 0.20)^2)
    #             = 0.12 - sqrt(0.021889 + 0.036600) = 0.12 - 0.241843 = -0.121843;
    #           U = 0.12 + sqrt((0.515897 - 0.32)^2 + (0.20 - 0.088606)^2)
    #             = 0.12 + sqrt(0.038376 + 0.012409) = 0.12 + 0.225354 = 0.345354.
    p1 = comparison.wilson(8, 25)
    assert (round(p1.low, 4), round(p1.high, 4)) == (0.1721, 0.5159)
    p2 = comparison.wilson(5, 25)
    assert (round(p2.low, 4), round(p2.high, 4)) == (0.0886, 0.3913)
    interval = comparison.newcombe(8, 25, 5, 25)
    assert round(interval.low, 4) == -0.1218
    assert round(interval.high, 4) == 0.3454


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10.
        ((56, 70, 48, 80), (0.0524, 0.3339)),
        ((9, 10, 3, 10), (0.1705, 0.8090)),
        ((6, 7, 2, 7), (0.0582, 0.8062)),
        ((5, 56, 0, 29), (-0.0381, 0.1926)),
        ((0, 10, 0, 20), (-0.1611, 0.2775)),
        ((10, 10, 0, 20), (0.6791, 1.0000)),
    ],
)
def test_interval_agrees_with_newcombes_published_table(counts, expected):
    interval = comparison.newcombe(*counts)
    assert (round(interval.low, 4), round(interval.high, 4)) == expected


def test_interval_of_none_and_all_of_a_group_worked_by_hand():
    # 0 of 20: the Wilson lower bound is exactly 0 and the upper z^2 / (n + z^2)
    # = 3.841459 / 23.841459 = 0.161125. 5 of 20 (p = 0.25): centre 6.920729 / 23.841459
    # = 0.290280, half z * sqrt(3.75 + 0.960365) / 23.841459 = 0.178419: (0.111862, 0.468701).
    # d = -0.25; L = -0.25 - sqrt(0^2 + (0.468701 - 0.25)^2) = -0.468701 (-0.4687),
    # U = -0.25 + sqrt(0.161125^2 + (0.25 - 0.111862)^2) = -0.25 + 0.212235 = -0.037765.
    low_end = comparison.newcombe(0, 20, 5, 20)
    assert (round(low_end.low, 4), round(low_end.high, 4)) == (-0.4687, -0.0378)
    assert comparison.wilson(0, 20).low == 0
    # 20 of 20 against 15 of 20 mirrors it: (0.0378, 0.4687); the bound of 20 of 20 is 1.
    high_end = comparison.newcombe(20, 20, 15, 20)
    assert (round(high_end.low, 4), round(high_end.high, 4)) == (0.0378, 0.4687)
    assert comparison.wilson(20, 20).high == 1


def figures_of(name, work, size):
    outcomes = {code: comparison.Tally(0, size) for code, _c in comparison.OUTCOMES}
    outcomes[Outcome.WORK] = comparison.Tally(work, size)
    nothing = comparison.WageValue(0, None)
    return comparison.GroupFigures(
        name, None, size, outcomes, nothing, nothing, comparison.Tally(0, size)
    )


def test_difference_reads_in_plain_dutch():
    chance = comparison.difference(figures_of("A", 8, 25), figures_of("B", 5, 25))
    assert chance.contains_zero is True
    assert chance.reading == (
        "Verschil 12,0 procentpunt (95%-betrouwbaarheidsinterval \u221212,2 tot 34,5): "
        "het interval bevat 0, dus dit verschil kan toeval zijn."
    )
    clear = comparison.difference(figures_of("A", 0, 20), figures_of("B", 5, 20))
    assert clear.contains_zero is False
    assert clear.reading == (
        "Verschil \u221225,0 procentpunt (95%-betrouwbaarheidsinterval \u221246,9 tot \u22123,8): "
        "het interval bevat 0 niet, dus dit verschil is waarschijnlijk geen toeval."
    )


def test_difference_with_an_empty_group_has_no_interval_but_says_why():
    empty = comparison.difference(figures_of("Met instrumenten", 3, 10), figures_of("Leeg", 0, 0))
    assert empty.interval is None
    assert empty.difference is None
    assert empty.contains_zero is None
    assert empty.reading == "Geen verschil te berekenen: de groep Leeg heeft nog geen deelnemers."


# -- The figures of a project, from its members ------------------------------------------------


def member(project, group, *, status=MemberStatus.ADMITTED, screened_on=SCREENED, **reason):
    client = ClientFactory()
    ProjectMember.objects.create(
        project=project, client=client, group=group, status=status, screened_on=screened_on,
        **reason,
    )  # fmt: skip
    return client


def trajectory(client, start, end=None, outcome=""):
    return Trajectory.objects.create(
        client=client,
        route=Route.objects.get(code=Route.EMPLOYEE),
        start_date=start,
        end_date=end,
        outcome=outcome,
    )


def wage_value(client, on, percent):
    WageValueAssessment.objects.create(client=client, assessed_on=on, wage_value_percent=percent)


def activity(client, kind, status, start=FEBRUARY, end=None):
    Activity.objects.create(
        trajectory=client.trajectories.first() or trajectory(client, D(2025, 2, 1)),
        kind=ActivityKind.objects.get(code=kind),
        status=status,
        start_date=start,
        end_date=end,
    )


def provision(client, kind, decision=Decision.GRANTED):
    decided = None if decision == Decision.PENDING else D(2025, 2, 1)
    Provision.objects.create(
        client=client, kind=kind, decision=decision, requested_on=D(2025, 1, 15),
        decided_on=decided, start_date=decided,
    )  # fmt: skip


@pytest.fixture
def experiment(db):
    """Two groups, screened on 1 January 2025.

    "Met instrumenten" (4):
    - a1: an education trajectory that ended before the screening (does not count), then one
      from March ended in work. Wage value 40% (Dec 2024), 50% (Feb), 60% (Aug): start 50
      (the first on or after the screening), latest 60. A running WOP and a granted job coach.
    - a2: a trajectory open at the screening, ended in work-and-learn. Wage value 45% (June
      2024) only: start 45 (from before the screening), latest 45. A training cancelled and a
      language course that ended before the screening: no instrument.
    - a3: dropped out in May, then a new trajectory still open: still running. No wage value.
      A job coach only requested (not an instrument), a no-risk policy granted.
    - a4: no trajectory (still running). Wage value 70% (March): start and latest 70.
    "Zonder instrumenten" (3): b1 dropped out (a completed WOP after the screening), b2 moved
    away (other ending), b3 sheltered work.
    Without a group: c1, education. Not admitted (not counted): n1 in the first group, in work.
    "Leeg": a group without members. Another project's member (not counted).
    """
    project = Project.objects.create(code="esf", name="ESF-experiment")
    with_tools = ProjectGroup.objects.create(project=project, name="Met instrumenten")
    without = ProjectGroup.objects.create(project=project, name="Zonder instrumenten")
    ProjectGroup.objects.create(project=project, name="Leeg")

    a1 = member(project, with_tools)
    trajectory(a1, D(2024, 3, 1), D(2024, 11, 1), Outcome.EDUCATION)
    trajectory(a1, D(2025, 3, 1), D(2025, 9, 1), Outcome.WORK)
    wage_value(a1, D(2024, 12, 1), 40)
    wage_value(a1, D(2025, 2, 1), 50)
    wage_value(a1, D(2025, 8, 1), 60)
    activity(a1, "work_experience", ActivityStatus.RUNNING)
    provision(a1, ProvisionKind.JOB_COACH)

    a2 = member(project, with_tools)
    trajectory(a2, D(2024, 10, 1), D(2025, 6, 1), Outcome.WORK_LEARNING)
    wage_value(a2, D(2024, 6, 1), 45)
    activity(a2, "training", ActivityStatus.CANCELLED)
    activity(a2, "language_course", ActivityStatus.COMPLETED, D(2024, 10, 1), D(2024, 12, 1))

    a3 = member(project, with_tools)
    trajectory(a3, D(2025, 1, 10), D(2025, 5, 1), Outcome.DROPPED_OUT)
    trajectory(a3, D(2025, 6, 1))
    provision(a3, ProvisionKind.JOB_COACH, Decision.PENDING)
    provision(a3, ProvisionKind.NO_RISK_POLICY)

    a4 = member(project, with_tools)
    wage_value(a4, D(2025, 3, 1), 70)

    b1 = member(project, without)
    trajectory(b1, D(2025, 2, 1), D(2025, 10, 1), Outcome.DROPPED_OUT)
    activity(b1, "work_experience", ActivityStatus.COMPLETED, D(2025, 2, 1), D(2025, 4, 1))
    b2 = member(project, without)
    trajectory(b2, D(2025, 2, 1), D(2025, 10, 1), Outcome.MOVED)
    b3 = member(project, without)
    trajectory(b3, D(2025, 2, 1), D(2025, 10, 1), Outcome.SHELTERED_WORK)

    c1 = member(project, None)
    trajectory(c1, D(2025, 2, 1), D(2025, 10, 1), Outcome.EDUCATION)

    n1 = member(project, with_tools, status=MemberStatus.NOT_ADMITTED, not_admitted_reason="Ziek")
    trajectory(n1, D(2025, 2, 1), D(2025, 10, 1), Outcome.WORK)

    other = Project.objects.create(code="ander", name="Ander project")
    o1 = member(other, ProjectGroup.objects.create(project=other, name="Met instrumenten"))
    trajectory(o1, D(2025, 2, 1), D(2025, 10, 1), Outcome.WORK)
    return project


def counts(figures):
    return {code: tally.count for code, tally in figures.outcomes.items() if tally.count}


def test_outcomes_per_group_come_from_the_trajectories_since_the_screening(experiment):
    result = comparison.compare(experiment)
    empty, with_tools, without = result.groups  # by name: Leeg, Met..., Zonder...
    assert [g.name for g in result.groups] == ["Leeg", "Met instrumenten", "Zonder instrumenten"]
    assert with_tools.size == 4
    assert counts(with_tools) == {"work": 1, "work_learning": 1, "running": 2}
    assert with_tools.to_work == comparison.Tally(2, 4)
    assert with_tools.outcomes["running"].share == Fraction(1, 2)
    assert counts(without) == {"dropped_out": 1, "other": 1, "sheltered_work": 1}
    assert without.to_work.share == 0
    assert empty.size == 0
    assert empty.to_work.share is None
    assert result.no_group.size == 1
    assert counts(result.no_group) == {"education": 1}
    # The whole project: 4 + 3 + 1 admitted members (not n1, not the other project's).
    assert result.total.size == 8
    assert result.total.to_work == comparison.Tally(2, 8)
    assert counts(result.total) == {
        "work": 1, "work_learning": 1, "running": 2, "dropped_out": 1, "other": 1,
        "sheltered_work": 1, "education": 1,
    }  # fmt: skip
    assert result.has_groups


def test_wage_value_at_start_and_latest_are_means_of_the_members_who_have_one(experiment):
    with_tools = comparison.compare(experiment).groups[1]
    # Start: a1 50 (first on or after the screening), a2 45 (last before it), a4 70:
    # (50 + 45 + 70) / 3 = 55%. Latest: 60, 45, 70: 175 / 3 = 58.33%.
    assert with_tools.wage_start == comparison.WageValue(3, Fraction(55, 100), from_before=1)
    assert with_tools.wage_latest == comparison.WageValue(3, Fraction(175, 300))
    assert comparison.compare(experiment).groups[2].wage_start == comparison.WageValue(0, None)


def test_instruments_count_members_with_a_running_or_completed_activity_or_granted_provision(
    experiment,
):
    result = comparison.compare(experiment)
    empty, with_tools, without = result.groups
    assert [kind.label for kind in result.instrument_kinds] == [
        "Werkontwikkelplek (WOP)",  # activity kinds first, by name
        "Jobcoach",  # then provision kinds, by name
        "No-riskpolis",
    ]
    wop, coach, no_risk = (kind.key for kind in result.instrument_kinds)
    assert with_tools.with_instrument == comparison.Tally(2, 4)  # a1 and a3
    assert with_tools.instruments == {
        wop: comparison.Tally(1, 4), coach: comparison.Tally(1, 4),
        no_risk: comparison.Tally(1, 4),
    }  # fmt: skip
    assert without.with_instrument == comparison.Tally(1, 3)  # b1
    assert without.instruments == {wop: comparison.Tally(1, 3)}
    assert result.total.with_instrument == comparison.Tally(3, 8)
    assert result.total.instruments[wop] == comparison.Tally(2, 8)
    # The table has a cell for every column, 0 where a group used the kind not at all.
    assert [cell.count for cell in result.instrument_rows[0].cells] == [0, 1, 1, 0, 2]


def test_every_pair_of_groups_is_compared_on_the_share_to_work(experiment):
    result = comparison.compare(experiment)
    assert [(d.first, d.second) for d in result.differences] == [
        ("Leeg", "Met instrumenten"),
        ("Leeg", "Zonder instrumenten"),
        ("Met instrumenten", "Zonder instrumenten"),
    ]
    assert result.differences[0].interval is None
    # 2 of 4 against 0 of 3. Wilson of 2 of 4: centre (2 + 1.920729) / 7.841459 = 0.5,
    # half 1.959964 * sqrt(1 + 0.960365) / 7.841459 = 0.349961: (0.150039, 0.849961).
    # 0 of 3: (0, 3.841459 / 6.841459 = 0.561497). d = 0.5;
    # L = 0.5 - sqrt(0.349961^2 + 0.561497^2) = 0.5 - 0.661628 = -0.161628;
    # U = 0.5 + sqrt(0.349961^2 + 0^2) = 0.849961.
    pair = result.differences[2]
    assert pair.difference == 0.5
    assert (round(pair.interval.low, 4), round(pair.interval.high, 4)) == (-0.1616, 0.8500)
    assert pair.contains_zero


def test_a_member_who_left_counts_in_the_group_and_one_not_admitted_does_not(db):
    project = Project.objects.create(code="p", name="Project")
    group = ProjectGroup.objects.create(project=project, name="A")
    stayed = member(project, group)
    trajectory(stayed, FEBRUARY, D(2025, 9, 1), Outcome.WORK)
    left = member(project, group, status=MemberStatus.LEFT)
    trajectory(left, FEBRUARY, D(2025, 4, 1), Outcome.DROPPED_OUT)
    refused = member(project, group, status=MemberStatus.NOT_ADMITTED, not_admitted_reason="Ziek")
    trajectory(refused, FEBRUARY, D(2025, 9, 1), Outcome.WORK)
    (figures,) = comparison.compare(project).groups
    # 1 of 2 to work: leaving the project does not make the group look better.
    assert figures.size == 2
    assert figures.to_work == comparison.Tally(1, 2)
    assert figures.outcomes[Outcome.DROPPED_OUT].count == 1


def test_a_project_without_members_has_nothing_to_compare(db):
    project = Project.objects.create(code="leeg", name="Leeg project")
    ProjectGroup.objects.create(project=project, name="A")
    result = comparison.compare(project)
    assert not result.has_groups
    assert result.total.size == 0
    assert result.no_group is None
    html = render_to_string("projects/_comparison.html", {"comparison": result})
    assert "Dit project heeft nog geen groepen met deelnemers." in html


def build(project, groups, n):
    """n admitted members spread over the groups, each with an ended trajectory, a wage value
    and an instrument."""
    for index in range(n):
        client = member(project, groups[index % len(groups)])
        trajectory(client, D(2025, 2, 1), D(2025, 9, 1), Outcome.WORK)
        wage_value(client, D(2025, 2, 1), 50)
        activity(client, "work_experience", ActivityStatus.COMPLETED, end=D(2025, 4, 1))
        provision(client, ProvisionKind.JOB_COACH)


@pytest.mark.parametrize(("n_groups", "n_members"), [(1, 1), (4, 20)])
def test_comparison_runs_the_same_queries_for_one_member_and_twenty(
    db, django_assert_num_queries, n_groups, n_members
):
    project = Project.objects.create(code="p", name="Project")
    groups = [
        ProjectGroup.objects.create(project=project, name=f"Groep {i}") for i in range(n_groups)
    ]
    build(project, groups, n_members)
    # The groups, the members' figures per group, activity kinds and provision kinds.
    with django_assert_num_queries(4):
        result = comparison.compare(project)
        html = render_to_string("projects/_comparison.html", {"comparison": result})
    assert result.total.size == n_members
    assert result.total.to_work.count == n_members
    assert "Groepen vergeleken" in html


def test_the_section_shows_tables_chart_and_the_reading_of_each_difference(experiment):
    html = render_to_string(
        "projects/_comparison.html", {"comparison": comparison.compare(experiment)}
    )
    assert "Groepen vergeleken" in html
    assert 'alt="Resultaten per groep van ESF-experiment"' in html
    assert "2 van 4 (50,0%)" in html  # to work in "Met instrumenten"
    assert "55,0%" in html and "58,3%" in html  # wage value at start and latest
    assert (
        "Verschil 50,0 procentpunt (95%-betrouwbaarheidsinterval \u221216,2 tot 85,0): "
        "het interval bevat 0, dus dit verschil kan toeval zijn." in html
    )
    assert "Geen verschil te berekenen: de groep Leeg heeft nog geen deelnemers." in html
