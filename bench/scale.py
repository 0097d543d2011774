"""The table of `make bench`: each page and job at a small region and at a large one.

`measure_region()` times, in the database at hand filled by bench.region.generate(), every
page as its user gets it (django.test.Client, logged in with the role the page is for; the
time is the server's: the request through every middleware, without a network) and the jobs
(`kpis` for a year, the PDF report), the median of `repeat` warm runs, with the queries of a
run. `measure_import()` times the interchange import against a plain COPY of the same rows
(bench_import's yardstick) into the same, still empty database. `build()` puts the figures of
two scales side by side with the ratios and their goals; `table()` prints them and `as_json()`
gives var/bench/latest.json's shape.
"""

import datetime
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

GOAL_RATIO = 1.5  # large / small
GOAL_SQL = 2.0  # product / plain SQL
IMPORT = "import, per 1,000 clients"
# The rows of the table, in order; the import comes last.
PAGES = [
    "caseload list",
    "dossier",
    "agenda (coach's week)",
    "client form (register)",
    "team view",
    "unassigned worklist",
    "candidate ranking (vacancy)",
    "dashboard (not cached)",
    "kpis for a year",
    "PDF report",
]


@dataclass
class Measure:
    seconds: float
    queries: int
    plain: float | None = None  # seconds of plain SQL computing the same, where there is one


def timed(
    function: Callable, repeat: int, before: Callable | None = None, *, warm_up: bool = True
) -> Measure:
    """The median seconds of `repeat` runs after one warm-up, and the queries of the last.
    Without `warm_up` (a job of seconds, whose median leaves a cold first run out anyway) the
    runs start at once."""
    if warm_up:
        function()
    times = []
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            function()
            times.append(time.perf_counter() - began)
    return Measure(statistics.median(times), len(queries.captured_queries))


def _median(function: Callable, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _page(user, url: str) -> Callable:
    from django.test import Client

    browser = Client()
    browser.force_login(user)

    def get():
        response = browser.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code} for {user}")
        return response

    return get


def year_measured() -> int:
    return datetime.date.today().year - 1


def measure_region(region, repeat: int = 3, only: set[str] | None = None) -> dict[str, Measure]:
    """Every page and job of the table (the import apart) in the database `region` fills; with
    `only`, those named there."""
    from django.core.cache import cache
    from django.urls import reverse

    from bench import kpis as plain_kpis
    from core.models import User
    from reporting import kpis, services
    from reporting.kpis import Period

    coach = User.objects.get(username=region.coach)
    manager = User.objects.get(username=region.manager)
    account_manager = User.objects.get(username=region.account_manager)
    year, week, _day = datetime.date.today().isocalendar()
    period = Period.year(year_measured())
    pages = {
        "caseload list": (coach, reverse("clients:list")),
        "dossier": (coach, reverse("clients:detail", args=[region.dossier])),
        "agenda (coach's week)": (coach, reverse("agenda:week", args=[year, week])),
        # Its team and coach are typed with suggestions: a list of every one of the region's
        # 20,000 coaches made it 1.3 s at a million clients.
        "client form (register)": (coach, reverse("clients:create")),
        "team view": (coach, reverse("teams:detail", args=[region.branch_team])),
        "unassigned worklist": (manager, reverse("clients:unassigned")),
        "candidate ranking (vacancy)": (
            account_manager,
            reverse("employers:vacancy_detail", args=[region.vacancy]),
        ),
        "dashboard (not cached)": (manager, reverse("reporting:dashboard")),
    }
    wanted = set(PAGES) if only is None else only
    measured = {}
    for name, (user, url) in pages.items():
        if name not in wanted:
            continue
        before = cache.clear if name.startswith("dashboard") else None
        measured[name] = timed(_page(user, url), repeat, before, warm_up=before is None)
    if "candidate ranking (vacancy)" in measured:
        measured["candidate ranking (vacancy)"].plain = _plain_ranking(
            measured["candidate ranking (vacancy)"].seconds, region, repeat
        )
    if "kpis for a year" in wanted:
        measured["kpis for a year"] = timed(lambda: kpis.compute(period), repeat)
        measured["kpis for a year"].plain = plain_kpis.measure(period, repeat=repeat).plain
    if "PDF report" in wanted:
        measured["PDF report"] = timed(
            lambda: services.report_write(period=period, file_format="pdf"),
            max(repeat, 3),
            warm_up=False,
        )
    return measured


def _plain_ranking(page_seconds: float, region, repeat: int) -> float:
    """The ranking against the plain list of the same candidates, taken in turns as
    bench_matching does; returned as the page's time scaled by that ratio, so that the row's
    ratio to plain SQL is the ranking's own (the page's rendering is the same either way)."""
    from bench import matching as sides
    from employers.models import CandidateProfile, Vacancy

    vacancy = Vacancy.objects.get(pk=region.vacancy)
    matchable = CandidateProfile.objects.matchable()
    # The ranking against the plain list of the same candidates, taken in turns (bench_matching).
    sides.plain(matchable)
    sides.ranking(vacancy, matchable)
    ranking_s, plain_s = [], []
    for _ in range(repeat):
        ranking_s.append(_median(lambda: sides.ranking(vacancy, matchable), 1))
        plain_s.append(_median(lambda: sides.plain(matchable), 1))
    return page_seconds * statistics.median(plain_s) / statistics.median(ranking_s)


