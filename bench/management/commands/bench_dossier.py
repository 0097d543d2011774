"""`manage.py bench_dossier [--user coach] [--client PK] [--runs 10] [--charts-cold]
[--explain]`: one dossier as its coach opens it, with the settings this process runs with
(production's unless told otherwise): each query with the line of the product that made it
(with `--explain`, on PostgreSQL, also the time the database took to plan and to run each
read, from EXPLAIN ANALYZE), then the median server time of `runs` views. Without `--client`
it takes the user's dossier that runs the most queries. `--charts-cold` times the views as the
first after the client's figures changed: its charts drawn by matplotlib, not taken from the
cache (core.charts.drawn_once)."""

import contextlib
import statistics
import time
import traceback
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from core import charts
from core.models import User

ROOT = str(Path(settings.BASE_DIR)) + "/"


class _Origins:
    """An execute wrapper that notes each query with the product's lines that made it."""

    def __init__(self):
        self.rows = []

    def __call__(self, execute, sql, params, many, context):
        ours = [
            f
            for f in traceback.extract_stack()
            if f.filename.startswith(ROOT) and "/.venv/" not in f.filename
        ][:-1]
        where = " < ".join(f"{f.filename[len(ROOT) :]}:{f.lineno}" for f in ours[-3:][::-1])
        self.rows.append((sql, params, where))
        return execute(sql, params, many, context)


class _NoDrawnCharts:
    """The cache as core.charts sees it with --charts-cold: no chart was drawn before."""

    def get(self, key, default=None):
        return default

    def set(self, *args, **kwargs):
        pass


class Command(BaseCommand):
    help = "The queries and the server time of one dossier, as its coach opens it."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="coach")
        parser.add_argument("--client", type=int)
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument(
            "--charts-cold", action="store_true", help="draw the charts on every view"
        )
        parser.add_argument(
            "--explain",
            action="store_true",
            help="PostgreSQL: each read's planning and execution time (EXPLAIN ANALYZE)",
        )

    def handle(self, *args, user, client, runs, charts_cold, explain, **options):
        settings.ALLOWED_HOSTS = ["*"]
        coach = User.objects.get(username=user)
        browser = Browser()
        browser.force_login(coach)

        def view(pk):
            return browser.get(reverse("clients:detail", args=[pk]))

        if client is None:
            counted = []
            for pk in Client.objects.for_user(coach).values_list("pk", flat=True):
                view(pk)  # once, so that the count is of a dossier opened before
                with CaptureQueriesContext(connection) as queries:
                    view(pk)
                counted.append((len(queries), pk))
            client = max(counted)[1]
        view(client)
        origins = _Origins()
        with connection.execute_wrapper(origins):
            status = view(client).status_code
        self.stdout.write(f"client {client}: status {status}, {len(origins.rows)} queries")
        explain = explain and connection.vendor == "postgresql"
        for number, (sql, params, where) in enumerate(origins.rows, 1):
            took = _planned_and_run(sql, params) if explain else ""
            self.stdout.write(f"{number:3} {sql[:120]}\n      {where}{took}")
        wall, cpu = [], []
        cold = (
            mock.patch.object(charts, "cache", _NoDrawnCharts())
            if charts_cold
            else contextlib.nullcontext()
        )
        with cold:
            for _ in range(runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                view(client)
                wall.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
        self.stdout.write(
            f"median of {runs}: {statistics.median(wall) * 1000:.0f} ms "
            f"({statistics.median(cpu) * 1000:.0f} ms CPU)"
            + (", charts drawn on every view" if charts_cold else "")
        )


def _planned_and_run(sql: str, params) -> str:
    """A read's planning and execution time as PostgreSQL's EXPLAIN ANALYZE reports them."""
    if not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()[0]
    planned, ran = plan["Planning Time"], plan["Execution Time"]
    return f"\n      planned in {planned:.1f} ms, ran in {ran:.1f} ms"
