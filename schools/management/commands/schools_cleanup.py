"""Remove the school leavers who never became a client once their time is up (README,
"School leavers"); run yearly, e.g. in January from cron or Celery beat."""

from django.core.management.base import BaseCommand

from schools.services import KEEP_YEARS, leavers_cleanup


class Command(BaseCommand):
    help = "Delete school leavers who never became a client and left school years ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-years",
            type=int,
            default=KEEP_YEARS,
            help="Calendar years kept: this year's leavers and the years before (default 2).",
        )

    def handle(self, *args, keep_years, **options):
        if keep_years < 1:
            self.stderr.write("--keep-years must be at least 1")
            return
        removed = leavers_cleanup(keep_years=keep_years)
        self.stdout.write(f"{removed} school leavers removed")
