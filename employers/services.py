"""State changes of the employers app: one function for each action a user would name."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.changelog import records_actor
from core.editing import save_versioned
from core.models import User
from core.validators import normalize_kvk, normalize_postcode
from employers import locations
from employers.models import (
    CandidateProfile,
    ConsentRecord,
    ContactPerson,
    Employer,
    EmployerContact,
    Match,
    MatchEvent,
    MatchStage,
    RejectionReason,
    Shortlist,
    SroiObligation,
    Vacancy,
)

EMPLOYER_FIELDS = (
    "name",
    "kvk_number",
    "address",
    "postcode",
    "municipality",
    "sbi_code",
    "social_enterprise",
    "account_manager",
    "notes",
)
VACANCY_FIELDS = (
    "title",
    "description",
    "sector",
    "branch_team",
    "hours_per_week",
    "municipality",
    "postcode",
    "driving_licence_required",
    "register_rule",
    "positions",
    "status",
    "opened_on",
    "closes_on",
    "start_date",
)
PROFILE_FIELDS = (
    "hours_per_week",
    "available_from",
    "language_level",
    "driving_licence",
    "open_for_matching",
)


def _normalised_employer(fields: dict) -> dict:
    if fields.get("kvk_number"):
        fields["kvk_number"] = normalize_kvk(fields["kvk_number"])
    else:
        fields["kvk_number"] = None
    if fields.get("postcode"):
        fields["postcode"] = normalize_postcode(fields["postcode"])
    return fields


@records_actor
@transaction.atomic
def employer_register(*, actor: User, **fields) -> Employer:
    """Register an employer; the KvK number is 8 digits and unique."""
    unknown = set(fields) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown employer fields: {sorted(unknown)}")
    employer = Employer(**_normalised_employer(fields))
    employer.full_clean()
    employer.save()
    return employer


@records_actor
@transaction.atomic
def employer_update(
    *, actor: User, employer: Employer, version: int | None = None, **changes
) -> Employer:
    """Change an employer; a save based on an older version raises ConcurrentEdit."""
    unknown = set(changes) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown employer fields: {sorted(unknown)}")
    for name, value in _normalised_employer(changes).items():
        setattr(employer, name, value)
    return save_versioned(employer, version)


@records_actor
@transaction.atomic
def contact_person_add(*, actor: User, employer: Employer, **fields) -> ContactPerson:
    person = ContactPerson(employer=employer, **fields)
    person.full_clean()
    person.save()
    return person


@records_actor
@transaction.atomic
def employer_contact_log(
    *,
    actor: User,
    employer: Employer,
    date: datetime.date,
    channel: str,
    subject: str,
    notes: str = "",
    contact_person: ContactPerson | None = None,
) -> EmployerContact:
    """Record a contact with the employer on its timeline."""
    if contact_person is not None and contact_person.employer_id != employer.pk:
        raise ValidationError(
            {"contact_person": _("This person is not a contact person of this employer.")}
        )
    contact = EmployerContact(
        employer=employer,
        date=date,
        channel=channel,
        subject=subject,
        notes=notes,
        contact_person=contact_person,
        author=actor,
    )
    contact.full_clean()
    contact.save()
    return contact


@records_actor
@transaction.atomic
def sroi_obligation_add(*, actor: User, employer: Employer, **fields) -> SroiObligation:
    """Record a Social Return obligation; its period may not overlap another of the employer,
    so that every Social Return placement counts towards one obligation."""
    obligation = SroiObligation(employer=employer, **fields)
    obligation.full_clean()
    overlapping = SroiObligation.objects.filter(
        employer=employer,
        start_date__lte=obligation.end_date,
        end_date__gte=obligation.start_date,
    )
    if overlapping.exists():
        raise ValidationError(
            {
                "start_date": _(
                    "This employer already has a Social Return obligation in this period "
                    "(%(tender)s). Periods may not overlap: a placement counts towards one."
                )
                % {"tender": overlapping.first().tender}
            }
        )
    obligation.save()
    return obligation


def _save_vacancy(vacancy: Vacancy, skills) -> Vacancy:
    if vacancy.postcode:
        vacancy.postcode = normalize_postcode(vacancy.postcode)
    save_versioned(vacancy)
    if skills is not None:
        vacancy.skills.set(skills)
    locations.refresh_vacancies(Vacancy.objects.filter(pk=vacancy.pk))
    vacancy.refresh_from_db(fields=["latitude", "longitude", "version"])
    return vacancy


@records_actor
@transaction.atomic
def vacancy_register(*, actor: User, employer: Employer, skills=(), **fields) -> Vacancy:
    """Register a vacancy of the employer with its required skills."""
    unknown = set(fields) - set(VACANCY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown vacancy fields: {sorted(unknown)}")
    return _save_vacancy(Vacancy(employer=employer, created_by=actor, **fields), skills)


@records_actor
@transaction.atomic
def vacancy_update(
    *, actor: User, vacancy: Vacancy, version: int | None = None, skills=None, **changes
) -> Vacancy:
    unknown = set(changes) - set(VACANCY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown vacancy fields: {sorted(unknown)}")
    if version is not None:
        vacancy.version = version
    for name, value in changes.items():
        setattr(vacancy, name, value)
    return _save_vacancy(vacancy, skills)


@records_actor
@transaction.atomic
def candidate_profile_save(
    *, actor: User, client: Client, sectors=(), skills=(), **fields
) -> CandidateProfile:
    """Create or change the candidate profile of a client, and locate it for distances."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    client.check_writable()
    profile = CandidateProfile.objects.filter(client=client).first() or CandidateProfile(
        client=client
    )
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.full_clean()
    profile.save()
    profile.sectors.set(sectors)
    profile.skills.set(skills)
    locations.refresh_candidates(CandidateProfile.objects.filter(pk=profile.pk))
    profile.refresh_from_db(fields=["latitude", "longitude"])
    return profile


