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

# The centre of each municipality (WGS84, its main town hall), for distances in matching.
# Other regions: `manage.py load_coordinates` reads a CSV (see its help).
COORDINATES = {
    "Aa en Hunze": ("53.00500", "6.76300"),
    "Assen": ("52.99250", "6.56490"),
    "Borger-Odoorn": ("52.92500", "6.79300"),
    "Coevorden": ("52.66100", "6.74100"),
    "De Wolden": ("52.67000", "6.42800"),
    "Emmen": ("52.78580", "6.89760"),
    "Hoogeveen": ("52.72500", "6.47600"),
    "Meppel": ("52.69600", "6.19400"),
    "Midden-Drenthe": ("52.86200", "6.51300"),
    "Noordenveld": ("53.13800", "6.42100"),
    "Tynaarlo": ("53.07400", "6.57600"),
    "Westerveld": ("52.83400", "6.36900"),
    "Groningen": ("53.21940", "6.56650"),
    "Midden-Groningen": ("53.16100", "6.76000"),
}

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
        latitude, longitude = COORDINATES[name]
        # Only where none are set: coordinates an administrator loaded are kept.
        Municipality.objects.filter(name=name, latitude__isnull=True).update(
            latitude=latitude, longitude=longitude
        )
    roles.sync_roles()
    return {
        "municipalities": len(MUNICIPALITIES),
        "municipalities_created": created,
        "roles": len(roles.PERMISSIONS),
    }
