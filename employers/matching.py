"""Matching both ways, computed in the database and explainable criterion by criterion.

For a vacancy the candidates are ranked; for a candidate the open vacancies. Each criterion
gives a fraction from 0 to 1, computed by the database as an annotation (`c_<criterion>`);
the score is the weighted mean of the fractions, 0 to 100, and the explanation shows each
criterion's points. The criteria are exactly: sector, hours, skills, distance, availability and
register status (issue 6). Nothing else of a person enters the score: not their name, age,
gender, origin, target group, postcode or neighbourhood (only the distance between the
centres of two areas, see employers.locations), language level or driving licence (those two
are filters an account manager may switch on for a job that requires them).

The default weights and distance bands are settings (MATCHING_WEIGHTS, MATCHING_DISTANCE_BANDS);
the account manager re-weighs per ranking.

A vacancy set aside for the target-group register (Vacancy.register_rule, issue 19) does not
change anyone's score: "only" leaves everyone outside the register out of the ranking, "first"
ranks the register's candidates (best first) before the others (best first), and the
explanation of the register criterion says so. Who is at work already (UNAVAILABLE, filled in
by placements) is left out of a vacancy's ranking unless the account manager asks to include
them (Filters.include_placed); they are then marked, never scored differently.
"""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.registry import OrderedRegistry
from employers.models import CandidateProfile, Match, RegisterRule, Vacancy

# Who is not available for another job on a day: functions (day) -> a Q on CandidateProfile
# rows that holds for those candidates. Placements registers the running placements
# (placements.hooks); employers never imports placements.
UNAVAILABLE = OrderedRegistry()

CRITERIA = {
    "sector": _("Sector"),
    "hours": _("Hours"),
    "skills": _("Skills"),
    "distance": _("Distance"),
    "availability": _("Availability"),
    "register": _("Register status"),
}
# A candidate available within this many days after the start counts half.
AVAILABILITY_GRACE_DAYS = 30
KM_PER_DEGREE_LATITUDE = 111.2

ONE = Value(1.0, output_field=FloatField())
ZERO = Value(0.0, output_field=FloatField())
HALF = Value(0.5, output_field=FloatField())


def default_weights() -> dict[str, int]:
    return {code: int(settings.MATCHING_WEIGHTS[code]) for code in CRITERIA}


def distance_bands() -> list[tuple[float, float]]:
    """(up to km, fraction) from near to far; beyond the last band the fraction is 0.

    A fraction is a share of the distance points, so 0 to 1, and a distance is not negative:
    CandidateRanking's pool relies on both, so a setting outside them is refused.
    """
    bands = [(float(km), float(f)) for km, f in settings.MATCHING_DISTANCE_BANDS]
    for km, fraction in bands:
        if not (km >= 0 and 0 <= fraction <= 1):
            raise ImproperlyConfigured(
                f"MATCHING_DISTANCE_BANDS: ({km}, {fraction}) needs km >= 0 and 0 <= share <= 1."
            )
    return bands


@dataclass(frozen=True)
class Filters:
    """What an account manager narrows a ranking to."""

    max_distance_km: int | None = None
    sector_required: bool = False
    all_skills: bool = False
    driving_licence: bool = False
    available_by: datetime.date | None = None
    # Also rank candidates who are placed (UNAVAILABLE); by default they are left out.
    include_placed: bool = False


def unavailable(on: datetime.date) -> Q | None:
    """The condition on CandidateProfile rows of those not available on `on`, or None when
    nothing is registered."""
    condition = None
    for provider in UNAVAILABLE:
        condition = provider(on) if condition is None else condition | provider(on)
    return condition


def _in_register_first(vacancy: Vacancy) -> bool:
    return vacancy.register_rule == RegisterRule.FIRST


def _order(vacancy: Vacancy) -> list:
    """A ranking's order: best first, ties by pk; register candidates first where the
    vacancy is set aside for them that way."""
    order = ["-score", "pk"]
    if _in_register_first(vacancy):
        order.insert(0, F("client__target_group_register").desc())
    return order


