"""The return of route werknemer in a year: what the route cost, against the benefits saved by
clients who left a municipal benefit for work (issue 19; the seed's annual report).

Costs
    Coach FTE on the route: on the year's mid-point (1 July), per coach with a caseload that day
    (the coach of the client's coach period running on that day, clients on the caseload as in
    kpis.md), their hours of casework over a full-time week (settings.CASELOAD_FULL_TIME_HOURS)
    times the share of their caseload with a route werknemer trajectory running that day;
    summed over the coaches. Staff cost = that FTE x the staff cost per coach FTE per year in
    force on the mid-point; costs = staff cost + the integration budget spent per year in force
    on the mid-point.

Benefits saved
    Clients of a target group with a benefit the municipality pays (social assistance, and
    status holders, who receive social assistance under the Participatiewet too; not Wajong,
    paid by UWV, nor clients without a benefit) whose route werknemer trajectory ended with the
    outcome work within the year (kpis.md two_year_outflow's "to work"; a client counts once,
    at their first such end in the year). Their benefit stops on that date (the outflow date).
    Months saved are days / 30.4375 (the average month: 365.25 / 12): (a) from the outflow date
    up to and including 31 December, (b) over twelve months from it (12 months each). A month
    is worth the average monthly benefit of the client's household type in force on the outflow
    date. The household type is read from the household as recorded now (households keeps no
    dates, so the household on the outflow date is not known): a partner makes "married or
    cohabiting"; else a child under 18 on the outflow date (or of unknown age) makes "single
    parent"; else "single".

Balance = benefits saved - costs, both ways. A parameter missing for a date gives a note saying
which one to fill in, never a figure computed without it. Amounts are computed exactly and
rounded to whole euros at the end (half away from zero). A fixed number of queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import CoachPeriod, TargetGroup, on_caseload
from core import figures
from households.models import ADULT_AGE, HouseholdMember, Relation
from reporting.models import CostParameter, CostParameterKind
from reporting.units.base import Period, running_on
from trajectories.models import Outcome, Route, Trajectory

# Target groups whose benefit the municipality pays (and so saves when a client leaves it).
BENEFIT_GROUPS = (TargetGroup.SOCIAL_ASSISTANCE, TargetGroup.STATUS_HOLDER)
MONTH_DAYS = Fraction(36525, 1200)  # 30.4375 days: the average month, 365.25 / 12
TWELVE = 12

EURO, FTE, MONTHS, COUNT = "euro", "fte", "months", "count"

TITLE = gettext_lazy("Return of route werknemer")
DEFINITION = gettext_lazy(
    "Costs: the coaches' time on route werknemer on 1 July of the year (per coach: hours of "
    "casework over a full-time week, times the share of their caseload with a route werknemer "
    "trajectory running that day, summed) times the staff cost per coach FTE, plus the "
    "integration budget spent in the year. Benefits saved: clients with social assistance "
    "(status holders included; not Wajong, which UWV pays) whose route werknemer trajectory "
    "ended with work in the year, counted from that day up to 31 December and over twelve "
    "months, in months of 30.4375 days, at the average monthly benefit of their household type "
    "in force on that day. The household type is the household as recorded now: a partner "
    "makes married or cohabiting, else a child under 18 makes single parent, else single. "
    "Balance: benefits saved minus costs. Amounts in whole euros."
)

HOUSEHOLD_KINDS = {
    "single": CostParameterKind.BENEFIT_SINGLE,
    "single_parent": CostParameterKind.BENEFIT_SINGLE_PARENT,
    "couple": CostParameterKind.BENEFIT_COUPLE,
}
HOUSEHOLD_LABELS = {
    "single": gettext_lazy("single"),
    "single_parent": gettext_lazy("single parent"),
    "couple": gettext_lazy("married or cohabiting"),
}


def euro(value: Decimal | int | None) -> str:
    """An amount as a Dutch reader expects it: € 12.345 (whole euros), € -1.200; a dash for none."""
    return figures.NO_FIGURE if value is None else "€ " + figures.decimal(value, 0)


def shown(value, kind: str) -> str:
    if kind == EURO:
        return euro(value)
    if kind == FTE:
        return figures.decimal(value, 2)
    if kind == MONTHS:
        return figures.decimal(value, 1)
    return figures.count(value)


@dataclass(frozen=True)
class UsedParameter:
    """A parameter row the return was computed with, as printed beside it."""

    label: str
    amount: Decimal
    valid_from: datetime.date
    source: str

    @property
    def amount_shown(self) -> str:
        return "€ " + figures.decimal(self.amount, 2)


@dataclass(frozen=True)
class Line:
    label: str
    value: Decimal | int | None
    kind: str

    @property
    def shown(self) -> str:
        return shown(self.value, self.kind)


@dataclass
class RouteReturn:
    year: int
    reference_date: datetime.date  # the mid-point the staff figures are read on
    coaches: int
    fte: Decimal  # rounded to 2 decimals for printing; the costs use the exact value
    leavers: dict[str, int]  # per household type
    months_to_year_end: Decimal
    months_twelve: int
    staff_cost: Decimal | None
    integration_budget: Decimal | None
    costs: Decimal | None
    savings_to_year_end: Decimal | None
    savings_twelve: Decimal | None
    parameters: list[UsedParameter] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    title: str = ""
    definition: str = ""

    @property
    def balance_to_year_end(self) -> Decimal | None:
        if self.savings_to_year_end is None or self.costs is None:
            return None
        return self.savings_to_year_end - self.costs

    @property
    def balance_twelve(self) -> Decimal | None:
        if self.savings_twelve is None or self.costs is None:
            return None
        return self.savings_twelve - self.costs

    @property
    def balance_to_year_end_shown(self) -> str:
        return euro(self.balance_to_year_end)

    @property
    def balance_twelve_shown(self) -> str:
        return euro(self.balance_twelve)

    @property
    def leavers_total(self) -> int:
        return sum(self.leavers.values())

    @property
    def lines(self) -> list[Line]:
        """The figures in the order the report shows them."""
        return [
            Line(
                _("Coaches with a caseload on %(date)s") % {"date": _date(self.reference_date)},
                self.coaches,
                COUNT,
            ),
            Line(_("Coach FTE on route werknemer"), self.fte, FTE),
            Line(_("Staff cost"), self.staff_cost, EURO),
            Line(_("Integration budget spent"), self.integration_budget, EURO),
            Line(_("Costs"), self.costs, EURO),
            Line(_("Clients who left a benefit for work"), self.leavers_total, COUNT),
            *[
                Line(
                    _("of whom %(household)s") % {"household": HOUSEHOLD_LABELS[key]},
                    self.leavers[key],
                    COUNT,
                )
                for key in HOUSEHOLD_KINDS
            ],
            Line(_("Benefit months saved up to 31 December"), self.months_to_year_end, MONTHS),
            Line(_("Benefit months saved over twelve months"), self.months_twelve, MONTHS),
            Line(_("Benefits saved up to 31 December"), self.savings_to_year_end, EURO),
            Line(_("Benefits saved over twelve months"), self.savings_twelve, EURO),
            Line(_("Balance up to 31 December"), self.balance_to_year_end, EURO),
            Line(_("Balance over twelve months"), self.balance_twelve, EURO),
        ]


def _date(day: datetime.date) -> str:
    return f"{day:%d-%m-%Y}"


def _whole_euros(value: Fraction) -> Decimal:
    return figures.rounded(value, 0)


def coach_fte(on: datetime.date) -> tuple[int, Fraction]:
    """(coaches with a caseload on `on`, their FTE on route werknemer that day): one query."""
    route = Trajectory.objects.filter(
        running_on(on), route__code=Route.EMPLOYEE, client=OuterRef("client")
    )
    rows = (
        CoachPeriod.objects.filter(
            on_caseload(on, "client__"),
            Q(ended_on__isnull=True) | Q(ended_on__gt=on),
            started_on__lte=on,
            coach__isnull=False,
        )
        .values("coach")
        .annotate(
            hours=Max("coach__casework_hours"),
            caseload=Count("client", distinct=True),
            on_route=Count("client", distinct=True, filter=Q(Exists(route))),
        )
        .order_by()
    )
    full_time = settings.CASELOAD_FULL_TIME_HOURS
    total, coaches = Fraction(0), 0
    for row in rows:
        coaches += 1
        total += Fraction(row["hours"], full_time) * Fraction(row["on_route"], row["caseload"])
    return coaches, total


def _leaving(period: Period):
    """Route werknemer trajectories of a benefit group that ended with work in the period."""
    return Trajectory.objects.filter(
        route__code=Route.EMPLOYEE,
        outcome=Outcome.WORK,
        end_date__range=period.as_range(),
        client__target_group__in=BENEFIT_GROUPS,
    )


def leavers(period: Period) -> dict[int, datetime.date]:
    """client id -> outflow date: clients of a benefit group whose route werknemer trajectory
    ended with work in the period (the first such end)."""
    rows = _leaving(period).values("client").annotate(outflow=Min("end_date")).order_by()
    return {row["client"]: row["outflow"] for row in rows}


def household_types(outflows: dict[int, datetime.date], period: Period) -> dict[int, str]:
    """client id -> "single", "single_parent" or "couple" (see the module's definition)."""
    benefit_clients = _leaving(period).values("client")
    with_partner = set()
    for client, member in HouseholdMember.objects.filter(
        Q(client__in=benefit_clients) | Q(member__in=benefit_clients), relation=Relation.PARTNER
    ).values_list("client", "member"):
        with_partner.update((client, member))
    with_child = set()
    for client, birth_date, member_birth_date in HouseholdMember.objects.filter(
        client__in=benefit_clients, relation=Relation.CHILD
    ).values_list("client", "birth_date", "member__birth_date"):
        born = member_birth_date or birth_date
        outflow = outflows.get(client)
        if outflow and (born is None or born + relativedelta(years=ADULT_AGE) > outflow):
            with_child.add(client)
    return {
        client: "couple"
        if client in with_partner
        else "single_parent"
        if client in with_child
        else "single"
        for client in outflows
    }


class _Parameters:
    """Every cost parameter up to the year's end, read once; the row in force on a date."""

    def __init__(self, until: datetime.date):
        self.rows = defaultdict(list)
        for row in CostParameter.objects.filter(valid_from__lte=until).order_by("valid_from", "pk"):
            self.rows[row.kind].append(row)
        self.used: dict[int, UsedParameter] = {}

    def on(self, kind: str, date: datetime.date) -> CostParameter | None:
        found = None
        for row in self.rows[kind]:  # oldest first: the last on or before the date wins
            if row.valid_from <= date:
                found = row
        if found is not None and found.pk not in self.used:
            self.used[found.pk] = UsedParameter(
                str(found.get_kind_display()), found.amount, found.valid_from, found.source
            )
        return found


def missing_note(kind: str, date: datetime.date) -> str:
    return _(
        "No value for “%(parameter)s” valid on %(date)s; a functional administrator fills it in "
        "under Administration > Cost parameters."
    ) % {"parameter": CostParameterKind(kind).label, "date": _date(date)}


def compute(year: int) -> RouteReturn:
    """The return of route werknemer in `year` (see the module's definition)."""
    period = Period.year(year)
    midpoint = datetime.date(year, 7, 1)
    parameters = _Parameters(period.end)
    missing: list[str] = []

    coaches, fte = coach_fte(midpoint)
    staff_row = parameters.on(CostParameterKind.STAFF_COST_PER_FTE, midpoint)
    budget_row = parameters.on(CostParameterKind.INTEGRATION_BUDGET, midpoint)
    staff_cost = budget = costs = None
    if staff_row is None:
        missing.append(missing_note(CostParameterKind.STAFF_COST_PER_FTE, midpoint))
    else:
        staff_cost = _whole_euros(fte * Fraction(staff_row.amount))
    if budget_row is None:
        missing.append(missing_note(CostParameterKind.INTEGRATION_BUDGET, midpoint))
    else:
        budget = _whole_euros(Fraction(budget_row.amount))
    if staff_row is not None and budget_row is not None:
        costs = _whole_euros(fte * Fraction(staff_row.amount) + Fraction(budget_row.amount))

    outflows = leavers(period)
    types = household_types(outflows, period)
    counts = {key: 0 for key in HOUSEHOLD_KINDS}
    days = 0
    to_year_end, twelve = Fraction(0), Fraction(0)
    complete = True
    for client, outflow in sorted(outflows.items(), key=lambda item: item[1]):
        household = types[client]
        counts[household] += 1
        client_days = (period.end - outflow).days + 1
        days += client_days
        row = parameters.on(HOUSEHOLD_KINDS[household], outflow)
        if row is None:
            note = missing_note(HOUSEHOLD_KINDS[household], outflow)
            if note not in missing:
                missing.append(note)
            complete = False
            continue
        to_year_end += Fraction(row.amount) * client_days / MONTH_DAYS
        twelve += Fraction(row.amount) * TWELVE
    return RouteReturn(
        year=year,
        reference_date=midpoint,
        coaches=coaches,
        fte=figures.rounded(fte, 2),
        leavers=counts,
        months_to_year_end=figures.rounded(Fraction(days) / MONTH_DAYS, 1),
        months_twelve=TWELVE * len(outflows),
        staff_cost=staff_cost,
        integration_budget=budget,
        costs=costs,
        savings_to_year_end=_whole_euros(to_year_end) if complete else None,
        savings_twelve=_whole_euros(twelve) if complete else None,
        parameters=sorted(parameters.used.values(), key=lambda p: (p.label, p.valid_from)),
        missing=missing,
        title=str(TITLE),
        definition=str(DEFINITION),
    )
