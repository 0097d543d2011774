"""Where candidates and places of work are, for the distance criterion of matching.

A place is the centre of its four-digit postcode area where an administrator loaded those
(core.PostcodeArea), else the centre of its municipality. The coordinates are copied onto the
candidate profile and the vacancy by one UPDATE in the database, so a ranking reads plain
columns; `refresh_*` runs again after a profile, a vacancy, a client or the coordinates change.
"""

from django.db.models import FloatField, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, Substr

from core.models import Municipality, PostcodeArea


def _located(postcode_field: str, municipality_field: str, axis: str):
    area = PostcodeArea.objects.filter(code=Substr(OuterRef(postcode_field), 1, 4)).values(axis)
    town = Municipality.objects.filter(pk=OuterRef(municipality_field)).values(axis)
    return Cast(Coalesce(Subquery(area[:1]), Subquery(town[:1])), FloatField())


def refresh_candidates(profiles) -> int:
    """Copy each profile's client's place (postcode area, else municipality) onto the profile."""
    from employers.models import CandidateProfile

    client = CandidateProfile.objects.filter(pk=OuterRef("pk"))
    return CandidateProfile.objects.filter(pk__in=profiles.values("pk")).update(
        latitude=Subquery(
            client.annotate(
                v=_located("client__postcode", "client__municipality_id", "latitude")
            ).values("v")[:1]
        ),
        longitude=Subquery(
            client.annotate(
                v=_located("client__postcode", "client__municipality_id", "longitude")
            ).values("v")[:1]
        ),
    )


def refresh_vacancies(vacancies) -> int:
    """Copy each vacancy's place of work (postcode area, else municipality) onto the vacancy."""
    from employers.models import Vacancy

    return Vacancy.objects.filter(pk__in=vacancies.values("pk")).update(
        latitude=_located("postcode", "municipality_id", "latitude"),
        longitude=_located("postcode", "municipality_id", "longitude"),
    )


def refresh_all() -> tuple[int, int]:
    """After coordinates were loaded: every profile and vacancy again."""
    from employers.models import CandidateProfile, Vacancy

    return (
        refresh_candidates(CandidateProfile.objects.all()),
        refresh_vacancies(Vacancy.objects.all()),
    )
