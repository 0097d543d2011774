"""A project's groups compared: outcomes, wage value, instruments, and the difference to work.

For an experiment with comparable groups ("wage value 40-60%, with instruments" against
"... without"): per group of admitted members, side by side, what came of them, and whether
the difference in the share to work between two groups could be chance (a 95% confidence
interval of the difference of two proportions). The page, the annual report's PDF and its xlsx
all call `compare` (STYLE.md: one module per family of figures).

The counting is done by the database: one query for the groups, one for the members' outcomes,
wage values and instruments per group, and one each for the activity and provision kinds per
group, whatever the number of members or groups. Only the interval is computed here, from the
counts.
"""

import itertools
import math
import textwrap
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from statistics import NormalDist

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core import charts, figures
from placements.models import Decision, Provision, ProvisionKind, WageValueAssessment
from projects.models import Project, ProjectGroup, ProjectMember
from projects.results import COUNTED, member_outcome
from trajectories.models import TO_WORK, Activity, ActivityStatus, Outcome, share

# The z of a two-sided 95% interval (1.959964...). The standard library's normal distribution
# is enough for the one number this module needs: scipy or statsmodels would be a heavy
# dependency (neither is installed) for a formula of a few lines.
Z_95 = NormalDist().inv_cdf(0.975)

LEGEND_WIDTH = 24  # characters of a group's name on one line of the chart's legend

RUNNING = "running"  # the outcome of a member whose trajectory has not ended (or who has none)
OTHER_ENDED = "other"

# The outcomes the comparison shows, in order, with the trajectory outcomes each one counts.
# Moved away, deceased and "other" are one line ("other ending"): none of them says anything
# of the groups' instruments, and each alone is too small to read in a group of 25.
OUTCOMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Outcome.WORK, (Outcome.WORK,)),
    (Outcome.WORK_LEARNING, (Outcome.WORK_LEARNING,)),
    (Outcome.EDUCATION, (Outcome.EDUCATION,)),
    (Outcome.SHELTERED_WORK, (Outcome.SHELTERED_WORK,)),
    (Outcome.DROPPED_OUT, (Outcome.DROPPED_OUT,)),
    (OTHER_ENDED, (Outcome.MOVED, Outcome.DECEASED, Outcome.OTHER)),
    (RUNNING, ("",)),
)

# Who a group counts and what came of them: projects.results' definition (COUNTED members, the
# outcome of their latest trajectory since the screening), so the comparison's total to work is
# the project's progress to its goal.

# An instrument counts when it was really used: an activity that runs or was completed, a
# provision that was granted (a request or a refusal is not an instrument the member had).
USED_ACTIVITY = (ActivityStatus.RUNNING, ActivityStatus.COMPLETED)


def outcome_label(code: str) -> str:
    if code == RUNNING:
        return _("Still running")
    if code == OTHER_ENDED:
        return _("Other ending")
    return str(Outcome(code).label)


@dataclass(frozen=True)
class Tally:
    """`count` of `size` members, with its share (None when the group is empty)."""

    count: int
    size: int

    @property
    def share(self) -> Fraction | None:
        return share(self.count, self.size)


@dataclass(frozen=True)
class WageValue:
    """The mean wage value of the `n` members who have one; `mean` is a rate (0.55 is 55%).

    `from_before` of the n at start had no assessment on or after the screening date: their
    last one before it counts.
    """

    n: int
    mean: Fraction | None
    from_before: int = 0


@dataclass(frozen=True)
class GroupFigures:
    """One group's figures (or the members without a group, or the whole project)."""

    name: str
    group_id: int | None
    size: int
    outcomes: dict[str, Tally]  # per code of OUTCOMES, in that order
    wage_start: WageValue
    wage_latest: WageValue
    with_instrument: Tally
    instruments: dict[str, Tally] = field(default_factory=dict)  # per InstrumentKind.key

    @property
    def to_work(self) -> Tally:
        """Paid work or work-and-learn (trajectories.models.TO_WORK)."""
        return Tally(sum(self.outcomes[code].count for code in TO_WORK), self.size)


