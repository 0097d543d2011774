from django.core.management.base import BaseCommand

from core.reference import load_reference_data


class Command(BaseCommand):
    help = "Load the municipalities of the region and the role groups (safe to run again)."

    def handle(self, *args, **options):
        counts = load_reference_data()
        self.stdout.write(
            f"Reference data loaded: {counts['municipalities']} municipalities "
            f"({counts['municipalities_created']} new), {counts['roles']} roles."
        )
