"""Completeness of candidate profiles: what is filled in, what is missing (issue 6).

A national candidate database failed because its profiles were incomplete; so each profile
shows what is missing, and the coach's start page lists their clients whose profile is.
Computed by the database (annotations), so a list of many costs as many queries as of one.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Intake, WorkEstimate
from core import figures
from employers.models import CandidateProfile

# (annotation saying it is filled, label of what is missing)
PARTS = {
    "has_sectors": _("sectors of interest"),
    "has_skills": _("skills"),
    "has_hours": _("hours per week"),
    "has_available_from": _("available from"),
    "has_language_level": _("language level"),
    "has_driving_licence": _("driving licence"),
}


def _filled(prefix: str, *, few: bool = False) -> dict:
    """`few`: the rows are a page, so look up each row's sectors and skills in the index. (For
    an EXISTS the planner may hash the whole join table, as it would for every profile.)"""
    sectors = CandidateProfile.sectors.through.objects.filter(
        **{"candidateprofile_id" if not prefix else "candidateprofile__client_id": OuterRef("pk")}
    )
    skills = CandidateProfile.skills.through.objects.filter(
        **{"candidateprofile_id" if not prefix else "candidateprofile__client_id": OuterRef("pk")}
    )

    def any_of(links):
        if few:
            return IsNull(Subquery(links.values("pk")[:1]), False)
        return Exists(links)

    return {
        "has_sectors": any_of(sectors),
        "has_skills": any_of(skills),
        "has_hours": Q(**{f"{prefix}hours_per_week__isnull": False}),
        "has_available_from": Q(**{f"{prefix}available_from__isnull": False}),
        "has_language_level": Q(**{f"{prefix}language_level__gt": ""}),
        "has_driving_licence": Q(**{f"{prefix}driving_licence__isnull": False}),
    }


def _count(conditions: dict):
    total = Value(0)
    for condition in conditions.values():
        total = total + Case(When(condition, then=Value(1)), default=Value(0))
    return total


def with_completeness(profiles, *, few: bool = False):
    """Annotate `has_<part>` for each part and `filled` (how many of the parts). `few`: the
    profiles are a page or so (see _filled)."""
    filled = _filled("", few=few)
    return profiles.annotate(**filled).annotate(
        filled=Case(default=_count(filled), output_field=IntegerField())
    )


def page_with_completeness(rows) -> list:
    """The profiles of one page of a list again, in the same order, with their completeness
    (`percentage`, `missing`), client, municipality and sectors: two queries for the page,
    whatever the length of the list."""
    by_pk = {
        row.pk: row
        for row in with_completeness(
            CandidateProfile.objects.filter(pk__in=[row.pk for row in rows]), few=True
        )
        .select_related("client__municipality")
        .prefetch_related("sectors")
    }
    page = [by_pk[row.pk] for row in rows]
    for row in page:
        row.completeness = completeness(row)
        row.missing = missing(row)
    return page


def completeness(obj) -> str:
    """How much of the annotated profile is filled in, as a share (core.figures: 4 of 6 parts
    reads 66,7%, not a whole percent rounded half to even)."""
    return figures.share(obj.filled, len(PARTS))


def is_complete(obj) -> bool:
    return obj.filled == len(PARTS)


def missing(obj) -> list[str]:
    """The labels of what the annotated profile (or client) lacks."""
    return [str(label) for part, label in PARTS.items() if not getattr(obj, part)]


def incomplete_for_coach(user, *, limit: int = 50):
    """The coach's own active clients who can work (directly or within two years, by their
    latest intake) whose candidate profile is missing or incomplete: `has_profile`, the parts."""
    latest_estimate = (
        Intake.objects.filter(client=OuterRef("pk"))
        .order_by("-held_on", "-created_at")
        .values("work_estimate")[:1]
    )
    filled = _filled("candidate_profile__")

    clients = (
        Client.objects.for_user(user)
        .filter(coach=user)
        .active()
        .not_anonymised()
        .annotate(estimate=Subquery(latest_estimate))
        .filter(estimate__in=[WorkEstimate.DIRECTLY, WorkEstimate.WITHIN_TWO_YEARS])
        .annotate(
            has_profile=Exists(CandidateProfile.objects.filter(client=OuterRef("pk"))),
            **filled,
        )
        .annotate(filled=Case(default=_count(filled), output_field=IntegerField()))
        .filter(filled__lt=len(PARTS))
        .order_by("filled", "last_name", "first_name", "pk")
    )
    return clients[:limit]


def for_start_page(user) -> list[dict]:
    """Rows for the coach's start page: each client and what their profile lacks."""
    return [{"client": client, "missing": missing(client)} for client in incomplete_for_coach(user)]


def first_answers(client: Client) -> dict:
    """What a new candidate profile starts from: the client's latest intake (hours, available
    from, spoken language level), so the coach types nothing twice; {} without an intake."""
    intake = Intake.objects.filter(client=client).order_by("-held_on", "-created_at").first()
    if intake is None:
        return {}
    return {
        "hours_per_week": intake.hours_per_week,
        "available_from": intake.available_from,
        "language_level": intake.language_spoken,
    }
