"""What placements tells the apps below it, through the registries they offer.

A client at work in a running placement is not available for another vacancy: the ranking of
a vacancy (employers.matching) leaves them out unless the account manager includes them.
"""

import datetime

from django.db.models import Q

from employers.matching import UNAVAILABLE
from placements.models import Placement, PlacementKind

# The kinds that are a job: regular employment, secondment, sheltered work and a work-and-learn
# place. A work-development place and a trial placement are not: both are a step towards a job,
# temporary and without an employer's commitment, so the client keeps looking and still ranks.
PLACED_KINDS = (
    PlacementKind.REGULAR,
    PlacementKind.SECONDMENT,
    PlacementKind.SHELTERED_WORK,
    PlacementKind.WORK_LEARNING,
)


@UNAVAILABLE.register(10)
def placed(on: datetime.date) -> Q:
    """Candidates with a placement of a PLACED_KINDS kind running on `on`: started on or
    before it and not ended before it."""
    running = Placement.objects.running_on(on).filter(kind__in=PLACED_KINDS)
    return Q(client_id__in=running.values("client_id"))
