"""`manage.py bench_table --small a.json --large b.json --output latest.json`: make bench's
table of two scales measured by bench_scale, printed and written as JSON."""

import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import scale


def _measures(part: dict) -> dict[str, scale.Measure]:
    return {name: scale.Measure(**m) for name, m in part["measures"].items()}


class Command(BaseCommand):
    help = "Put the figures of two scales side by side: a table, and the same as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--small", type=Path, required=True)
        parser.add_argument("--large", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--copy-to", type=Path, action="append", default=[])

    def handle(self, *args, small, large, output, copy_to, **options):
        small_part = json.loads(small.read_text())
        large_part = json.loads(large.read_text())
        rows = scale.build(_measures(small_part), _measures(large_part))
        imported = large_part["import"]
        document = scale.as_json(
            rows,
            machine=large_part["machine"],
            clients=large_part["clients"],
            import_rows_per_s=round(imported["rows"] / imported["import_s"]),
            copy_rows_per_s=round(imported["rows"] / imported["copy_s"]),
        )
        output.write_text(json.dumps(document, indent=2) + "\n")
        for path in copy_to:
            shutil.copyfile(output, path)
        region = large_part["region"]
        baseline = (
            "plain COPY with keys rebuilt"
            if "PostgreSQL" in document["machine"]
            else "plain executemany"
        )
        self.stdout.write(f"Machine: {document['machine']}")
        self.stdout.write(
            scale.table(
                rows, small_clients=small_part["clients"], large_clients=large_part["clients"]
            )
        )
        self.stdout.write(
            f"Import of {imported['rows']:,} rows: {document['import_rows_per_s']:,} rows/s; "
            f"{baseline}, same run: "
            f"{document['copy_rows_per_s']:,} rows/s. Pages: median of warm runs, server time "
            f"(django.test.Client), for a coach with {region['caseload']} clients at both "
            f"scales; the dashboard with its cache emptied. Written to {output}."
        )