@dataclass(frozen=True)
class InstrumentKind:
    key: str  # "activity:<code>" or "provision:<code>"
    label: str


@dataclass(frozen=True)
class Row:
    """A line of a table with the groups as columns (Comparison.columns): an outcome or a kind."""

    key: str
    label: str
    cells: tuple[Tally, ...]


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(count: int, size: int, z: float = Z_95) -> Interval:
    """The Wilson score interval of count/size (without continuity correction)."""
    p = count / size
    centre = (count + z * z / 2) / (size + z * z)
    half = z * math.sqrt(count * (size - count) / size + z * z / 4) / (size + z * z)
    # 0 of n and n of n have an exact bound at 0 or 1; keep it exact, not 1e-17 beside it.
    low = 0.0 if count == 0 else centre - half
    high = 1.0 if count == size else centre + half
    return Interval(min(low, p), max(high, p))


def newcombe(count1: int, size1: int, count2: int, size2: int, z: float = Z_95) -> Interval:
    """The confidence interval of p1 - p2 by Newcombe's hybrid score method (Newcombe 1998,
    "Interval estimation for the difference between independent proportions", method 10):
    the Wilson intervals (l1, u1) and (l2, u2) of each proportion combined as
    L = d - sqrt((p1 - l1)^2 + (u2 - p2)^2), U = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
    It holds its coverage for small groups and for 0 of n or n of n, where the textbook
    Wald interval does not."""
    p1, p2 = count1 / size1, count2 / size2
    w1, w2 = wilson(count1, size1, z), wilson(count2, size2, z)
    d = p1 - p2
    return Interval(
        d - math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
        d + math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
    )


def points(value: float) -> str:
    """A difference of shares in percentage points, as people read it: 0.12 is "12,0", with a
    real minus sign for a negative one (−13,6)."""
    return figures.decimal(value * 100, 1).replace("-", "\N{MINUS SIGN}")


@dataclass(frozen=True)
class Difference:
    """The share to work of group `first` minus that of `second`, with its 95% interval;
    no interval (None) when a group has no members."""

    first: str
    second: str
    first_work: Tally
    second_work: Tally
    difference: float | None
    interval: Interval | None

    @property
    def contains_zero(self) -> bool | None:
        if self.interval is None:
            return None
        return self.interval.low <= 0 <= self.interval.high

    @property
    def reading(self) -> str:
        """The difference in plain Dutch (or English), as a council member would read it."""
        if self.interval is None:
            empty = self.first if not self.first_work.size else self.second
            return _("No difference can be computed: the group %(group)s has no members yet.") % {
                "group": empty
            }
        values = {
            "difference": points(self.difference),
            "low": points(self.interval.low),
            "high": points(self.interval.high),
        }
        if self.contains_zero:
            text = _(
                "Difference %(difference)s percentage points (95%% confidence interval "
                "%(low)s to %(high)s): the interval contains 0, so this difference may be chance."
            )
        else:
            text = _(
                "Difference %(difference)s percentage points (95%% confidence interval "
                "%(low)s to %(high)s): the interval does not contain 0, so this difference is "
                "probably not chance."
            )
        return text % values


def difference(first: GroupFigures, second: GroupFigures) -> Difference:
    a, b = first.to_work, second.to_work
    if not (a.size and b.size):
        return Difference(first.name, second.name, a, b, None, None)
    return Difference(
        first.name,
        second.name,
        a,
        b,
        a.count / a.size - b.count / b.size,
        newcombe(a.count, a.size, b.count, b.size),
    )


