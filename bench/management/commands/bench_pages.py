"""`manage.py bench_pages var/bench/large-postgresql.json`: make bench's pages measured again
on the region a run left in the database, without generating it again.

A region of a million clients takes a quarter of an hour to import and generate; a change to
one page needs only that page measured again. The file is the JSON `bench_scale` wrote for the
database the command runs against (same DATABASE_URL); `--only` names pages (PAGES in
bench/scale.py), `--update` writes the new figures into the file, so that `bench_table` prints
the table with them.
"""

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import setup_test_environment

from bench import scale
from bench.region import Region
from clients.models import Client
from core.models import User


class Command(BaseCommand):
    help = "Measure make bench's pages again on the region a run left in this database."

    def add_arguments(self, parser):
        parser.add_argument("part", type=Path, help="the JSON bench_scale wrote for this database")
        parser.add_argument("--only", default="", help="pages, comma-separated (default: all)")
        parser.add_argument("--repeat", type=int, default=3, help="warm runs per page (median)")
        parser.add_argument("--update", action="store_true", help="write the figures to the file")

    def handle(self, *args, part, only, repeat, update, **options):
        data = json.loads(part.read_text())
        region = Region(**data["region"])
        held = (
            Client.objects.count() == region.clients
            and User.objects.filter(username=region.coach).exists()
            and Client.objects.filter(pk=region.dossier).exists()
        )
        if not held:  # a region of another size: its figures would overwrite the wrong ones
            raise CommandError(f"This database does not hold the region of {part}.")
        names = {name.strip() for name in only.split(",") if name.strip()} or None
        unknown = (names or set()) - set(scale.PAGES)
        if unknown:
            raise CommandError(f"Unknown pages: {', '.join(sorted(unknown))}.")
        try:
            setup_test_environment(debug=False)  # as bench_scale measures them
        except RuntimeError:
            pass  # under the test runner: set up already
        measures = scale.measure_region(region, repeat=repeat, only=names)
        width = max(len(name) for name in measures)
        for name, measure in measures.items():
            before = data["measures"].get(name, {}).get("seconds")
            was = f" (was {before * 1000:,.0f} ms)" if before is not None else ""
            self.stdout.write(
                f"{name:<{width}}  {measure.seconds * 1000:9,.0f} ms  {measure.queries:3} queries"
                f"{was}"
            )
            if update:
                data["measures"][name] = asdict(measure)
        if update:
            part.write_text(json.dumps(data, indent=1))
