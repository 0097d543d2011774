"""Reference data every installation needs: the municipalities of the region and the role groups."""

from django.db import transaction

from core import roles
from core.models import Municipality

# (name, CBS code): the twelve municipalities of Drenthe and the two Groningen neighbours
# whose residents most often move in and out of the region.
MUNICIPALITIES = [
    ("Aa en Hunze", "GM1680"),
    ("Assen", "GM0106"),
    ("Borger-Odoorn", "GM1681"),
    ("Coevorden", "GM0109"),
    ("De Wolden", "GM1690"),
    ("Emmen", "GM0114"),
    ("Hoogeveen", "GM0118"),
    ("Meppel", "GM0119"),
    ("Midden-Drenthe", "GM1731"),
    ("Noordenveld", "GM1699"),
    ("Tynaarlo", "GM1730"),
    ("Westerveld", "GM1701"),
    ("Groningen", "GM0014"),
    ("Midden-Groningen", "GM1952"),
]

# The municipalities the company works for, on a fresh installation.
SERVICE_AREA = {"Aa en Hunze", "Assen", "Tynaarlo"}


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create or update the municipalities and the role groups; running it again changes nothing."""
    created = 0
    for name, cbs_code in MUNICIPALITIES:
        # The service area is only a starting value: an administrator may change it later,
        # and a reload must not undo that.
        _municipality, was_created = Municipality.objects.update_or_create(
            name=name,
            defaults={"cbs_code": cbs_code},
            create_defaults={"cbs_code": cbs_code, "in_service_area": name in SERVICE_AREA},
        )
        created += was_created
    roles.sync_roles()
    return {
        "municipalities": len(MUNICIPALITIES),
        "municipalities_created": created,
        "roles": len(roles.PERMISSIONS),
    }
