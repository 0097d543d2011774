"""`manage.py report --from DATE --to DATE --format pdf|xlsx --output FILE` (spec/kpis.md).

Writes the report of a period, the same document a manager downloads (reporting.services: the
code the worker runs), built here and now: no worker, no broker, no run recorded.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting import services
from reporting.management.commands.kpis import period_from


class Command(BaseCommand):
    help = "Write the report of a period (both dates inclusive) as a PDF or an xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, type=str, metavar="DATE")
        parser.add_argument("--to", dest="end", required=True, type=str, metavar="DATE")
        parser.add_argument("--format", dest="file_format", required=True, choices=services.FORMATS)
        parser.add_argument("--output", required=True, type=Path, metavar="FILE")

    def handle(self, *args, start, end, file_format, output, **options):
        period = period_from(start, end)
        if output.is_dir():
            raise CommandError(f"--output is a folder, not a file: {output}")
        if not output.parent.is_dir():
            raise CommandError(f"no such folder for --output: {output.parent}")
        content = services.report_write(period=period, file_format=file_format)
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"{output}: {len(content)} bytes")
