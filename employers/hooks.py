"""What the employers side keeps up to date when something on the clients side changes.

Registered with the clients app (it never imports this one): a client who moves takes their
candidate profile along, so distances to vacancies stay right.
"""

from clients.services import PLACE_CHANGED
from employers import locations
from employers.models import CandidateProfile


@PLACE_CHANGED.register(10)
def locate_candidates(client_ids) -> None:
    locations.refresh_candidates(CandidateProfile.objects.filter(client_id__in=client_ids))