@dataclass(frozen=True)
class Comparison:
    """The groups of a project side by side (`compare`)."""

    project_name: str
    groups: tuple[GroupFigures, ...]  # the project's groups, by name, empty ones included
    no_group: GroupFigures | None  # members without a group, when there are any
    total: GroupFigures  # all members of the project (COUNTED)
    instrument_kinds: tuple[InstrumentKind, ...]  # the kinds any member used, in order
    differences: tuple[Difference, ...]  # every pair of groups, in the order of `groups`

    @property
    def has_groups(self) -> bool:
        """At least one group has admitted members: there is something to compare."""
        return any(group.size for group in self.groups)

    @property
    def columns(self) -> tuple[GroupFigures, ...]:
        """The groups, the members without a group, the whole project: a table's columns."""
        return (*self.groups, *([self.no_group] if self.no_group else []), self.total)

    @property
    def outcome_rows(self) -> tuple[Row, ...]:
        return tuple(
            Row(code, outcome_label(code), tuple(c.outcomes[code] for c in self.columns))
            for code, _codes in OUTCOMES
        )

    @property
    def instrument_rows(self) -> tuple[Row, ...]:
        return tuple(
            Row(
                kind.key,
                kind.label,
                tuple(c.instruments.get(kind.key, Tally(0, c.size)) for c in self.columns),
            )
            for kind in self.instrument_kinds
        )

    @property
    def chart_title(self) -> str:
        return _("Outcomes per group of %(project)s") % {"project": self.project_name}

    @cached_property
    def chart(self) -> str:
        """The outcome shares per group as a grouped bar chart (SVG, core.charts); its figures
        are `outcome_rows`."""
        series = {
            # The legend puts the groups side by side: long names are wrapped, or it would
            # be wider than the chart and the whole picture would shrink to fit the page.
            textwrap.fill(group.name, LEGEND_WIDTH): [
                float(group.outcomes[code].share or 0) for code, _c in OUTCOMES
            ]
            for group in self.groups
            if group.size
        }
        return charts.grouped_bar_chart(
            [outcome_label(code) for code, _codes in OUTCOMES],
            series,
            title=self.chart_title,
            value_label=figures.share,
            width=6.0 if len(series) <= 2 else 7.5,
        )


def _wage_values():
    assessments = WageValueAssessment.objects.filter(client=OuterRef("client")).values(
        "wage_value_percent"
    )
    after = assessments.filter(assessed_on__gte=OuterRef("screened_on")).order_by(
        "assessed_on", "pk"
    )[:1]
    before = assessments.filter(assessed_on__lt=OuterRef("screened_on")).order_by(
        "-assessed_on", "-pk"
    )[:1]
    latest = assessments.order_by("-assessed_on", "-pk")[:1]
    return {
        "wage_after": Subquery(after),
        "wage_before": Subquery(before),
        "wage_start": Coalesce(Subquery(after), Subquery(before)),
        "wage_latest": Subquery(latest),
    }


def _activities_used(prefix: str = "") -> Q:
    """Activities (instruments) running or completed that ran on or after the screening date."""
    return Q(**{f"{prefix}status__in": USED_ACTIVITY}) & (
        Q(**{f"{prefix}end_date__isnull": True})
        | Q(**{f"{prefix}end_date__gte": F("screened_on") if prefix else OuterRef("screened_on")})
    )


def _provisions_used(prefix: str = "") -> Q:
    """Provisions granted that ran on or after the screening date."""
    return Q(**{f"{prefix}decision": Decision.GRANTED}) & (
        Q(**{f"{prefix}end_date__isnull": True})
        | Q(**{f"{prefix}end_date__gte": F("screened_on") if prefix else OuterRef("screened_on")})
    )


def _sum(name: str) -> Sum:
    # A sum of many percentages needs more digits than one (max_digits=5 would overflow).
    return Sum(name, output_field=DecimalField(max_digits=14, decimal_places=2))


def _mean(total, n: int) -> Fraction | None:
    return Fraction(figures.exact(total)) / n / 100 if n else None


