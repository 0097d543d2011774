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
"""

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from employers.models import CandidateProfile, Match, Vacancy

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
    """(up to km, fraction) from near to far; beyond the last band the fraction is 0."""
    return [(float(km), float(f)) for km, f in settings.MATCHING_DISTANCE_BANDS]


@dataclass(frozen=True)
class Filters:
    """What an account manager narrows a ranking to."""

    max_distance_km: int | None = None
    sector_required: bool = False
    all_skills: bool = False
    driving_licence: bool = False
    available_by: datetime.date | None = None


def _float(expr):
    return Cast(expr, FloatField())


def _squared_distance(lat_field: str, lon_field: str, lat: float, lon: float):
    """Squared distance in km² between a row's point and a fixed point (flat-earth: fine
    within a region; comparing squares spares a square root in the database)."""
    km_per_degree_longitude = KM_PER_DEGREE_LATITUDE * math.cos(math.radians(lat))
    dy = ExpressionWrapper(
        (F(lat_field) - Value(lat)) * Value(KM_PER_DEGREE_LATITUDE), output_field=FloatField()
    )
    dx = ExpressionWrapper(
        (F(lon_field) - Value(lon)) * Value(km_per_degree_longitude), output_field=FloatField()
    )
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


def _distance_fraction(lat_field, lon_field, point):
    if point is None:
        return ZERO, None
    d2 = _squared_distance(lat_field, lon_field, *point)
    whens = [When(**{f"{lat_field}__isnull": True}, then=ZERO)]
    for km, fraction in distance_bands():
        whens.append(When(LessThanOrEqual(d2, Value(km * km)), then=Value(fraction, FloatField())))
    return Case(*whens, default=ZERO, output_field=FloatField()), d2


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


def candidates_for(vacancy: Vacancy, profiles, *, weights=None, filters: Filters = Filters()):
    """`profiles` (a scoped CandidateProfile queryset) annotated with each criterion's fraction,
    `score`, `d2` (km², or None) and `proposed`; ordered best first. One query, however many."""
    weights = weights or default_weights()
    required = list(vacancy.skills.values_list("pk", flat=True))
    # Not correlated: each is computed once as a set the database hashes, then looked up per
    # candidate (a correlated subquery would run once per candidate; 10x slower at 100,000).
    sectors = CandidateProfile.sectors.through.objects
    skills = CandidateProfile.skills.through.objects
    in_sector = Q(pk__in=sectors.filter(sector_id=vacancy.sector_id).values("candidateprofile_id"))
    held = [
        Case(
            When(
                pk__in=skills.filter(skill_id=skill).values("candidateprofile_id"),
                then=Value(1),
            ),
            default=Value(0),
        )
        for skill in required
    ]
    n_skills = Value(0)
    for term in held:
        n_skills = n_skills + term
    start = _vacancy_start(vacancy)
    distance, d2 = _distance_fraction("latitude", "longitude", _point(vacancy))
    hours = vacancy.hours_per_week
    qs = profiles.annotate(
        n_skills=n_skills,
        c_sector=Case(When(in_sector, then=ONE), default=ZERO),
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
            if vacancy.suitable_for_register
            else ONE
        ),
        d2=d2 if d2 is not None else Value(None, output_field=FloatField()),
        proposed=Q(client_id__in=Match.objects.filter(vacancy=vacancy).values("client_id")),
    ).annotate(score=_score(weights))
    if filters.max_distance_km is not None and d2 is not None:
        qs = qs.filter(d2__lte=float(filters.max_distance_km) ** 2)
    if filters.sector_required:
        qs = qs.filter(c_sector__gte=1)
    if filters.all_skills and required:
        qs = qs.filter(n_skills__gte=len(required))
    if filters.driving_licence:
        qs = qs.filter(driving_licence=True)
    if filters.available_by:
        qs = qs.filter(available_from__lte=filters.available_by)
    return qs.select_related("client__municipality").order_by("-score", "pk")


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
        else Case(When(suitable_for_register=True, then=ZERO), default=ONE),
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


def distance_km(row) -> float | None:
    return None if row.d2 is None or row.latitude is None else math.sqrt(row.d2)


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
        else _("place unknown"),
        "availability": _("available from %(date)s")
        % {"date": date_format(profile.available_from, "SHORT_DATE_FORMAT")}
        if profile.available_from
        else _("availability unknown"),
        "register": (
            _("in the target-group register")
            if profile.client.target_group_register
            else _("not in the target-group register")
        )
        if vacancy.suitable_for_register
        else _("not asked for this vacancy"),
    }
    return [
        Contribution(
            code=code,
            label=str(label),
            weight=weights[code],
            fraction=getattr(row, f"c_{code}"),
            points=round(getattr(row, f"c_{code}") * 100.0 * weights[code] / total, 1),
            detail=str(details[code]),
        )
        for code, label in CRITERIA.items()
    ]