@records_actor
@transaction.atomic
def consent_record(
    *,
    actor: User,
    client: Client,
    given_on: datetime.date,
    scope: str,
    employer: Employer | None = None,
) -> ConsentRecord:
    """Record that the client agreed their name may go to an employer (or to every one)."""
    client.check_writable()
    if scope == ConsentRecord.Scope.ALL_EMPLOYERS:
        employer = None
    consent = ConsentRecord(
        client=client, given_on=given_on, scope=scope, employer=employer, recorded_by=actor
    )
    consent.full_clean()
    consent.save()
    return consent


def has_consent(client: Client, employer: Employer) -> bool:
    return (
        ConsentRecord.objects.filter(client=client)
        .filter(scope=ConsentRecord.Scope.ALL_EMPLOYERS)
        .exists()
        or ConsentRecord.objects.filter(client=client, employer=employer).exists()
    )


@records_actor
@transaction.atomic
def match_propose(
    *,
    actor: User,
    vacancy: Vacancy,
    profile: CandidateProfile,
    score: float,
    explanation: list[dict],
) -> Match:
    """Propose a candidate for a vacancy, keeping the score and its explanation as they were."""
    if vacancy.status != Vacancy.Status.OPEN:
        raise ValidationError(_("This vacancy is closed."), code="closed")
    if Match.objects.filter(vacancy=vacancy, client=profile.client).exists():
        raise ValidationError(
            _("This candidate is already proposed for this vacancy."), code="duplicate"
        )
    match = Match(
        vacancy=vacancy,
        client=profile.client,
        score=Decimal(str(round(score, 1))),
        explanation={"criteria": explanation},
        proposed_by=actor,
    )
    match.full_clean()
    match.save()
    MatchEvent.objects.create(match=match, stage=MatchStage.PROPOSED, actor=actor)
    return match


# The stages a match may move to from each stage.
NEXT_STAGES = {
    MatchStage.PROPOSED: (MatchStage.INTRODUCED, MatchStage.REJECTED),
    MatchStage.INTRODUCED: (MatchStage.INTERVIEW, MatchStage.HIRED, MatchStage.REJECTED),
    MatchStage.INTERVIEW: (MatchStage.HIRED, MatchStage.REJECTED),
    MatchStage.HIRED: (),
    MatchStage.REJECTED: (),
}


@records_actor
@transaction.atomic
def match_advance(
    *,
    actor: User,
    match: Match,
    stage: str,
    rejection_reason: RejectionReason | None = None,
    note: str = "",
) -> Match:
    """Move a match along the pipeline: proposed, introduced, interview, hired or rejected.

    Introducing gives the employer the candidate's name, so it needs the client's recorded
    consent. Hiring fills a position; when all are filled the vacancy closes.
    """
    match = Match.objects.select_for_update().select_related("vacancy").get(pk=match.pk)
    if stage not in NEXT_STAGES[match.stage]:
        raise ValidationError(
            _("A match that is %(current)s cannot become %(next)s.")
            % {
                "current": MatchStage(match.stage).label.lower(),
                "next": MatchStage(stage).label.lower(),
            },
            code="stage",
        )
    if stage == MatchStage.REJECTED and rejection_reason is None:
        raise ValidationError({"rejection_reason": _("A rejection needs a reason from the list.")})
    if stage == MatchStage.INTRODUCED and not has_consent(match.client, match.vacancy.employer):
        raise ValidationError(
            _(
                "Record the client's consent to share their name with this employer first: "
                "an introduction gives the employer the name."
            ),
            code="consent",
        )
    match.stage = stage
    match.rejection_reason = rejection_reason if stage == MatchStage.REJECTED else None
    match.full_clean()
    match.save()
    MatchEvent.objects.create(match=match, stage=stage, actor=actor, note=note)
    if stage == MatchStage.HIRED:
        vacancy = match.vacancy
        hired = vacancy.matches.filter(stage=MatchStage.HIRED).count()
        if hired >= vacancy.positions and vacancy.status == Vacancy.Status.OPEN:
            Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.CLOSED)
    return match


@records_actor
@transaction.atomic
def shortlist_send(*, actor: User, vacancy: Vacancy, matches) -> Shortlist:
    """Make a shortlist of anonymous profiles for the employer, behind a link that expires."""
    matches = list(matches)
    if not matches:
        raise ValidationError(_("Choose at least one proposed candidate."), code="empty")
    if any(m.vacancy_id != vacancy.pk for m in matches):
        raise ValidationError(_("A match of another vacancy was chosen."), code="other_vacancy")
    shortlist = Shortlist.objects.create(
        vacancy=vacancy,
        token=secrets.token_urlsafe(32),
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=settings.SHORTLIST_VALID_DAYS),
    )
    shortlist.matches.set(matches)
    return shortlist