def _float(expr):
    return Cast(expr, FloatField())


class SquaredDistance(Func):
    """Squared distance in km² between a row's point and a fixed point (flat earth: fine
    within a region; comparing squares spares a square root in the database).

    One expression node over the two columns rather than a dozen of arithmetic: a ranking's
    expression is built and compiled for every page, and that Python time counts too.
    """

    output_field = FloatField()

    def __init__(self, lat_field: str, lon_field: str, lat: float, lon: float):
        super().__init__(F(lat_field), F(lon_field))
        self.point = (lat, lon)

    def as_sql(self, compiler, connection, **extra_context):
        lat, lon = self.point
        lat_sql, lat_params = compiler.compile(self.source_expressions[0])
        lon_sql, lon_params = compiler.compile(self.source_expressions[1])
        if lat_params or lon_params:
            raise ValueError("SquaredDistance takes two plain columns.")
        km_per_degree_longitude = KM_PER_DEGREE_LATITUDE * math.cos(math.radians(lat))
        # Numbers of our own making, written into the SQL: a ranking's query repeats this
        # expression, and hundreds of placeholders cost the driver more than the query.
        dy = f"(({lat_sql} - {_literal(lat)}) * {_literal(KM_PER_DEGREE_LATITUDE)})"
        dx = f"(({lon_sql} - {_literal(lon)}) * {_literal(km_per_degree_longitude)})"
        return f"({dy} * {dy} + {dx} * {dx})", ()


def _literal(number: float) -> str:
    """A float as an SQL literal (both PostgreSQL and SQLite read repr's notation)."""
    number = float(number)
    if not math.isfinite(number):
        raise ValueError(f"Not a finite number: {number}")
    return repr(number)


class Banded(Func):
    """The fraction of the first band (up to km, fraction) a squared distance falls in; 0
    beyond the last band, or where the row has no place (a NULL distance)."""

    output_field = FloatField()

    def __init__(self, squared_km, bands: list[tuple[float, float]]):
        super().__init__(squared_km)
        self.bands = bands

    def as_sql(self, compiler, connection, **extra_context):
        if not self.bands:
            return f"CAST({_literal(0.0)} AS double precision)", ()
        d2_sql, d2_params = compiler.compile(self.source_expressions[0])
        whens = [
            f"WHEN {d2_sql} <= {_literal(km * km)} THEN {_literal(fraction)}"
            for km, fraction in self.bands
        ]
        # Cast: to PostgreSQL a literal like 0.75 is a numeric, not a float.
        sql = f"CAST(CASE {' '.join(whens)} ELSE {_literal(0.0)} END AS double precision)"
        return sql, tuple(d2_params) * len(self.bands)


def _distance_fraction(lat_field, lon_field, point):
    if point is None:
        return ZERO, None
    d2 = SquaredDistance(lat_field, lon_field, *point)
    return Banded(d2, distance_bands()), d2


def _score(weights: dict[str, int]):
    total = sum(weights.values()) or 1
    terms = [F(f"c_{code}") * Value(100.0 * w / total) for code, w in weights.items() if w]
    if not terms:
        return ZERO
    expr = terms[0]
    for term in terms[1:]:
        expr = expr + term
    return ExpressionWrapper(expr, output_field=FloatField())


def _point(obj) -> tuple[float, float] | None:
    if obj.latitude is None or obj.longitude is None:
        return None
    return (obj.latitude, obj.longitude)


def _vacancy_start(vacancy: Vacancy) -> datetime.date:
    today = timezone.localdate()
    return max(vacancy.start_date or today, today)


# --- For a vacancy: candidates ranked -----------------------------------------------------------


def _has_sector(sector_id):
    sectors = CandidateProfile.sectors.through.objects
    return Exists(sectors.filter(candidateprofile_id=OuterRef("pk"), sector_id=sector_id))


def _has_skill(skill_id):
    skills = CandidateProfile.skills.through.objects
    return Exists(skills.filter(candidateprofile_id=OuterRef("pk"), skill_id=skill_id))


