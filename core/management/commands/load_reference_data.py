from django.core.management.base import BaseCommand

from core.reference import REFERENCE_DATA, load_reference_data


class Command(BaseCommand):
    help = (
        "Load the reference data again: every municipality of core/data/municipalities.csv, the "
        "role groups, and each app's lists (routes, branch teams, activity kinds, wage-cost "
        "subsidy parameters, the lists of matching). `migrate` already loads them; this repairs "
        "a database changed by hand (safe to run again: rows an administrator changed, the "
        "service area and coordinates are kept)."
    )

    def handle(self, *args, **options):
        counts = load_reference_data()
        created = {}
        for load in REFERENCE_DATA:
            created |= load()
        self.stdout.write(
            f"Reference data loaded: {counts['municipalities']} municipalities "
            f"({counts['municipalities_created']} new), {counts['roles']} roles; new rows: "
            + ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in created.items())
            + "."
        )
