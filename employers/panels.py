"""The employers app's own panels: on the employer dossier, and on the client dossier."""

from types import SimpleNamespace

from django.db.models import JSONField
from django.db.models.functions import JSONObject

from clients import dossier as client_dossier
from clients.dossier import Panel
from employers import dossier, profiles
from employers.forms import ContactPersonForm, EmployerContactForm
from employers.models import CandidateProfile, Match, Vacancy


@dossier.register(10)
def contact_persons(employer, user):
    return Panel(
        "employers/_contact_persons.html",
        {
            "contact_persons": list(employer.contact_persons.all()),
            "person_form": ContactPersonForm()
            if user.has_perm("employers.add_contactperson")
            else None,
        },
    )


@dossier.register(20)
def contacts(employer, user):
    return Panel(
        "employers/_contacts.html",
        {
            "contacts": list(employer.contacts.select_related("contact_person", "author")[:50]),
            "contact_form": EmployerContactForm(employer=employer)
            if user.has_perm("employers.add_employercontact")
            else None,
        },
    )


@dossier.register(40)
def vacancies(employer, user):
    return Panel(
        "employers/_vacancies.html",
        {"vacancies": list(Vacancy.objects.filter(employer=employer).for_list())},
    )


@dossier.register(50)
def matches(employer, user):
    rows = (
        Match.objects.filter(vacancy__employer=employer)
        .select_related("vacancy", "client", "rejection_reason")
        .order_by("-updated_at")[:50]
    )
    return Panel("employers/_matches.html", {"matches": list(rows)})


# The client's matches, newest first, read with the dossier's query of the client.
MATCHES = client_dossier.JSONRows(
    "matches", related=("vacancy", "vacancy__employer", "rejection_reason"), order=("-updated_at",)
)


def _completeness(model, client_pk):
    """The parts of the client's profile that are filled and how many: one JSON object."""
    parts = [*profiles.PARTS, "filled"]
    profile = CandidateProfile.objects.filter(client=client_pk)
    return profiles.with_completeness(profile, few=True).values(
        parts=JSONObject(**{part: part for part in parts})
    )


@client_dossier.register_reads(60)
def candidate_profile_read(queryset, user):
    """The profile (one-to-one), its matches and which of its parts are filled, with the
    client's query."""
    if not user.has_perm("employers.view_candidateprofile"):
        return queryset
    parts = client_dossier.correlated(queryset.model, _completeness, JSONField())
    return (
        MATCHES.annotate(queryset)
        .select_related("candidate_profile")
        .annotate(candidate_profile_parts=parts)
    )


def _profile_of(client):
    """The client's profile with its completeness as `with_completeness` annotates it."""
    try:
        profile = client.candidate_profile
    except CandidateProfile.DoesNotExist:
        return None
    parts = client.candidate_profile_parts
    return SimpleNamespace(
        profile=profile,
        **{part: bool(parts[part]) for part in profiles.PARTS},
        filled=parts["filled"],
    )


@client_dossier.register(60)
def candidate_profile(client, user):
    """On the client dossier: the candidate profile's completeness and the client's matches."""
    if not user.has_perm("employers.view_candidateprofile"):
        return None
    filled = _profile_of(client)
    profile = filled.profile if filled else None
    client_matches = MATCHES.of(client)
    return Panel(
        "employers/_client_panel.html",
        {
            "profile": profile,
            "completeness": profiles.completeness(filled) if profile else None,
            "complete": bool(profile) and profiles.is_complete(filled),
            "missing": profiles.missing(filled)
            if profile
            else [str(v) for v in profiles.PARTS.values()],
            "client_matches": client_matches,
        },
    )


@client_dossier.register_start(20)
def profiles_to_complete(user, caseload) -> Panel:
    """Clients able to work whose candidate profile account managers cannot match well yet."""
    return Panel(
        "employers/_incomplete_profiles.html",
        {"incomplete_profiles": profiles.for_start_page(user)},
    )
