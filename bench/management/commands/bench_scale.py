"""`manage.py bench_scale --clients N --output part.json`: one scale of make bench's table.

On an empty (migrated, reference-loaded) database of its own: first the import of a generated
folder of N clients against a plain COPY of the same rows (the tables are emptied again), then
a region of N clients (bench.region), then every page and job of the table; the figures go to
a JSON file that `bench_table` puts beside those of the other scale.
"""

import json
import time
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import setup_test_environment

from bench import region as regions
from bench import scale
from clients.models import Client


class Command(BaseCommand):
    help = "Measure the pages and jobs of make bench's table at one scale (empties the database)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--repeat", type=int, default=3, help="warm runs per page (median)")
        parser.add_argument(
            "--import-repeat",
            type=int,
            default=None,
            help="runs of the import and the COPY (default: 3, or 1 above 20,000 clients)",
        )

    def handle(self, *args, clients, output, repeat, import_repeat, **options):
        if clients < 100:
            raise CommandError("--clients must be at least 100.")
        if Client.objects.exists():
            raise CommandError("The database holds clients: give the benchmark one of its own.")
        # As under the test runner: DEBUG off, 'testserver' allowed, mail kept in memory.
        setup_test_environment(debug=False)
        if import_repeat is None:
            import_repeat = 3 if clients <= 20_000 else 1
        out = self.stdout
        began = time.perf_counter()
        imported = scale.measure_import(clients, import_repeat)
        out.write(
            f"  import of {imported['rows']:,} rows: {imported['import_s']:.1f} s, plain COPY "
            f"{imported['copy_s']:.1f} s ({time.perf_counter() - began:.0f} s with the folder)"
        )
        began = time.perf_counter()
        region = regions.generate(clients)
        out.write(
            f"  region of {clients:,} clients: {region.total:,} rows in "
            f"{time.perf_counter() - began:.1f} s; the coach measured has {region.caseload} "
            "clients (the same at every scale)"
        )
        began = time.perf_counter()
        measures = scale.measure_region(region, repeat=repeat)
        measures[scale.IMPORT] = scale.import_measure(imported, clients)
        out.write(f"  pages and jobs measured in {time.perf_counter() - began:.0f} s")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(
            json.dumps(
                {
                    "machine": scale.machine(),
                    "clients": clients,
                    "region": asdict(region),
                    "import": imported,
                    "measures": {name: asdict(m) for name, m in measures.items()},
                },
                indent=1,
            )
        )
