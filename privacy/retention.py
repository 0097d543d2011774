"""The retention rule: which clients are due for anonymisation, and from what date.

DOMAIN.md: data are kept for a period the records manager sets per kind of dossier. That period
is a `RetentionPeriod` row (set in the administration); without one, settings.RETENTION_YEARS.
"""

import datetime

from django.conf import settings

from clients.models import Client
from privacy.models import DossierKind, RetentionPeriod, RetentionProposalItem


def retention_years(kind: str = DossierKind.CLIENT) -> int:
    """The retention period of this kind of dossier, in years after it closed."""
    period = RetentionPeriod.objects.filter(dossier_kind=kind).values_list("years", flat=True)
    return period.first() or settings.RETENTION_YEARS


def years_before(date: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February becomes 28 February in a common year."""
    try:
        return date.replace(year=date.year - years)
    except ValueError:
        return date.replace(year=date.year - years, day=28)


def clients_due(*, today: datetime.date, years: int):
    """Clients deregistered at least `years` ago (exactly then included), not anonymised yet,
    and not in an unfinished proposal."""
    cutoff = years_before(today, years)
    pending = RetentionProposalItem.objects.pending().values("client")
    return (
        Client.objects.not_anonymised()
        .filter(deregistered_on__lte=cutoff)
        .exclude(pk__in=pending)
        .order_by("deregistered_on", "pk")
    )
