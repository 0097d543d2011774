"""The diagnosis team may open the clients referred to it (clients.scope): while the referral
is open, while a practical assessment from it is unfinished, and for
DIAGNOSIS_FOLLOW_UP_DAYS after its answer (to see the advice land and plan an assessment).
Registered in DiagnosisConfig.ready()."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from clients import scope
from diagnosis.models import AssessmentStatus, Referral, ReferralStatus


def follow_up_days() -> int:
    return settings.DIAGNOSIS_FOLLOW_UP_DAYS


@scope.register
def referred_to_my_team(user) -> Q | None:
    """Clients referred to one of the user's teams, for a user who answers referrals."""
    if not user.has_perm("diagnosis.answer_referral"):
        return None
    since = timezone.now() - datetime.timedelta(days=follow_up_days())
    referrals = Referral.objects.filter(team__in=user.teams.values("pk")).filter(
        Q(status=ReferralStatus.OPEN)
        | Q(status=ReferralStatus.ANSWERED, answered_at__gte=since)
        | Q(assessments__status__in=[AssessmentStatus.PLANNED, AssessmentStatus.RUNNING])
    )
    return Q(pk__any_of=referrals.values("client"))  # core.lookups
