"""Timeline entries of a client's referrals to diagnosis: made, answered, withdrawn, and the
practical assessments planned and finished. Registered with clients.timeline when
DiagnosisConfig.ready() imports this module. They come from the rows the dossier's referrals
panel loads (diagnosis.dossier.referrals_of), so the dossier asks for them once (a client has a
handful of referrals, so they are read whole and cut to the page here)."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from clients.models import Client
from clients.timeline import Entry, register
from diagnosis.dossier import referrals_of


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=timezone.get_current_timezone())


@register
def referrals(client: Client, limit: int | None = None) -> Iterable[Entry]:
    """The newest `limit` events of the client's referrals (all without a limit), newest first."""
    entries = []
    referrals = referrals_of(client)
    for referral in referrals:
        at = referral.referred_at
        entries.append(
            Entry(timezone.localdate(at), at, "referral", "diagnosis/timeline/_made.html", referral)
        )
        if referral.answered_at:
            at = referral.answered_at
            entries.append(
                Entry(
                    timezone.localdate(at),
                    at,
                    "referral_answered",
                    "diagnosis/timeline/_answered.html",
                    referral,
                )
            )
        if referral.withdrawn_at:
            at = referral.withdrawn_at
            entries.append(
                Entry(
                    timezone.localdate(at),
                    at,
                    "referral_withdrawn",
                    "diagnosis/timeline/_withdrawn.html",
                    referral,
                )
            )
    for assessment in (a for referral in referrals for a in referral.assessments.all()):
        entries.append(
            Entry(
                timezone.localdate(assessment.created_at),
                assessment.created_at,
                "assessment_planned",
                "diagnosis/timeline/_assessment_planned.html",
                assessment,
            )
        )
        if assessment.evaluated_on:
            entries.append(
                Entry(
                    assessment.evaluated_on,
                    _moment(assessment.evaluated_on),
                    "assessment_finished",
                    "diagnosis/timeline/_assessment_finished.html",
                    assessment,
                )
            )
    entries.sort(key=lambda e: (e.date, e.created_at), reverse=True)
    return entries[:limit]
