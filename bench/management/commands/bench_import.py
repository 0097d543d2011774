"""`make bench`: the import's rows per second next to a plain COPY of the same rows, same run.

PERFORMANCE.md's yardstick: a COPY of the same rows into the same tables with the keys dropped
and rebuilt inside the transaction (COMMIT included). The goal: the validated, all-or-nothing
import within twice that time, and an unchanged re-import that writes nothing.
"""

import resource
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction

from bench import interchange as bench
from clients.models import Client
from core.reference import load_reference_data
from interchange import engine, writer
from interchange.engine import import_folder
from interchange.progress import TerminalProgress
from trajectories import reference

# Children first: the order to empty the tables in.
TABLES = [
    "placements_provision",
    "placements_wagevalueassessment",
    "placements_placement",
    "clients_contact",
    "trajectories_trajectory",
    "employers_employer",
    "clients_client",
]


def _checkpoint():
    """On PostgreSQL, write to disk now what the work before left in memory, so that each
    measured path starts as the others do. Without it the checkpoints the write-ahead log asks
    for (two or three a run at 100,000 clients, pg_stat_bgwriter.checkpoints_req) fell in one
    path or another: the COPY of the same rows took 9.9 to 14.5 s in one hour's runs. Needs a
    superuser or pg_checkpoint."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:  # not allowed: measured without
        pass


def _reset():
    """Empty the tables, then a checkpoint."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        else:
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                "DELETE FROM sqlite_sequence WHERE name IN ({})".format(
                    ", ".join(f"'{t}'" for t in TABLES)
                )
            )
    _checkpoint()


def _tsv_rows(path: Path):
    for line in open(path, encoding="utf-8"):  # noqa: SIM115
        yield tuple(
            None if v == "\\N" else 1 if v == "t" else 0 if v == "f" else v
            for v in line.rstrip("\n").split("\t")
        )


def _plain_copy(generated: bench.Generated) -> tuple[float, dict[str, tuple[float, float]]]:
    """COPY every table-form file into its table, keys dropped and rebuilt: the seconds, and
    per table those of the COPY (its keys dropped first) and of rebuilding its keys."""
    started = time.perf_counter()
    parts = {}
    with transaction.atomic():
        for _file, (table, columns, path) in generated.tables.items():
            began = time.perf_counter()
            if connection.vendor == "postgresql":
                with writer._KeysDropped(table), open(path, "rb") as data:
                    writer.copy_file(table, columns, data)
                    copied = time.perf_counter()
            else:
                writer._load(table, columns, _tsv_rows(path))
                copied = time.perf_counter()
            parts[table] = (copied - began, time.perf_counter() - copied)
    return time.perf_counter() - started, parts


class _SlowStatements:
    """The statements over a time, as the connection runs them (an execute wrapper: a COPY, and
    the rows a server-side cursor fetches after its statement, are not among them)."""

    def __init__(self, milliseconds: float):
        self.seconds = milliseconds / 1000
        self.found: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - began
            if took >= self.seconds:
                self.found.append((took, " ".join(sql.split())))


