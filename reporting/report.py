"""What a manager is shown: the KPIs of a period next to the previous one, their targets and
definitions, breakdowns, the time-to-work curve and the projects.

The dashboard, the PDF and the xlsx all render one `Report`, built by iterating the KPI units
(reporting.units.UNITS), so a figure cannot differ between them and a new KPI needs no edit
here. Charts are drawn here once (core.charts, SVG).
"""

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core import charts
from projects import comparison, event_results
from projects import results as project_figures
from projects.models import Project
from reporting import route_return as returns
from reporting import units
from reporting.kpis import Period
from reporting.units.base import Kpi
from reporting.units.rows import COUNT, RATE, Breakdown, Curve, Row, show


@dataclass
class Section:
    """One KPI unit as the report shows it."""

    key: str
    title: str
    definition: str
    rows: list[Row]
    chart: SafeString | None = None
    provisional: bool = False
    curve: Curve | None = None

    @property
    def headline(self) -> Row | None:
        """The row a reader sees first: the KPI's total (contact coverage of all clients, not
        of the last target group listed); None for a section of counts side by side."""
        return next((row for row in self.rows if row.headline), None)


@dataclass
class ProjectFigures:
    """A project as the annual report shows it: its funnel now and per month of the period,
    progress to its goal, and its groups compared (projects.results, projects.comparison)."""

    name: str
    kind: str
    funder: str
    goal_text: str
    funnel: list[project_figures.StageCount]
    chart: SafeString | None
    goal: project_figures.GoalProgress
    monthly: project_figures.MonthlyFunnel
    monthly_chart: SafeString | None
    comparison: comparison.Comparison
    comparison_chart: SafeString | None


@dataclass
class EventsFigures:
    """The events held in the period with their participants' results (projects.event_results)."""

    rows: list[event_results.EventFigures]
    totals: event_results.EventFigures | None
    definitions: list[str]


@dataclass
class Report:
    period: Period
    previous: Period
    sections: list[Section]
    breakdowns: list[Breakdown]
    projects: list[ProjectFigures] = field(default_factory=list)
    events: EventsFigures | None = None
    # The return of route werknemer: of a calendar year only (its costs and budget are yearly).
    route_return: returns.RouteReturn | None = None
    route_return_chart: SafeString | None = None

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


def _section(unit: Kpi, period: Period, previous: Period, today: datetime.date) -> Section:
    """A unit's figures of the period beside the previous one, with its chart and curve."""
    now, then = unit.compute(period), unit.compute(previous)
    section = Section(
        unit.key,
        str(unit.title),
        str(unit.definition),
        unit.rows(now, then, period),
        provisional=unit.provisional(period, today),
        curve=unit.curve(period, now),
    )
    section.chart = _chart(section, period_label(period), period_label(previous))
    return section


def _funnel_chart(project: Project, funnel) -> SafeString | None:
    if not funnel:
        return None
    title = _("Funnel of %(project)s") % {"project": project.name}
    labels, values = [stage.name for stage in funnel], [stage.clients for stage in funnel]
    return charts.bar_chart(labels, values, title=title)


def _monthly_chart(project: Project, monthly) -> SafeString | None:
    if not monthly.rows or not monthly.stages:
        return None
    return project_figures.monthly_chart(project, monthly)


def _comparison_chart(compared: comparison.Comparison) -> SafeString | None:
    if not compared.has_groups:
        return None
    return compared.chart


def _projects(period: Period, today: datetime.date) -> list[ProjectFigures]:
    """Projects running at some time in the period: funnel now and per month of the period,
    progress to the goal, groups compared with the differences and their intervals."""
    running = Project.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__lte=period.end),
        Q(end_date__isnull=True) | Q(end_date__gte=period.start),
    ).order_by("name")
    result = []
    for project in running:
        funnel = project_figures.funnel(project)
        months = [
            month
            for month in project_figures.project_months(project, min(period.end, today))
            if month >= period.start.replace(day=1)
        ]
        monthly = project_figures.monthly_funnel(project, months)
        compared = comparison.compare(project)
        result.append(
            ProjectFigures(
                name=project.name,
                kind=project.get_kind_display(),
                funder=project.get_funder_display(),
                goal_text=project.goal,
                funnel=funnel,
                chart=_funnel_chart(project, funnel),
                goal=project_figures.goal_progress(project),
                monthly=monthly,
                monthly_chart=_monthly_chart(project, monthly),
                comparison=compared,
                comparison_chart=_comparison_chart(compared),
            )
        )
    return result


def _events(period: Period) -> EventsFigures:
    rows = event_results.events_in_period(period.start, period.end)
    return EventsFigures(
        rows=rows,
        totals=event_results.totals(rows),
        definitions=[str(text) for text in event_results.DEFINITIONS],
    )


def _route_return_chart(result: returns.RouteReturn) -> SafeString | None:
    """Costs against the benefits saved, both ways; none while a figure is missing."""
    values = [result.costs, result.savings_to_year_end, result.savings_twelve]
    if any(value is None for value in values):
        return None
    return charts.bar_chart(
        [_("Costs"), _("Benefits saved up to 31 December"), _("Benefits saved over twelve months")],
        [float(value) for value in values],
        title=str(result.title),
        value_label=returns.euro,
    )


def build(
    period: Period, *, today: datetime.date | None = None, with_projects: bool = True
) -> Report:
    """The whole report of a period, compared with the same period a year earlier; the return
    of route werknemer when the period is a calendar year."""
    today = today or timezone.localdate()
    previous = previous_period(period)
    built = Report(
        period=period,
        previous=previous,
        sections=[_section(unit, period, previous, today) for unit in units.UNITS],
        breakdowns=[breakdown for unit in units.UNITS for breakdown in unit.breakdowns(period)],
        projects=_projects(period, today) if with_projects else [],
        events=_events(period) if with_projects else None,
    )
    if period == Period.year(period.start.year):
        built.route_return = returns.compute(period.start.year)
        built.route_return_chart = _route_return_chart(built.route_return)
    return built