def measure_import(clients: int, repeat: int) -> dict:
    """The import of a generated folder of `clients` clients into the empty tables, and a plain
    COPY of the same rows with keys rebuilt (SQLite: executemany), `repeat` times each, in
    turns; the tables are emptied again afterwards."""
    from bench import interchange as folder_maker
    from bench.management.commands.bench_import import _plain_copy, _reset
    from interchange.engine import import_folder
    from trajectories import reference

    reference.load()
    with tempfile.TemporaryDirectory(prefix="bench-interchange-") as work:
        folder = Path(work) / "folder"
        generated = folder_maker.generate(folder, clients=clients)
        copies, imports, queries = [], [], 0
        for _ in range(repeat):
            _reset()
            copies.append(_plain_copy(generated)[0])
            _reset()
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                result = import_folder(folder)
                imports.append(time.perf_counter() - began)
            if result.problems:
                raise RuntimeError(f"the generated folder has problems: {result.problems[:5]}")
            queries = len(captured.captured_queries)
        _reset()
    return {
        "rows": generated.total,
        "import_s": statistics.median(imports),
        "copy_s": statistics.median(copies),
        "queries": queries,
    }


def import_measure(imported: dict, clients: int) -> Measure:
    """The import as a row of the table: seconds per 1,000 clients (12,120 rows)."""
    per = 1000 / clients
    return Measure(imported["import_s"] * per, imported["queries"], plain=imported["copy_s"] * per)


def machine() -> str:
    """What the figures were measured on, read from this system."""
    parts = [f"{os.cpu_count()} vCPU"]
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
        parts.append(f"{kib / 1024**2:.0f} GiB")
    except (OSError, ValueError, IndexError):
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            parts.append(f"PostgreSQL {cursor.fetchone()[0].split()[0]}")
    parts.append(f"SQLite {sqlite3.sqlite_version}")
    parts.append(f"Python {platform.python_version()}")
    return ", ".join(parts)


@dataclass
class Row:
    name: str
    small_s: float
    large_s: float
    ratio: float
    small_queries: int
    large_queries: int
    sql_ratio: float | None

    @property
    def misses(self) -> list[str]:
        """The goals this row misses: 'ratio', 'queries', 'sql_ratio'."""
        missed = []
        if self.ratio > GOAL_RATIO:
            missed.append("ratio")
        if self.small_queries != self.large_queries:
            missed.append("queries")
        if self.sql_ratio is not None and self.sql_ratio > GOAL_SQL:
            missed.append("sql_ratio")
        return missed


def _ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("inf")


def build(small: dict[str, Measure], large: dict[str, Measure]) -> list[Row]:
    """The rows of the table from the measures of the two scales (by name, in PAGES' order)."""
    rows = []
    for name in [*PAGES, IMPORT]:
        if name not in small or name not in large:
            continue
        s, g = small[name], large[name]
        rows.append(
            Row(
                name=name,
                small_s=round(s.seconds, 4),
                large_s=round(g.seconds, 4),
                ratio=_ratio(g.seconds, s.seconds),
                small_queries=s.queries,
                large_queries=g.queries,
                sql_ratio=None if g.plain is None else _ratio(g.seconds, g.plain),
            )
        )
    return rows


def as_json(
    rows: list[Row], *, machine: str, clients: int, import_rows_per_s, copy_rows_per_s
) -> dict:
    return {
        "machine": machine,
        "clients": clients,
        "import_rows_per_s": import_rows_per_s,
        "copy_rows_per_s": copy_rows_per_s,
        "rows": [asdict(row) for row in rows],
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def table(rows: list[Row], *, small_clients: int, large_clients: int) -> str:
    """The rows as an aligned text table; a ratio that misses its goal carries a '!'."""
    header = [
        "",
        f"{small_clients:,} clients",
        f"{large_clients:,} clients",
        f"ratio (<= {GOAL_RATIO:g})",
        "queries",
        f"vs plain SQL (<= {GOAL_SQL:g})",
    ]
    lines = [header]
    for row in rows:
        misses = row.misses
        lines.append(
            [
                row.name,
                _ms(row.small_s),
                _ms(row.large_s),
                f"{row.ratio:.2f}" + (" !" if "ratio" in misses else "  "),
                f"{row.small_queries} / {row.large_queries}"
                + (" !" if "queries" in misses else "  "),
                "-"
                if row.sql_ratio is None
                else f"{row.sql_ratio:.2f}" + (" !" if "sql_ratio" in misses else "  "),
            ]
        )
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    text = []
    for number, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
        ]
        text.append("  ".join(cells).rstrip())
        if number == 0:
            text.append("  ".join("-" * width for width in widths))
    text.append("! misses its goal")
    return "\n".join(text)