def _held(through, column: str, ids: list[int], *, each_row: bool):
    """How many of `ids` (sectors or skills) a profile holds.

    `each_row` looks them up per profile in the join table's index: the way for a few
    hundred profiles. Otherwise the profiles holding each are gathered once into a set the
    database hashes: the way for tens of thousands (the planner may pick either for an
    EXISTS, and for a few hundred rows it picks the hash and spends more time building it).
    """
    if not ids:
        return Value(0)
    if each_row:
        held = (
            through.filter(candidateprofile_id=OuterRef("pk"), **{f"{column}__in": ids})
            .order_by()
            .values("candidateprofile_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(held), 0)
    total = Value(0)
    for pk in ids:
        holders = through.filter(**{column: pk}).values("candidateprofile_id")
        total = total + Case(When(pk__in=holders, then=Value(1)), default=Value(0))
    return total


def _required_skills(vacancy: Vacancy) -> list[int]:
    prefetch_related_objects([vacancy], "skills")  # once per vacancy object
    return [skill.pk for skill in vacancy.skills.all()]


def _filtered(vacancy: Vacancy, profiles, filters: Filters):
    """`profiles` narrowed by the account manager's filters, without scoring them (so that
    counting them is as cheap as counting a plain list)."""
    if filters.max_distance_km is not None and _point(vacancy) is not None:
        d2 = SquaredDistance("latitude", "longitude", *_point(vacancy))
        profiles = profiles.alias(f_d2=d2).filter(f_d2__lte=float(filters.max_distance_km) ** 2)
    if filters.sector_required:
        profiles = profiles.filter(_has_sector(vacancy.sector_id))
    if filters.all_skills:
        for skill in _required_skills(vacancy):
            profiles = profiles.filter(_has_skill(skill))
    if filters.driving_licence:
        profiles = profiles.filter(driving_licence=True)
    if filters.available_by:
        profiles = profiles.filter(available_from__lte=filters.available_by)
    if vacancy.register_rule == RegisterRule.ONLY:
        profiles = profiles.filter(client__target_group_register=True)
    if not filters.include_placed:
        placed = unavailable(timezone.localdate())
        if placed is not None:
            profiles = profiles.exclude(placed)
    return profiles


def _placed(include: bool):
    """`placed`: whether the candidate is at work already; asked only where they are listed."""
    placed = unavailable(timezone.localdate()) if include else None
    if placed is None:
        return Value(False, output_field=BooleanField())
    return ExpressionWrapper(placed, output_field=BooleanField())


def _scored(
    vacancy: Vacancy,
    profiles,
    weights: dict[str, int],
    *,
    each_row: bool,
    start=None,
    placed=False,
):
    """`profiles` annotated with each criterion's fraction (`c_<criterion>`), `score`, `d2`
    (km², or None), `n_skills`, `n_required`, `proposed` and `placed`. `each_row`: see _held.
    `start`: the day availability is measured against (by default _vacancy_start, as of today).
    `placed`: work out who is placed (when they are included), else `placed` is False."""
    required = _required_skills(vacancy)
    through = CandidateProfile.skills.through.objects
    n_skills = _held(through, "skill_id", required, each_row=each_row)
    sectors = CandidateProfile.sectors.through.objects
    n_sector = _held(sectors, "sector_id", [vacancy.sector_id], each_row=each_row)
    start = start or _vacancy_start(vacancy)
    distance, d2 = _distance_fraction("latitude", "longitude", _point(vacancy))
    hours = vacancy.hours_per_week
    return profiles.annotate(
        n_skills=n_skills,
        n_required=Value(len(required)),
        n_sector=n_sector,
        c_sector=_float(F("n_sector")),
        c_hours=Case(
            When(hours_per_week__isnull=True, then=ZERO),
            When(hours_per_week__gte=hours, then=ONE),
            default=_float(F("hours_per_week")) / Value(float(hours)),
            output_field=FloatField(),
        ),
        c_skills=(_float(F("n_skills")) / Value(float(len(required)))) if required else ONE,
        c_distance=distance,
        c_availability=Case(
            When(available_from__isnull=True, then=ZERO),
            When(available_from__lte=start, then=ONE),
            When(
                available_from__lte=start + datetime.timedelta(days=AVAILABILITY_GRACE_DAYS),
                then=HALF,
            ),
            default=ZERO,
            output_field=FloatField(),
        ),
        c_register=(
            Case(When(client__target_group_register=True, then=ONE), default=ZERO)
            if vacancy.register_asked
            else ONE
        ),
        d2=d2 if d2 is not None else Value(None, output_field=FloatField()),
        proposed=Q(client_id__in=Match.objects.filter(vacancy=vacancy).values("client_id")),
        placed=_placed(placed),
    ).annotate(score=_score(weights))


def candidates_for(
    vacancy: Vacancy, profiles, *, weights=None, filters: Filters = Filters(), few=False
):
    """`profiles` (a scoped CandidateProfile queryset), filtered, annotated with each
    criterion's fraction and the `score`, best first. One query; for a page of a ranking of
    many candidates use CandidateRanking, which scores only those that can be on the page.
    `few`: `profiles` are a few hundred at most (see _held)."""
    weights = weights or default_weights()
    scored = _scored(
        vacancy,
        _filtered(vacancy, profiles, filters),
        weights,
        each_row=few,
        placed=filters.include_placed,
    )
    return scored.select_related("client__municipality").order_by(*_order(vacancy))


class CandidateRanking:
    """A vacancy's candidates best first, as a sequence a Paginator can page through.

    Ranking by scoring every candidate costs a multiple of listing them: the score of each
    of 100,000 candidates must be computed before the first 25 are known. But a candidate
    can only be near the top when it falls short on no criterion by much: whoever scores
    within D points of the best possible score lacks at most D points on each criterion, so
    (for a criterion worth more than D points) is in the vacancy's sector, holds enough of
    its skills, lives within a distance band, works enough hours, is available in time, is in
    the register. Those conditions are cheap for the database (indexes), and they give a small
    pool. The pool's candidates are scored; if at least as many of them score within D points
    as the page needs, those are exactly the page: every candidate outside the pool lacks
    more than D points. Otherwise D is widened, and in the end every candidate is scored.
    The result is the same ranking `candidates_for` gives, order and ties (by pk) included.

    A vacancy that ranks register candidates first is ranked in two tiers, each as above: the
    register's candidates, then the others; the second is read only when the page reaches it.
    Within a tier the register criterion gives everyone the same, so it narrows no pool.
    """

    # The shortfalls tried, in points of the best possible score, before scoring everyone.
    SHORTFALLS = (10.0, 20.0)
    # Up to this many candidates, scoring everyone is cheap anyway.
    FEW = 1000
    # Conditions are relaxed by this much, so that rounding never drops a candidate.
    MARGIN = 1e-6

    def __init__(self, vacancy: Vacancy, profiles, *, weights=None, filters=Filters()):
        self.vacancy = vacancy
        self.weights = weights or default_weights()
        self.profiles = _filtered(vacancy, profiles, filters)
        self.include_placed = filters.include_placed
        # Once, so that the pool and the scores measure availability on the same day.
        self.start = _vacancy_start(vacancy)
        # (profiles, in the register: True, False or None for either), ranked one after another.
        register = Q(client__target_group_register=True)
        if _in_register_first(vacancy):
            self.tiers = [
                (self.profiles.filter(register), True),
                (self.profiles.exclude(register), False),
            ]
        elif vacancy.register_rule == RegisterRule.ONLY:
            self.tiers = [(self.profiles, True)]
        else:
            self.tiers = [(self.profiles, None)]
        self._counts = None
        # The shortfalls tried for the last page; None: everyone was scored.
        self.attempts = []

    def counts(self) -> list[int]:
        """How many candidates each tier holds (one query)."""
        if self._counts is None:
            if len(self.tiers) == 1:
                self._counts = [self.profiles.count()]
            else:
                found = self.profiles.aggregate(
                    n=Count("pk"), first=Count("pk", filter=Q(client__target_group_register=True))
                )
                self._counts = [found["first"], found["n"] - found["first"]]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, int):
            if key < 0:
                key += self.count()
            if not 0 <= key < self.count():
                raise IndexError("ranking index out of range")
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if stop is None or key.step is not None or start < 0 or stop < 0:
            raise TypeError("A ranking is sliced with [start:stop], neither negative.")
        return self._best(stop)[start:] if stop > start else []

    def _best(self, n: int) -> list:
        """The n best candidates, best first (fewer if there are fewer)."""
        self.attempts = []
        rows = []
        for (profiles, register), count in zip(self.tiers, self.counts(), strict=True):
            if len(rows) >= n:
                break
            if count:
                rows += self._best_of(profiles, register, count, n - len(rows))
        return rows

    def _best_of(self, profiles, register, count: int, n: int) -> list:
        """The n best of one tier's `count` profiles."""
        if n < count:
            best, shares = self._best_possible(register)
            for shortfall in self.SHORTFALLS:
                pool = self._pool(shares, shortfall)
                if pool is None:
                    break  # nothing narrows the pool at this shortfall: score everyone
                self.attempts.append(shortfall)
                top = list(self._ranked(profiles.filter(pk__in=pool.values("pk")))[:n])
                if len(top) == n and top[-1].score >= best - shortfall:
                    return top
        self.attempts.append(None)
        if count <= self.FEW:
            return list(self._ranked(profiles)[:n])
        # Sort only (pk, score) of everyone and read the rows of the first n, in one query (as
        # many as for few candidates: a page's queries do not depend on the region's size).
        first = self._ranked(profiles, each_row=False).values("pk")[:n]
        # Their rows by pk alone: `first` is of `profiles` already, and its filters again (a
        # scan of every profile against the placements) would cost more than the 25 rows.
        rows = profiles.model._default_manager.using(profiles.db).filter(pk__in=first)
        return list(self._ranked(rows))

    def _ranked(self, profiles, *, each_row=True):
        scored = _scored(
            self.vacancy,
            profiles,
            self.weights,
            each_row=each_row,
            start=self.start,
            placed=self.include_placed,
        )
        return scored.select_related("client__municipality").order_by("-score", "pk")

    def _best_possible(self, register: bool | None = None):
        """The best score any candidate (of a tier: in the register or not, None: either)
        could get, and the points of each criterion on which candidates can differ (the
        others give every candidate the same)."""
        total = sum(self.weights.values()) or 1
        points = {code: 100.0 * weight / total for code, weight in self.weights.items()}
        constant = {
            "skills": not _required_skills(self.vacancy),
            "distance": _point(self.vacancy) is None,
            "register": not self.vacancy.register_asked or register is not None,
        }
        # A constant criterion gives every candidate 1 (no skills required, register not
        # asked, a tier of the register) or 0 (the place of work unknown, a tier outside the
        # register of a vacancy that asks for it).
        nothing = {
            "distance": constant["distance"],
            "register": self.vacancy.register_asked and register is False,
        }
        best = sum(p for code, p in points.items() if not nothing.get(code))
        shares = {code: p for code, p in points.items() if p and not constant.get(code)}
        return best, shares

    def _pool(self, shares: dict[str, float], shortfall: float):
        """Every profile that lacks at most `shortfall` points on each criterion (a superset
        of those that lack at most that many in all), or None if no criterion narrows it."""
        vacancy = self.vacancy
        allowed = shortfall + self.MARGIN
        pool = CandidateProfile.objects.all()
        narrowed = False
        for code, points in shares.items():
            if points <= allowed:
                continue
            narrowed = True
            at_least = 1.0 - allowed / points  # the fraction this criterion must reach
            if code == "sector":
                pool = pool.filter(_has_sector(vacancy.sector_id))
            elif code == "register":
                pool = pool.filter(client__target_group_register=True)
            elif code == "hours":
                # Rounded down: a pool may hold more than needed, never less.
                pool = pool.filter(
                    hours_per_week__gte=math.floor(at_least * vacancy.hours_per_week)
                )
            elif code == "availability":
                grace = AVAILABILITY_GRACE_DAYS if at_least <= 0.5 else 0
                by = self.start + datetime.timedelta(days=grace)
                pool = pool.filter(available_from__lte=by)
            elif code == "skills":
                pool = self._holding(pool, at_least)
            elif code == "distance":
                pool = self._within(pool, at_least)
        return pool if narrowed else None

    def _holding(self, pool, at_least: float):
        required = _required_skills(self.vacancy)
        needed = math.ceil(at_least * len(required) - self.MARGIN)
        if needed >= len(required):
            for skill in required:
                pool = pool.filter(_has_skill(skill))
            return pool
        skills = CandidateProfile.skills.through.objects.filter(skill_id__in=required)
        if needed <= 0:
            return pool  # every candidate reaches the fraction without any of them
        if needed == 1:
            # Any one of them: a semi-join the index answers, not a count of every holder.
            return pool.filter(Exists(skills.filter(candidateprofile_id=OuterRef("pk"))))
        holding = (
            skills.values("candidateprofile_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=needed)
            .values("candidateprofile_id")
        )
        return pool.filter(pk__in=holding)

    def _within(self, pool, at_least: float):
        km = max((km for km, fraction in distance_bands() if fraction >= at_least), default=None)
        if km is None:
            return pool.none()
        lat, lon = _point(self.vacancy)
        km += self.MARGIN
        dlat = km / KM_PER_DEGREE_LATITUDE
        dlon = km / (KM_PER_DEGREE_LATITUDE * math.cos(math.radians(lat)))
        # The box lets an index find them; the circle is the band itself.
        return (
            pool.filter(latitude__range=(lat - dlat, lat + dlat))
            .filter(longitude__range=(lon - dlon, lon + dlon))
            .alias(p_d2=SquaredDistance("latitude", "longitude", lat, lon))
            .filter(p_d2__lte=km * km)
        )


# --- For a candidate: vacancies ranked ----------------------------------------------------------


def vacancies_for(profile: CandidateProfile, vacancies, *, weights=None):
    """`vacancies` annotated like candidates_for, from the candidate's side; best first."""
    weights = weights or default_weights()
    sectors = list(profile.sectors.values_list("pk", flat=True))
    skills = list(profile.skills.values_list("pk", flat=True))
    through = Vacancy.skills.through.objects.filter(vacancy_id=OuterRef("pk")).order_by()
    required = through.values("vacancy_id").annotate(n=Count("pk")).values("n")[:1]
    held = (
        through.filter(skill_id__in=skills).values("vacancy_id").annotate(n=Count("pk"))
    ).values("n")[:1]
    distance, d2 = _distance_fraction("latitude", "longitude", _point(profile))
    today = timezone.localdate()
    available = profile.available_from
    if available is None:
        availability = ZERO
    else:
        grace = available - datetime.timedelta(days=AVAILABILITY_GRACE_DAYS)
        starts_now = Q(start_date__isnull=True) | Q(start_date__lte=today)
        availability = Case(
            When(
                starts_now, then=ONE if available <= today else (HALF if grace <= today else ZERO)
            ),
            When(start_date__gte=available, then=ONE),
            When(start_date__gte=grace, then=HALF),
            default=ZERO,
            output_field=FloatField(),
        )
    hours = profile.hours_per_week
    if not profile.client.target_group_register:
        # Set aside for the register's candidates only: not a vacancy for this candidate.
        vacancies = vacancies.exclude(register_rule=RegisterRule.ONLY)
    qs = vacancies.annotate(
        n_required=Coalesce(Subquery(required), 0),
        n_skills=Coalesce(Subquery(held), 0) if skills else Value(0),
        c_sector=Case(When(sector_id__in=sectors, then=ONE), default=ZERO) if sectors else ZERO,
        c_hours=ZERO
        if hours is None
        else Case(
            When(hours_per_week__lte=hours, then=ONE),
            default=Value(float(hours)) / _float(F("hours_per_week")),
            output_field=FloatField(),
        ),
        c_skills=Case(
            When(n_required=0, then=ONE),
            default=_float(F("n_skills")) / _float(F("n_required")),
            output_field=FloatField(),
        ),
        c_distance=distance,
        c_availability=availability,
        c_register=ONE
        if profile.client.target_group_register
        else Case(When(register_rule=RegisterRule.NOT_ASKED, then=ONE), default=ZERO),
        d2=d2 if d2 is not None else Value(None, output_field=FloatField()),
        proposed=Exists(Match.objects.filter(vacancy_id=OuterRef("pk"), client=profile.client)),
    ).annotate(score=_score(weights))
    return qs.select_related("employer", "sector", "municipality").order_by("-score", "pk")


# --- The explanation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    code: str
    label: str
    weight: int
    fraction: float
    points: float
    detail: str
    # False when the criterion could not be judged: the distance where a place has no
    # coordinates. Its 0 points are then no statement about the candidate; pages say
    # "unknown" instead of showing them as a real distance.
    known: bool = True


def distance_km(row) -> float | None:
    return None if row.d2 is None or row.latitude is None else math.sqrt(row.d2)


def explanation_kept(row, weights: dict[str, int], *, vacancy) -> list[dict]:
    """The explanation a proposed match keeps (Match.explanation): each criterion's weight,
    points and detail as they were when the candidate was proposed."""
    return [
        {"criterion": c.code, "weight": c.weight, "points": c.points, "detail": c.detail}
        for c in explain(row, weights, vacancy=vacancy)
    ]


def explain(row, weights: dict[str, int], *, vacancy=None, profile=None) -> list[Contribution]:
    """Each criterion's contribution to `row.score`, with what it was based on.

    `row` is an annotated candidate profile (give `vacancy`) or vacancy (give `profile`).
    """
    total = sum(weights.values()) or 1
    vacancy = vacancy or row
    profile = profile or row
    km = distance_km(row)
    required = getattr(row, "n_required", None)
    if required is None:
        required = len(vacancy.skills.all())
    details = {
        "sector": _("interested in %(sector)s") % {"sector": vacancy.sector}
        if row.c_sector
        else _("not among the sectors of interest"),
        "hours": _("%(has)s of %(wants)s hours")
        % {
            "has": profile.hours_per_week if profile.hours_per_week is not None else "?",
            "wants": vacancy.hours_per_week,
        },
        "skills": _("%(held)s of %(required)s required skills")
        % {"held": row.n_skills, "required": required}
        if required
        else _("no skills required"),
        "distance": _("about %(km)s km") % {"km": round(km)}
        if km is not None
        else _("distance unknown: no coordinates for the place of residence or work"),
        "availability": _("available from %(date)s")
        % {"date": date_format(profile.available_from, "SHORT_DATE_FORMAT")}
        if profile.available_from
        else _("availability unknown"),
        "register": _register_detail(vacancy, profile.client.target_group_register),
    }
    return [
        Contribution(
            code=code,
            label=str(label),
            weight=weights[code],
            fraction=getattr(row, f"c_{code}"),
            points=round(getattr(row, f"c_{code}") * 100.0 * weights[code] / total, 1),
            detail=str(details[code]),
            known=not (code == "distance" and km is None),
        )
        for code, label in CRITERIA.items()
    ]


def _register_detail(vacancy: Vacancy, in_register: bool) -> str:
    if not vacancy.register_asked:
        return _("not asked for this vacancy")
    if _in_register_first(vacancy):
        return (
            _("in the target-group register: ranked first, the vacancy is set aside for it")
            if in_register
            else _("not in the target-group register: ranked after the register candidates")
        )
    return (
        _("in the target-group register") if in_register else _("not in the target-group register")
    )
