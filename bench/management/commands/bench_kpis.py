"""`manage.py bench_kpis`: the KPI document against plain SQL of the same definitions.

Run it against a database of its own (make bench does): with --clients N it first fills an
empty database with N synthetic clients, ten contacts each and proportional trajectories,
placements, assessments and provisions.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import kpis as bench
from clients.models import Client
from reporting import kpis, report
from reporting.kpis import Period


class Command(BaseCommand):
    help = "Time the KPI document (reporting.kpis) against plain SQL for the same definitions."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=0, help="generate this many first")
        parser.add_argument("--year", type=int, default=2024)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, clients, year, repeat, **options):
        if clients:
            if Client.objects.exists():
                raise CommandError("--clients needs an empty database (migrated, reference data)")
            generated = bench.generate(clients)
            self.stdout.write(f"generated {generated.rows:,} rows: {generated}")
        period = Period.year(year)
        problems = bench.disagreements(kpis.compute(period), bench.plain_sql(period))
        measured = bench.measure(period, repeat=repeat)
        began = time.perf_counter()
        report.build(period, with_projects=False)
        page = time.perf_counter() - began
        clients_total = Client.objects.count()
        self.stdout.write(
            f"KPI document {year} on {connection.vendor}, {clients_total:,} clients: "
            f"product {measured.product * 1000:.0f} ms, plain SQL {measured.plain * 1000:.0f} ms, "
            f"ratio {measured.ratio:.2f} (goal: at most 2); "
            f"same figures: {'yes' if not problems else 'NO'}"
        )
        self.stdout.write(
            f"the dashboard's report (this year and last, breakdowns, charts): {page * 1000:.0f} ms"
        )
        if problems:
            raise CommandError("the product and the plain SQL disagree: " + "; ".join(problems))
