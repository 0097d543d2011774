"""`manage.py kpis --from DATE --to DATE`: the KPI document of spec/kpis.md as JSON."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from reporting.kpis import Period, compute


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from None


def period_from(start: str, end: str) -> Period:
    """The period of `--from` and `--to` (both inclusive), or a CommandError saying why not."""
    try:
        return Period(_date(start), _date(end))
    except ValueError as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = "Print the KPIs of a period (both dates inclusive) as the JSON of spec/kpis.md."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, type=str, metavar="DATE")
        parser.add_argument("--to", dest="end", required=True, type=str, metavar="DATE")

    def handle(self, *args, start, end, **options):
        period = period_from(start, end)
        self.stdout.write(json.dumps(compute(period), indent=2, ensure_ascii=False))
