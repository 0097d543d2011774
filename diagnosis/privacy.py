"""The diagnosis sections of a right-of-access export (privacy.export): the client's referrals
and the practical assessments planned from them, one query each; the change history they own.
Imported by DiagnosisConfig.ready(). Anonymisation removes both (services.referrals_remove)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client, Route
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person
from diagnosis.models import AssessmentStatus, PracticalAssessment, Referral, ReferralStatus

history.register_owned_records(Referral, "client")
history.register_owned_records(PracticalAssessment, "referral__client")

REFERRAL_EXPORT = [
    "referred_at",
    "team",
    "question",
    "limitation_notes",
    "referred_by",
    "status",
    "answered_at",
    "answer",
    "withdrawn_at",
    "withdrawal_reason",
]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@gdpr.register(110)
def referrals(client: Client) -> Section:
    rows = (
        Referral.objects.filter(client=client)
        .select_related("team", "referred_by", "answered_by_intake")
        .order_by("referred_at", "pk")
    )
    return Section(
        key="diagnosis_referrals",
        title=_("Referrals to diagnosis"),
        fields=[(name, field_label(Referral, name)) for name in REFERRAL_EXPORT]
        + [("intake", _("answered by the intake of"))],
        records=[
            {
                **{name: getattr(r, name) for name in REFERRAL_EXPORT},
                "referred_at": _when(r.referred_at),
                "answered_at": _when(r.answered_at),
                "withdrawn_at": _when(r.withdrawn_at),
                "team": str(r.team),
                "referred_by": person(r.referred_by),
                "status": choice_label(r.status, ReferralStatus.choices),
                "intake": r.answered_by_intake.held_on if r.answered_by_intake else "",
            }
            for r in rows
        ],
    )


ASSESSMENT_EXPORT = [
    "workplace",
    "supervisor_name",
    "starts_on",
    "ends_on",
    "goal",
    "status",
    "planned_by",
    "evaluation",
    "evaluated_on",
    "evaluated_by",
    "advised_route",
]


@gdpr.register(111)
def practical_assessments(client: Client) -> Section:
    rows = (
        PracticalAssessment.objects.filter(referral__client=client)
        .select_related("planned_by", "evaluated_by")
        .order_by("starts_on", "pk")
    )
    return Section(
        key="practical_assessments",
        title=_("Practical assessments"),
        fields=[(name, field_label(PracticalAssessment, name)) for name in ASSESSMENT_EXPORT],
        records=[
            {
                **{name: getattr(a, name) for name in ASSESSMENT_EXPORT},
                "status": choice_label(a.status, AssessmentStatus.choices),
                "planned_by": person(a.planned_by),
                "evaluated_by": person(a.evaluated_by),
                "advised_route": choice_label(a.advised_route, Route.choices),
            }
            for a in rows
        ],
    )


@gdpr.register_anonymiser(110)
def anonymise(client: Client) -> None:
    """What privacy.services.client_anonymise removes here: the referrals and their practical
    assessments, whole (a question about a suspected limitation is personal through and
    through; no KPI counts them)."""
    from diagnosis.services import referrals_remove

    referrals_remove(client=client)
