"""Load a newer list of municipalities (CBS), in the columns of core/data/municipalities.csv."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import municipalities


class Command(BaseCommand):
    help = (
        "Load a list of municipalities in the format of core/data/municipalities.csv (see "
        "core/data/README.md): new municipalities are added, names and mergers updated. The "
        "service area and coordinates already set are kept; when a municipality of the service "
        "area merges, its successors join the service area. All or nothing; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file")

    def handle(self, csv_file, **options):
        try:
            with transaction.atomic():
                counts = municipalities.load(path=csv_file)
                follows = municipalities.service_area_follow(counts["ended_in_service_area"])
        except (OSError, municipalities.InvalidList) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{counts['municipalities']} municipalities in the list: {counts['created']} new, "
            f"{counts['updated']} changed."
        )
        for successor, ended in follows.items():
            self.stdout.write(f"Service area: {successor} added (successor of {', '.join(ended)}).")