def compare(project: Project) -> Comparison:
    """The project's groups side by side, of the members admitted to them (those who left
    later included: COUNTED), in four queries whatever the number of members or groups."""
    groups = list(ProjectGroup.objects.filter(project=project).order_by("name", "pk"))
    members = ProjectMember.objects.filter(project=project, status__in=COUNTED)

    used_activity = Activity.objects.filter(trajectory__client=OuterRef("client")).filter(
        _activities_used()
    )
    used_provision = Provision.objects.filter(client=OuterRef("client")).filter(_provisions_used())
    counts = {
        f"n_{code}": Count("pk", filter=Q(outcome_code__in=codes)) for code, codes in OUTCOMES
    }
    rows = (
        members.alias(
            outcome_code=member_outcome(),
            instrumented=Exists(used_activity) | Exists(used_provision),
            **_wage_values(),
        )
        .values("group_id")
        .annotate(
            size=Count("pk"),
            **counts,
            n_instrumented=Count("pk", filter=Q(instrumented=True)),
            start_n=Count("wage_start"),
            start_sum=_sum("wage_start"),
            start_before=Count("pk", filter=Q(wage_after__isnull=True, wage_before__isnull=False)),
            latest_n=Count("wage_latest"),
            latest_sum=_sum("wage_latest"),
        )
        .order_by()
    )
    by_group = {row["group_id"]: row for row in rows}

    # Members per group and kind: the filter and the values() share one join, so a member
    # counts for a kind only through an instrument that passed the filter.
    activity_counts = (
        members.filter(_activities_used("client__trajectories__activities__"))
        .values(
            "group_id",
            code=F("client__trajectories__activities__kind__code"),
            label=F("client__trajectories__activities__kind__name"),
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    provision_counts = (
        members.filter(_provisions_used("client__provisions__"))
        .values("group_id", code=F("client__provisions__kind"))
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    kinds: dict[str, str] = {}
    per_kind: dict[int | None, dict[str, int]] = {}
    for row in activity_counts:
        key = f"activity:{row['code']}"
        kinds[key] = row["label"]
        per_kind.setdefault(row["group_id"], {})[key] = row["n"]
    provision_kinds: dict[str, str] = {}
    for row in provision_counts:
        key = f"provision:{row['code']}"
        provision_kinds[key] = str(ProvisionKind(row["code"]).label)
        per_kind.setdefault(row["group_id"], {})[key] = row["n"]
    instrument_kinds = tuple(
        InstrumentKind(key, label)
        for key, label in [
            *sorted(kinds.items(), key=lambda item: item[1]),
            *sorted(provision_kinds.items(), key=lambda item: item[1]),
        ]
    )

    def figures_of(
        name: str, group_id: int | None, row: dict | None, instruments: dict[str, int]
    ) -> GroupFigures:
        row = row or {}
        size = row.get("size", 0)
        return GroupFigures(
            name=name,
            group_id=group_id,
            size=size,
            outcomes={code: Tally(row.get(f"n_{code}", 0), size) for code, _c in OUTCOMES},
            wage_start=WageValue(
                row.get("start_n", 0),
                _mean(row.get("start_sum"), row.get("start_n", 0)),
                row.get("start_before", 0),
            ),
            wage_latest=WageValue(
                row.get("latest_n", 0), _mean(row.get("latest_sum"), row.get("latest_n", 0))
            ),
            with_instrument=Tally(row.get("n_instrumented", 0), size),
            instruments={key: Tally(n, size) for key, n in instruments.items()},
        )

    # The whole project: the groups' rows added up (each member is in at most one group).
    total_row: dict = {}
    for row in by_group.values():
        for key, value in row.items():
            if key != "group_id" and value is not None:
                total_row[key] = total_row.get(key, 0) + value
    total_kinds: dict[str, int] = {}
    for counts_of_group in per_kind.values():
        for key, n in counts_of_group.items():
            total_kinds[key] = total_kinds.get(key, 0) + n
    total = figures_of(_("Whole project"), None, total_row, total_kinds)

    group_figures = tuple(
        figures_of(g.name, g.pk, by_group.get(g.pk), per_kind.get(g.pk, {})) for g in groups
    )
    no_group = None
    if None in by_group:
        no_group = figures_of(_("No group"), None, by_group[None], per_kind.get(None, {}))
    return Comparison(
        project_name=project.name,
        groups=group_figures,
        no_group=no_group,
        total=total,
        instrument_kinds=instrument_kinds,
        differences=tuple(difference(a, b) for a, b in itertools.combinations(group_figures, 2)),
    )