class Command(BaseCommand):
    help = (
        "Benchmark the interchange import: generate N clients with 10 contacts each and "
        "proportional other files, then time a plain COPY of the same rows, the import, and "
        "an unchanged re-import, in this one run. Empties the imported tables: use a database "
        "of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=100_000)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the tables first even when the database holds clients (bench only!).",
        )
        parser.add_argument("--keep", action="store_true", help="Keep the imported rows.")
        parser.add_argument(
            "--slow-statements",
            type=float,
            metavar="MS",
            help="Also list the import's statements that took at least MS milliseconds.",
        )
        parser.add_argument(
            "--switch-interval",
            type=float,
            metavar="SECONDS",
            help="Python's switch interval while files are checked side by side (the engine's "
            "SWITCH_INTERVAL by default; Python's own is 0.005).",
        )
        parser.add_argument(
            "--one-file-at-a-time",
            action="store_true",
            help="Check the files one after the other, not side by side (interchange.engine), "
            "to compare the two.",
        )

    def handle(self, *args, one_file_at_a_time, switch_interval, **options):
        side_by_side, interval = engine.SIDE_BY_SIDE, engine.SWITCH_INTERVAL
        engine.SIDE_BY_SIDE = not one_file_at_a_time
        engine.SWITCH_INTERVAL = switch_interval or interval
        try:
            self._run(**options)
        finally:
            engine.SIDE_BY_SIDE, engine.SWITCH_INTERVAL = side_by_side, interval

    def _run(self, *, clients, reset, keep, slow_statements, **options):
        if Client.objects.exists() and not reset:
            raise CommandError(
                "The database holds clients; the benchmark empties the tables. Use a database "
                "of its own, or pass --reset if this one may be emptied."
            )
        load_reference_data()
        reference.load()
        out = self.stdout
        with tempfile.TemporaryDirectory(prefix="bench-interchange-") as work:
            folder = Path(work) / "folder"
            started = time.perf_counter()
            generated = bench.generate(folder, clients=clients)
            out.write(
                f"Generated {generated.total:,} rows ({clients:,} clients) in "
                f"{time.perf_counter() - started:.1f} s on {connection.vendor}."
            )
            _reset()
            copy_seconds, copy_parts = _plain_copy(generated)
            _reset()
            progress = TerminalProgress(self.stderr._out)
            slow = _SlowStatements(slow_statements if slow_statements is not None else 1e12)
            started = time.perf_counter()
            with connection.execute_wrapper(slow):
                result = import_folder(folder, progress=progress)
            import_seconds = time.perf_counter() - started
            if result.problems:
                raise CommandError(f"The generated folder has problems: {result.problems[:5]}")
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            _checkpoint()
            started = time.perf_counter()
            again = import_folder(folder, progress=progress)
            reimport_seconds = time.perf_counter() - started
            unchanged = sum(c["unchanged"] for c in again.summary.values())
            if not keep:
                _reset()
        rows = generated.total
        out.write("")
        out.write(f"{'path':<52}{'seconds':>9}{'rows/s':>12}")
        baseline = (
            "plain COPY, keys dropped and rebuilt (baseline)"
            if connection.vendor == "postgresql"
            else "plain executemany of the rows (baseline)"
        )
        for label, seconds in (
            (baseline, copy_seconds),
            ("import: checked, all-or-nothing", import_seconds),
            (f"re-import, unchanged ({unchanged:,} rows unchanged)", reimport_seconds),
        ):
            out.write(f"{label:<52}{seconds:>9.1f}{rows / seconds:>12,.0f}")
        out.write("")
        out.write(
            "import: checking {check:.1f} s, writing (one transaction, COMMIT included) "
            "{write:.1f} s; re-import: checking {check2:.1f} s, writing {write2:.1f} s".format(
                check=result.seconds["check"],
                write=result.seconds["write"],
                check2=again.seconds["check"],
                write2=again.seconds["write"],
            )
        )
        for run, outcome in (("import", result), ("re-import", again)):
            seconds_of = outcome.seconds
            for step in ("check", "write"):
                per_file = ", ".join(
                    f"{name.removeprefix(step + ' ')} {seconds:.1f} s"
                    for name, seconds in seconds_of.items()
                    if name.startswith(step + " ")
                )
                label = "checking" if step == "check" else "writing"
                # Files checked side by side (interchange.engine): a file's time is its own,
                # and the times of two files overlap.
                side_by_side = step == "check" and outcome.side_by_side
                overlap = " (side by side: they overlap)" if side_by_side else ""
                out.write(f"{run}, {label} per file{overlap}: {per_file}")
        out.write(
            "plain COPY per table (the COPY + rebuilding its keys): "
            + ", ".join(f"{t} {c:.1f} + {k:.1f} s" for t, (c, k) in copy_parts.items())
        )
        if slow_statements is not None:
            out.write(
                f"import's statements of {slow_statements:g} ms or more (not a COPY, nor a "
                f"server-side cursor's fetches): {len(slow.found)}"
            )
            for took, sql in slow.found:
                out.write(f"  {took:6.2f} s  {sql[:160]}")
        out.write(
            f"import / plain COPY: {import_seconds / copy_seconds:.2f}x (goal on PostgreSQL: "
            f"at most 1.5x, PERFORMANCE.md's 2x); peak memory of this process: {peak_mib:,.0f} MiB"
        )
        out.write(
            f"re-import / plain COPY: {reimport_seconds / copy_seconds:.2f}x (goal: at most 1x)"
        )
        # What the ratio is made of (README, "Speed of the import", at its end): the writing
        # alone (the staged rows into the tables, keys rebuilt, COMMIT) and the checking alone,
        # each against the same COPY.
        out.write(
            "import's parts / plain COPY: writing {write:.2f}x, checking {check:.2f}x".format(
                write=result.seconds["write"] / copy_seconds,
                check=result.seconds["check"] / copy_seconds,
            )
        )
