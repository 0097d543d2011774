"""The matching sections of a right-of-access export (privacy.export): the candidate profile,
consents to share the client's name, and the matches with each step and its note. Three
queries however many rows; imported by EmployersConfig.ready()."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person
from employers.models import CandidateProfile, ConsentRecord, Match, MatchEvent, MatchStage

for _model, _lookup in (
    (CandidateProfile, "client"),
    (ConsentRecord, "client"),
    (Match, "client"),
):
    history.register_owned_records(_model, _lookup)


@gdpr.register(80)
def candidate_profile(client: Client) -> Section:
    profiles = CandidateProfile.objects.filter(client=client).prefetch_related("sectors", "skills")
    names = ["hours_per_week", "available_from", "language_level", "driving_licence"]
    return Section(
        key="candidate_profile",
        title=_("Candidate profile"),
        fields=[
            ("sectors", field_label(CandidateProfile, "sectors")),
            ("skills", field_label(CandidateProfile, "skills")),
            *[(name, field_label(CandidateProfile, name)) for name in names],
            ("open_for_matching", field_label(CandidateProfile, "open_for_matching")),
        ],
        records=[
            {
                "sectors": ", ".join(str(sector) for sector in profile.sectors.all()),
                "skills": ", ".join(str(skill) for skill in profile.skills.all()),
                **{name: getattr(profile, name) for name in names},
                "language_level": profile.get_language_level_display(),
                "open_for_matching": profile.open_for_matching,
            }
            for profile in profiles
        ],
    )


@gdpr.register(81)
def consents(client: Client) -> Section:
    rows = ConsentRecord.objects.filter(client=client).select_related("employer", "recorded_by")
    return Section(
        key="consents",
        title=_("Consents to share your name"),
        fields=[
            ("scope", field_label(ConsentRecord, "scope")),
            ("employer", field_label(ConsentRecord, "employer")),
            ("given_on", field_label(ConsentRecord, "given_on")),
            ("recorded_by", field_label(ConsentRecord, "recorded_by")),
        ],
        records=[
            {
                "scope": choice_label(c.scope, ConsentRecord.Scope.choices),
                "employer": str(c.employer or ""),
                "given_on": c.given_on,
                "recorded_by": person(c.recorded_by),
            }
            for c in rows.order_by("given_on", "pk")
        ],
    )


@gdpr.register(82)
def matches(client: Client) -> Section:
    rows = (
        Match.objects.filter(client=client)
        .select_related("vacancy__employer", "rejection_reason")
        .prefetch_related(
            Prefetch("events", queryset=MatchEvent.objects.select_related("actor").order_by("at"))
        )
        .order_by("pk")
    )
    return Section(
        key="matches",
        title=_("Vacancies you were proposed for"),
        fields=[
            ("vacancy", field_label(Match, "vacancy")),
            ("stage", field_label(Match, "stage")),
            ("rejection_reason", field_label(Match, "rejection_reason")),
            ("events", _("Steps")),
        ],
        records=[
            {
                "vacancy": f"{m.vacancy.title} ({m.vacancy.employer})",
                "stage": choice_label(m.stage, MatchStage.choices),
                "rejection_reason": str(m.rejection_reason or ""),
                "events": [
                    {
                        "stage": choice_label(e.stage, MatchStage.choices),
                        "at": e.at,
                        "by": person(e.actor),
                        "note": e.note,
                    }
                    for e in m.events.all()
                ],
            }
            for m in rows
        ],
    )
