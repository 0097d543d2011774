"""The diagnosis part of the client dossier (referrals with their answer, advised route and
practical assessments; the coach's "refer to diagnosis") and of the diagnosis consultant's
start page (open referrals to their teams by age). Registered in DiagnosisConfig.ready(); the
panel's rows come with the dossier's query of the client, shared with the timeline
(referrals_of), and the start page's part in two queries, however many referrals."""

from django.utils import timezone

from clients import dossier
from clients.models import Client
from diagnosis.models import Referral, signal_days

# The start page shows the longest-waiting referrals; the list page has them all.
START_ROWS = 10


# The referrals, with what Referral.objects.for_dossier() reads of them, and their practical
# assessments come as JSON rows with the dossier's query of the client.
ASSESSMENTS = dossier.JSONRows(
    "assessments", related=("planned_by", "evaluated_by"), order=("-starts_on", "-pk")
)
REFERRALS = dossier.JSONRows(
    "diagnosis_referrals",
    related=(
        "referred_by",
        "team",
        "withdrawn_by",
        "answered_by_intake",
        "answered_by_intake__consultant",
    ),
    order=("-referred_at", "-pk"),
    nested=(ASSESSMENTS,),
)


@dossier.register_reads(12)
def referrals_read(queryset, user):
    return REFERRALS.annotate(queryset)


def referrals_of(client: Client) -> list[Referral]:
    """The client's referrals with their practical assessments, newest first; once per client
    object, so the panel and the timeline share them."""
    return REFERRALS.of(client)


@dossier.register(12)
def referrals_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("diagnosis.view_referral"):
        return None
    today = timezone.localdate()
    referrals = referrals_of(client)
    for referral in referrals:
        referral.overdue = referral.is_overdue(today)
        referral.waiting = referral.days_waiting(today)
        referral.assessment_list = list(referral.assessments.all())
        for assessment in referral.assessment_list:
            assessment.shown = assessment.shown_status(today)
    return dossier.Panel(
        "diagnosis/_dossier.html",
        {
            "referrals": referrals,
            "has_open": any(r.is_open for r in referrals),
            "writable": not client.is_anonymised,
        },
    )


@dossier.register_start(5)
def open_referrals_part(user, caseload) -> dossier.Panel | None:
    """Open referrals to the user's teams, the longest waiting first, marked past the signal."""
    if not user.has_perm("diagnosis.answer_referral"):
        return None
    team_ids = list(user.teams.values_list("pk", flat=True))
    if not team_ids:
        return None
    today = timezone.localdate()
    referrals = Referral.objects.filter(team__in=team_ids).open()
    rows = list(referrals.select_related("client", "referred_by").oldest_first()[:START_ROWS])
    for row in rows:
        row.waiting = row.days_waiting(today)
        row.overdue = row.is_overdue(today)
    total = referrals.count()
    return dossier.Panel(
        "diagnosis/_open_referrals.html",
        {"open_referrals": rows, "open_total": total, "signal_days": signal_days()},
    )
