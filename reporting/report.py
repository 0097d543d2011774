"""What a manager is shown: the KPIs of a period next to the previous one, their targets and
definitions, breakdowns, the time-to-work curve and the projects.

The dashboard, the PDF and the xlsx all render one `Report`, built from reporting.kpis, so a
figure cannot differ between them. Charts are drawn here once (core.charts, SVG).
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from clients.models import DeregistrationReason, TargetGroup
from core import charts, figures
from placements.models import ProvisionKind
from reporting import kpis
from reporting.kpis import Period
from reporting.models import TargetKpi
from trajectories import projects as project_figures
from trajectories.models import Project

COUNT, RATE, DECIMAL1, DECIMAL2 = "count", "rate", "decimal1", "decimal2"


def show(value: Any, kind: str) -> str:
    """A figure as a Dutch reader expects it: 71,4%, 1.234, 64,2; a dash for "no figure"
    (core.figures, the one helper every page, PDF and chart label uses)."""
    if kind == RATE:
        return figures.share(value)
    if kind == DECIMAL1:
        return figures.decimal(value, 1)
    if kind == DECIMAL2:
        return figures.decimal(value, 2)
    return figures.count(value)


@dataclass
class Row:
    label: str
    value: Any
    previous: Any
    kind: str = COUNT
    target: float | None = None
    headline: bool = False  # the KPI's total: the figure its section leads with

    @property
    def shown(self) -> str:
        return show(self.value, self.kind)

    @property
    def previous_shown(self) -> str:
        return show(self.previous, self.kind)

    @property
    def target_shown(self) -> str:
        return show(self.target, RATE) if self.target is not None else ""

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target


@dataclass
class Section:
    key: str
    title: str
    definition: str
    rows: list[Row]
    chart: SafeString | None = None
    provisional: bool = False

    @property
    def headline(self) -> Row | None:
        """The row a reader sees first: the KPI's total (contact coverage of all clients, not
        of the last target group listed); None for a section of counts side by side."""
        return next((row for row in self.rows if row.headline), None)


@dataclass
class Breakdown:
    title: str
    definition: str
    dimension: str
    columns: list[tuple[str, str]]  # (heading, kind of figure)
    rows: list[tuple[str, list[Any]]]  # (label, one figure per column)

    @property
    def headings(self) -> list[str]:
        return [heading for heading, _kind in self.columns]

    @property
    def shown_rows(self) -> list[tuple[str, list[str]]]:
        kinds = [kind for _heading, kind in self.columns]
        return [
            (label, [show(value, kind) for value, kind in zip(values, kinds, strict=True)])
            for label, values in self.rows
        ]


@dataclass
class ProjectFigures:
    name: str
    funnel: list[project_figures.StageCount]
    groups: list[project_figures.GroupFigures]
    totals: project_figures.GroupFigures
    target: int | None
    chart: SafeString | None


@dataclass
class Report:
    period: Period
    previous: Period
    sections: list[Section]
    breakdowns: list[Breakdown]
    curve: list[tuple[int, float | None]]
    curve_chart: SafeString
    projects: list[ProjectFigures] = field(default_factory=list)

    @property
    def curve_milestones(self) -> list[tuple[int, str]]:
        """The curve every six months, shown: the table next to the chart."""
        return [(month, show(share, RATE)) for month, share in self.curve if month % 6 == 0]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def previous_period(period: Period) -> Period:
    """The same stretch of time one year earlier (a year, a quarter or any period)."""
    return Period(period.start - relativedelta(years=1), period.end - relativedelta(years=1))


def period_label(period: Period) -> str:
    if period == Period.year(period.start.year):
        return str(period.start.year)
    return f"{period.start:%d-%m-%Y} – {period.end:%d-%m-%Y}"


def _chart(section: Section, now_label: str, then_label: str) -> SafeString | None:
    """This period's bars beside last year's: the section's rates (with their targets) where
    it has any, else its counts (a mean is neither); None when there is no figure to draw."""
    if any(row.kind == RATE for row in section.rows):
        kind, x_max = RATE, 1.15  # room for the label of a 100,0% bar
    else:
        kind, x_max = COUNT, None
    rows = [row for row in section.rows if row.kind == kind]
    if all(row.value is None and row.previous is None for row in rows):
        return None  # bars of nothing, labelled with dashes, only puzzle a reader
    return charts.grouped_bar_chart(
        [row.label for row in rows],
        {
            then_label: [row.previous for row in rows],
            now_label: [row.value for row in rows],
        },
        title=section.title,
        value_label=lambda value: show(value, kind),
        targets=[row.target for row in rows] if kind == RATE else None,
        target_label=_("Target"),
        x_max=x_max,
    )


def _sections(now: dict, then: dict, period: Period, today: datetime.date) -> list[Section]:
    year = period.end.year
    outflow, outflow_then = now["two_year_outflow"], then["two_year_outflow"]
    coverage, coverage_then = now["contact_coverage"], then["contact_coverage"]
    holders, holders_then = now["status_holders"], then["status_holders"]
    sroi, sroi_then = now["social_return"], then["social_return"]
    sheltered, sheltered_then = now["sheltered_work"], then["sheltered_work"]
    wage, wage_then = now["wage_value"], then["wage_value"]
    provided, provided_then = now["provisions"], then["provisions"]
    flows, flows_then = now["flows"], then["flows"]

    def pair(label, key, source, source_then, kind=COUNT, target=None, headline=False):
        return Row(label, source[key], source_then[key], kind, target, headline)

    sections = [
        Section(
            "two_year_outflow",
            _("Outflow to work within two years (route werknemer)"),
            _(
                "Of the clients on route werknemer whose two years ended in this period, the "
                "share that found paid work within those two years. Clients who moved away or "
                "died within the two years are not counted."
            ),
            [
                pair(_("Clients whose two years ended"), "cohort", outflow, outflow_then),
                pair(_("Moved away or deceased (not counted)"), "excluded", outflow, outflow_then),
                pair(_("Counted"), "denominator", outflow, outflow_then),
                pair(_("Found work within two years"), "to_work", outflow, outflow_then),
                pair(
                    _("Share to work"),
                    "rate",
                    outflow,
                    outflow_then,
                    RATE,
                    outflow["target"],
                    headline=True,
                ),
            ],
            # Trajectories whose deadline is still ahead can yet reach work: not final.
            provisional=period.end >= today,
        ),
        Section(
            "contact_coverage",
            _("Contact coverage"),
            _(
                "Of the clients on the caseload on the last day of the period, the share with "
                "at least one conversation (in person, by phone, by video or at home; not "
                "e-mail or letters) in the period, and the number of conversations per client "
                "spoken to."
            ),
            [
                Row(
                    _("Clients on the caseload"),
                    coverage["all"]["population"],
                    coverage_then["all"]["population"],
                ),
                Row(
                    _("Spoken to at least once"),
                    coverage["all"]["contacted"],
                    coverage_then["all"]["contacted"],
                ),
                Row(
                    _("Contact coverage"),
                    coverage["all"]["rate"],
                    coverage_then["all"]["rate"],
                    RATE,
                    kpis.target_for(TargetKpi.CONTACT_COVERAGE, year),
                    headline=True,  # all clients: the total, not a target group's row
                ),
                Row(
                    _("Conversations per client spoken to"),
                    coverage["all"]["conversations_per_contacted"],
                    coverage_then["all"]["conversations_per_contacted"],
                    DECIMAL2,
                ),
            ]
            + [
                Row(
                    _("Contact coverage: %(group)s") % {"group": TargetGroup(group).label},
                    coverage[group]["rate"],
                    coverage_then[group]["rate"],
                    RATE,
                )
                for group in TargetGroup.values
            ],
        ),
        Section(
            "status_holders",
            _("Status holders"),
            _(
                "Refugees with a residence permit: how many came in during the period, how "
                "many were under guidance on its last day, and how many left for education or "
                "work."
            ),
            [
                pair(_("Inflow"), "inflow", holders, holders_then),
                pair(_("Under guidance at the end"), "active_at_end", holders, holders_then),
                pair(
                    _("Left for education or work"),
                    "outflow_education_or_work",
                    holders,
                    holders_then,
                ),
            ]
            + [
                Row(
                    _("Under guidance at the end: %(municipality)s") % {"municipality": name},
                    count,
                    holders_then["active_at_end_by_municipality"].get(name, 0),
                )
                for name, count in holders["active_at_end_by_municipality"].items()
            ],
        ),
        Section(
            "social_return",
            _("Social Return placements"),
            _(
                "Placements that count towards an employer's Social Return obligation: those "
                "that started in the period, and those from earlier that were still running, "
                "split by where the client lives."
            ),
            [
                pair(_("Started in the period"), "started", sroi, sroi_then),
                pair(_("Continued from earlier"), "continued", sroi, sroi_then),
                pair(_("Active"), "active", sroi, sroi_then),
                pair(
                    _("Active, client from the service area"),
                    "active_service_area",
                    sroi,
                    sroi_then,
                ),
                pair(_("Active, client from elsewhere"), "active_elsewhere", sroi, sroi_then),
            ],  # fmt: skip
        ),
        Section(
            "sheltered_work",
            _("Sheltered work"),
            _(
                "Everyone ever placed in sheltered work up to the end of the period, and the "
                "share still employed there on its last day."
            ),
            [
                pair(_("Placed"), "placed", sheltered, sheltered_then),
                pair(_("Still employed"), "still_employed", sheltered, sheltered_then),
                pair(
                    _("Still employed (share)"),
                    "retention",
                    sheltered,
                    sheltered_then,
                    RATE,
                    kpis.target_for(TargetKpi.SHELTERED_WORK_RETENTION, year),
                    headline=True,
                ),
            ],
        ),
        Section(
            "wage_value",
            _("Wage-value assessments"),
            _(
                "Assessments of a client's wage value made in the period, their mean, and how "
                "many fell in each band."
            ),
            [
                pair(_("Assessments"), "assessments", wage, wage_then),
                pair(_("Mean wage value (%)"), "mean_percent", wage, wage_then, DECIMAL1),
            ]
            + [
                Row(label, wage["bands"][band], wage_then["bands"][band])
                for band, label in (
                    ("lt40", _("Below 40%")),
                    ("40_60", _("40% to 60%")),
                    ("60_80", _("60% to 80%")),
                    ("gte80", _("80% or more")),
                )
            ],
        ),
        Section(
            "provisions",
            _("Provisions granted"),
            _("Provisions granted in the period (by the date of the decision), per kind."),
            [
                Row(ProvisionKind(kind).label, provided[kind], provided_then[kind])
                for kind in ProvisionKind.values
            ],
        ),
        Section(
            "flows",
            _("Inflow and outflow"),
            _(
                "Clients who entered the caseload in the period, and those who left it, per "
                "reason for leaving."
            ),
            [
                pair(_("Inflow"), "inflow", flows, flows_then),
                pair(_("Outflow"), "outflow", flows, flows_then),
            ]
            + [
                Row(
                    _("Outflow: %(reason)s") % {"reason": DeregistrationReason(reason).label},
                    flows["outflow_by_reason"][reason],
                    flows_then["outflow_by_reason"][reason],
                )
                for reason in DeregistrationReason.values
            ],
        ),
    ]
    return sections


def _draw(sections: list[Section], now_label: str, then_label: str) -> None:
    for section in sections:
        section.chart = _chart(section, now_label, then_label)


def _label(key: Any, dimension: str) -> str:
    if key in (None, ""):
        return _("Unknown")
    if dimension == "target_group":
        return str(TargetGroup(key).label)
    return str(key)


def _breakdowns(period: Period) -> list[Breakdown]:
    dimensions = {
        "branch_team": (_("Branch team"), "branch_team__name"),
        "target_group": (_("Target group"), "client__target_group"),
        "municipality": (_("Municipality"), "client__municipality__name"),
    }
    outflow_columns = [
        (_("Two years ended"), COUNT),
        (_("Counted"), COUNT),
        (_("To work"), COUNT),
        (_("Share to work"), RATE),
    ]
    breakdowns = []
    for dimension, (label, path) in dimensions.items():
        rows = [
            (
                _label(key, dimension),
                [counts[key] for key in ("cohort", "denominator", "to_work", "rate")],
            )
            for key, counts in kpis.two_year_outflow_counts(period, by=path).items()
        ]
        breakdowns.append(
            Breakdown(
                _("Outflow to work within two years, per %(dimension)s")
                % {"dimension": label.lower()},
                _("As the total: route werknemer, two years ended in the period."),
                label,
                outflow_columns,
                rows,
            )
        )
    routes = kpis.trajectories_by_route(period)
    breakdowns.append(
        Breakdown(
            _("Trajectories per route"),
            _(
                "Trajectories started and ended in the period, of which ended with paid work, "
                "and those still running on its last day."
            ),
            _("Route"),
            [
                (_("Started"), COUNT),
                (_("Ended"), COUNT),
                (_("Ended with work"), COUNT),
                (_("Running at the end"), COUNT),
            ],
            [
                (
                    _label(key, "route"),
                    [
                        counts[column]
                        for column in ("started", "ended", "ended_work", "running_at_end")
                    ],
                )
                for key, counts in routes.items()
            ],
        )
    )
    coverage_columns = [
        (_("On the caseload"), COUNT),
        (_("Spoken to"), COUNT),
        (_("Contact coverage"), RATE),
        (_("Conversations per client spoken to"), DECIMAL2),
    ]
    for dimension, label, path in (
        ("target_group", _("Target group"), "target_group"),
        ("municipality", _("Municipality"), "municipality__name"),
    ):
        breakdowns.append(
            Breakdown(
                _("Contact coverage, per %(dimension)s") % {"dimension": label.lower()},
                _("As the total: clients on the caseload on the period's last day."),
                label,
                coverage_columns,
                [
                    (
                        _label(key, dimension),
                        [
                            figures[key]
                            for key in (
                                "population",
                                "contacted",
                                "rate",
                                "conversations_per_contacted",
                            )
                        ],
                    )
                    for key, figures in sorted(
                        kpis.contact_coverage_by(period, path).items(),
                        key=lambda item: _label(item[0], dimension),
                    )
                ],
            )
        )
        breakdowns.append(
            Breakdown(
                _("Inflow and outflow, per %(dimension)s") % {"dimension": label.lower()},
                _("Clients who entered or left the caseload in the period."),
                label,
                [(_("Inflow"), COUNT), (_("Outflow"), COUNT), (_("Outflow to work"), COUNT)],
                [
                    (
                        _label(key, dimension),
                        [counts[column] for column in ("inflow", "outflow", "outflow_work")],
                    )
                    for key, counts in sorted(
                        kpis.flows_by(period, path).items(),
                        key=lambda item: _label(item[0], dimension),
                    )
                ],
            )
        )
    return breakdowns


def _projects(period: Period) -> list[ProjectFigures]:
    """Projects running at some time in the period: funnel, groups compared, totals."""
    running = Project.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=period.end),
        Q(end_date__isnull=True) | Q(end_date__gte=period.start),
    ).order_by("name")
    result = []
    for project in running:
        funnel = project_figures.funnel(project)
        result.append(
            ProjectFigures(
                name=project.name,
                funnel=funnel,
                groups=project_figures.group_comparison(project),
                totals=project_figures.project_totals(project),
                target=project.target,
                chart=charts.bar_chart(
                    [stage.name for stage in funnel],
                    [stage.clients for stage in funnel],
                    title=_("Funnel of %(project)s") % {"project": project.name},
                )
                if funnel
                else None,
            )
        )
    return result


def build(
    period: Period, *, today: datetime.date | None = None, with_projects: bool = True
) -> Report:
    """The whole report of a period, compared with the same period a year earlier."""
    today = today or timezone.localdate()
    previous = previous_period(period)
    now = kpis.compute(period)
    sections = _sections(now, kpis.compute(previous), period, today)
    _draw(sections, period_label(period), period_label(previous))
    curve = kpis.time_to_work(period, now["two_year_outflow"]["denominator"])
    return Report(
        period=period,
        previous=previous,
        sections=sections,
        breakdowns=_breakdowns(period),
        curve=curve,
        curve_chart=charts.curve_chart(
            [(month, share) for month, share in curve if share is not None],
            title=_("Share of the cohort at work, by months after the start"),
            x_label=_("months after the start of the trajectory"),
            target=sections[0].headline.target,
        ),
        projects=_projects(period) if with_projects else [],
    )
