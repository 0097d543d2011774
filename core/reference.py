"""Reference data every installation needs: the municipalities and the role groups.

Both arrive with `manage.py migrate` (core/migrations/0006_load_municipalities and the
post_migrate signal that runs roles.sync_roles); `load_reference_data` runs them again, for a
database that was changed by hand. The service area is not reference data: a functional
administrator chooses it (core.views.ServiceAreaView) or an import's service_area.csv sets it.
"""

from django.db import transaction

from core import municipalities, roles
from core.registry import OrderedRegistry

# Each domain app's loader of its own lists (routes, sectors, ...): load() -> {kind: created};
# registered when the app's reference module is imported (its AppConfig.ready).
REFERENCE_DATA = OrderedRegistry()


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create or update the municipalities and the role groups; running it again changes nothing."""
    counts = municipalities.load()
    roles.sync_roles()
    return {
        "municipalities": counts["municipalities"],
        "municipalities_created": counts["created"],
        "roles": len(roles.PERMISSIONS),
    }
