"""The import of an interchange folder (spec/interchange.md, "Import").

Two phases. First every file is checked, streamed, and every problem is collected as
`file:line: column: what is wrong`; every row read goes, with its line and whether its cells
parsed, to a temporary staging table in the database (so memory never holds the rows), where
the checks of the whole file run. A file with row checks is read row by row in Python (on
PostgreSQL in a thread, side by side with the others: _check_side_by_side); the others are
loaded by COPY and checked in SQL (interchange.copyload). Only when no file has a problem does
the second phase write, in one transaction, in dependency order: SQL joins each staging table
to the records its refs name and compares it with what the product holds (interchange.writer).
A dry run does the same and rolls the transaction back, so its summary is exactly what the
import would do.
"""

import datetime
import functools
import heapq
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from psycopg._copy_base import TextFormatter
from psycopg.adapt import Transformer

from clients.handover import coach_periods_sync
from clients.models import Client
from core.models import Municipality, Team, User
from core.services import service_area_set
from interchange import copyload, formats, messages, parsers, writer
from interchange.municipalities import AS_OF, MunicipalityNames
from interchange.parsers import Invalid
from interchange.reader import (
    FIELD_MAX_CHARS,
    MalformedRow,
    TooLong,
    first_invalid_utf8_byte,
    read_rows,
)
from projects.models import Project, ProjectGroup
from projects.services import members_from_trajectories
from trajectories.models import BranchTeam, Route, Trajectory

# progress(stage, file, fraction): stage "check" or "write", fraction 0..1 within the file.
Progress = Callable[[str, str, float], None]


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.column}: {self.message}"

    def as_list(self) -> list:
        return [self.file, self.line, self.column, self.message]


# Beyond this many problems in one file, the rest are counted per column and kind, not kept one by
# one: a file of six million bad lines must not take gigabytes (issue 15). A few hundred show
# what is wrong; the counts show how much.
MAX_KEPT_PROBLEMS_PER_FILE = 500
# A kept message quotes at most this much (a message may echo a cell of up to 64 Ki characters).
MAX_MESSAGE_CHARS = 500


# How many parsed values of a column the check keeps to look up instead of parsing again.
KNOWN_VALUES_PER_COLUMN = 20_000
# Rows sent to a staging table at a time (one COPY each).
STAGE_BATCH = 20_000
_UNKNOWN = object()  # a cell text not parsed yet


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Problems:
    """The problems of one import: the first MAX_KEPT_PROBLEMS_PER_FILE of each file in full,
    and beyond that a count per file, column and kind (with its first and last line and the
    first message as an example). `total` stays exact; memory does not grow with the number of
    bad lines, only with the number of kinds.

    "First" is by line (and by column within a line), whatever order they are found in: the
    checks made in the database on a whole file (repeats, unknown refs) report after the checks
    of each row."""

    def __init__(self, kept_per_file: int = MAX_KEPT_PROBLEMS_PER_FILE):
        self.kept_per_file = kept_per_file
        self.total = 0
        self._seq = 0
        # file -> heap of ((-line, -column rank, -seq), seq, Problem): the last kept on top
        self._kept: dict[str, list] = defaultdict(list)
        self._ranks: dict[tuple[str, str], int] = {}
        # (file, column, code) -> [count, first line, last line, example message]
        self._more: dict[tuple[str, str, str], list] = {}
        # Two threads note problems while files are checked side by side (_check_side_by_side).
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, problem: Problem):
        self.note(problem.file, problem.line, problem.column, problem.message, problem.code)

    def _rank(self, file: str, column: str) -> int:
        rank = self._ranks.get((file, column))
        if rank is None:
            spec = formats.by_name().get(file)
            names = spec.column_names if spec else ()
            rank = names.index(column) if column in names else -1
            self._ranks[(file, column)] = rank
        return rank

    def note(self, file: str, line: int | None, column: str, message: str, code: str):
        """add(Problem(...)), without making the Problem when it is only counted: the check
        of a file of millions of bad lines spends its time here."""
        with self._lock:
            self._note(file, line, column, message, code)

    def _note(self, file: str, line: int | None, column: str, message: str, code: str):
        self.total += 1
        self._seq += 1
        heap = self._kept[file]
        key = (-(line or 0), -self._rank(file, column), -self._seq)
        if len(heap) < self.kept_per_file:
            problem = Problem(file, line, column, _shortened(message, MAX_MESSAGE_CHARS), code)
            heapq.heappush(heap, (key, self._seq, problem))
        elif key > heap[0][0]:  # before the last one kept: that one is counted instead
            problem = Problem(file, line, column, _shortened(message, MAX_MESSAGE_CHARS), code)
            _key, _seq, last = heapq.heapreplace(heap, (key, self._seq, problem))
            self._count(last.file, last.line, last.column, last.message, last.code)
        else:
            self._count(file, line, column, message, code)

    def _count(self, file: str, line: int | None, column: str, message: str, code: str):
        # An unknown column is named by the file: counted together, whatever its name.
        key = (file, "-" if code == "unknown_column" else column, code)
        more = self._more.get(key)
        if more is None:
            self._more[key] = [1, line, line, _shortened(message, MAX_MESSAGE_CHARS)]
            return
        more[0] += 1
        if line is not None:
            if more[1] is None or line < more[1]:
                more[1] = line
                more[3] = _shortened(message, MAX_MESSAGE_CHARS)
            if more[2] is None or line > more[2]:
                more[2] = line

    def extend(self, problems):
        for problem in problems:
            self.add(problem)

    @property
    def kept(self) -> list[Problem]:
        """The problems kept in full, in the order they were found."""
        entries = sorted(
            (seq, problem) for heap in self._kept.values() for _key, seq, problem in heap
        )
        return [problem for _seq, problem in entries]

    def example_line(self, file: str, column: str, code: str) -> int | None:
        """The line whose message is the example of those counted only, of a column and
        kind: the first of them."""
        more = self._more.get((file, column, code))
        return more[1] if more else None

    @property
    def left_out(self) -> int:
        """How many problems are counted only, not kept one by one."""
        return self.total - sum(len(heap) for heap in self._kept.values())

    def listed(self) -> list[Problem]:
        """The kept problems in file order and line order; after those of a file, one line per
        column and kind saying how many more there are (code `more`, no line number)."""
        order = {spec.name: i for i, spec in enumerate(formats.FILES)}
        # A summary after the file's problems, by column and then by the kind it counts (not
        # by which kind was counted first: the checks may run in another order).
        summaries = sorted(
            (
                (file, self._rank(file, column), column, code),
                Problem(file, None, column, _more_message(count, first, last, example), "more"),
            )
            for (file, column, code), (count, first, last, example) in self._more.items()
        )
        # Within a line by column, as the file has them (a check of the whole file reports
        # later than the row's own checks).
        return sorted(
            self.kept + [problem for _key, problem in summaries],
            key=lambda p: (
                order.get(p.file, -1),
                p.file,
                p.code == "more",
                p.line or 0,
                self._rank(p.file, p.column),
            ),
        )


def _more_message(count: int, first: int | None, last: int | None, example: str) -> str:
    values = {
        "count": number_format(count, force_grouping=True),
        "first": first,
        "last": last,
        "example": example,
    }
    if first is None:
        return (
            ngettext(
                "and %(count)s more problem of this kind, not listed one by one; the first: "
                "%(example)s",
                "and %(count)s more problems of this kind, not listed one by one; the first: "
                "%(example)s",
                count,
            )
            % values
        )
    return (
        ngettext(
            "and %(count)s more problem of this kind, not listed one by one (lines %(first)d "
            "to %(last)d); the first: line %(first)d: %(example)s",
            "and %(count)s more problems of this kind, not listed one by one (lines %(first)d "
            "to %(last)d); the first: line %(first)d: %(example)s",
            count,
        )
        % values
    )


@dataclass
class Result:
    # The problems to show: the first ones of each file in full, then counts (Problems.listed).
    problems: list[Problem] = field(default_factory=list)
    # Every problem found, also those only counted: what "N problems found" says.
    problem_count: int = 0
    summary: dict[str, dict] = field(default_factory=dict)
    dry_run: bool = False
    seconds: dict[str, float] = field(default_factory=dict)  # "check", "write": for the benchmark
    # Clients whose BSN a problem says is taken: whoever reads the problems learns that these
    # BSNs are registered, so the caller logs them as look-ups by BSN (audit).
    bsn_matched: list[int] = field(default_factory=list)
    # Whether the files were checked side by side (_check_side_by_side): for the benchmark.
    side_by_side: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


class _Stage:
    """The rows of one file, with their line and whether their cells parsed (`valid`: 1 or 0),
    in a temporary staging table (writer.stage_create), sent in batches: memory holds one
    batch, never the file."""

    def __init__(self, table: str, columns: tuple[str, ...]):
        self.table = table
        self.columns = ["line", *columns, "valid"]
        # Rows (line, *values) not sent yet; the check appends to it and calls flush().
        self.batch: list = []
        self.count = 0
        # The first and last line staged (rows come in line order): a first import numbers
        # its records by them (writer.merge).
        self.lines: tuple[int, int] | None = None
        writer.stage_create(table, list(columns), flag="valid")

    def flush(self):
        if self.batch:
            # One transaction a batch on SQLite, not one a row (it commits every statement).
            with transaction.atomic():
                writer._load(self.table, self.columns, self.batch)
            self.lines = _lines_with(self.lines, self.batch)
            self.count += len(self.batch)
            self.batch.clear()

    def drop(self):
        self.batch.clear()
        writer.stage_drop(self.table)


def _lines_with(lines: tuple[int, int] | None, batch: list) -> tuple[int, int]:
    """The first and last line sent, after a batch of rows (in line order) was sent too."""
    return (lines[0] if lines else batch[0][0], batch[-1][0])


class _Spool:
    """The rows a file's per-row pass sends while the connection is busy with another file
    (_check_side_by_side): written as COPY's text rows into an unnamed temporary file (gone
    when closed, or when the process ends); the connection then sends the file's bytes to the
    staging table as they are. Python's memory holds one batch, never the file (which is on
    disk, under TMPDIR, until the rows are sent). The rows are formatted
    by psycopg's own formatter, the one `copy.write_row` uses (a private module of psycopg,
    pinned in requirements/constraints.txt: read it again on an upgrade)."""

    def __init__(self, transformer, stopping: threading.Event):
        self.stopping = stopping
        self.batch: list = []
        self.count = 0
        self.lines: tuple[int, int] | None = None  # as _Stage's
        self.file = tempfile.TemporaryFile()
        self._formatter = TextFormatter(transformer)

    def flush(self):
        if self.stopping.is_set():
            raise _Stopped
        if self.batch:
            write_row = self._formatter.write_row
            for row in self.batch:
                self.file.write(write_row(row))
            self.file.write(self._formatter.end())
            self.lines = _lines_with(self.lines, self.batch)
            self.count += len(self.batch)
            self.batch.clear()

    def send_to(self, stage: _Stage):
        """Every row spooled, to the staging table, in the order they were read."""
        self.flush()
        self.file.seek(0)
        with transaction.atomic():
            writer.copy_file(stage.table, stage.columns, self.file)
        stage.count, stage.lines = self.count, self.lines
        self.close()

    def close(self):
        self.file.close()


class Context:
    """What the checks need across rows and files. Nothing here grows with the rows of a file
    or the records of the product: the checks against both are made in the database, on the
    staging tables (_check_against_product); only reference data (routes, branch teams,
    municipalities) and the names a file gives to teams and projects are held."""

    def __init__(self):
        self.problems = Problems()
        self.actor: User | None = None  # who imports; None: a command
        self._lookups: dict[str, dict[str, int]] = {}
        self.projects: set[str] = set()
        self.project_groups: set[tuple[str, str]] = set()
        self._project_ids: dict[str, int] = {}
        self._group_ids: dict[tuple[str, str], int] = {}
        self.headers: dict[str, set[str]] = {}  # file -> the columns its header has
        self._team_names: dict[str, str] = {}  # casefolded -> as first written in the file
        self._team_ids: dict[str, int] = {}
        self._any_anonymised: bool | None = None

    # lookups of reference data -----------------------------------------------------------

    def lookup(self, kind: str, value: str) -> int:
        if kind == "municipality":
            return self.municipality_names.resolve(value)
        table = self.lookup_table(kind)
        if value in table:
            return table[value]
        raise Invalid(
            _("unknown code %(value)s; allowed: %(allowed)s")
            % {"value": value, "allowed": ", ".join(sorted(table))},
            "unknown_code",
        )

    def lookup_table(self, kind: str) -> dict[str, int]:
        """The codes of a kind of reference data ("route", "branch_team") and their ids."""
        table = self._lookups.get(kind)
        if table is None:
            model = Route if kind == "route" else BranchTeam
            table = self._lookups[kind] = dict(model.objects.values_list("code", "pk"))
        return table

    def parser(self, column: formats.Column):
        """The column's cell parser: its own, or a lookup of reference data."""
        return column.parse or functools.partial(self.lookup, column.lookup)

    @functools.cached_property
    def municipality_names(self) -> MunicipalityNames:
        """CBS's names, everyday names and mergers (interchange.municipalities), read once."""
        return MunicipalityNames()

    def read_ahead(self, specs):
        """Read now what the row checks of these files would read from the database as they
        need it (reference data, municipalities, whether any client is anonymised), so that
        they make no query: a reader thread has no connection of its own
        (_check_side_by_side)."""
        for spec in specs:
            for column in spec.columns:
                if column.lookup and column.lookup != "municipality":
                    self.lookup_table(column.lookup)
        self.municipality_names  # noqa: B018 - read once, here
        self.any_anonymised()

    # checks against the product ---------------------------------------------------------

    def any_anonymised(self) -> bool:
        """Whether the product holds an anonymised client that came from an import."""
        if self._any_anonymised is None:
            self._any_anonymised = Client.objects.filter(
                anonymised_at__isnull=False, source_ref__isnull=False
            ).exists()
        return self._any_anonymised

    def anonymised_among(self, refs) -> set[str]:
        """Those of `refs` (one batch of a file) that name a client anonymised in the product:
        no file may write to them again. Asked per batch, so that no set of the product's
        anonymised clients is held (in batches: SQLite's limit)."""
        if not self.any_anonymised():
            return set()
        refs, found = sorted(set(refs)), set()
        for start in range(0, len(refs), 500):
            found.update(
                Client.objects.filter(
                    anonymised_at__isnull=False, source_ref__in=refs[start : start + 500]
                ).values_list("source_ref", flat=True)
            )
        return found

    def assignment_check(self, values, line):
        """A team is created if new (1.1); whether the coach is a user of the product, and
        which coaches join which teams, is asked of the database (_check_against_product,
        create_teams)."""
        team = values.get("team")
        if team:
            self._team_names.setdefault(team.casefold(), team)
        return
        yield  # a generator, like every row check

    def trajectory_check(self, values, line):
        if values.get("project"):
            self.projects.add(values["project"])
            if values.get("project_group"):
                self.project_groups.add((values["project"], values["project_group"]))
        return
        yield  # a generator, like every row check

    def bsn_matched_clients(self, stages) -> list[int]:
        """The clients whose BSN the problems shown say is taken (Result.bsn_matched): those
        listed one by one and the example of the line that counts the rest, at most a few
        hundred however many BSNs were taken. Asked of clients.csv's staging table by line, so
        that memory holds no client per problem: after the check of every file, so if a BSN
        changed hands in the meantime (seconds; minutes for a million rows), the client that
        holds it then is logged, or none."""
        name = formats.CLIENTS.name
        lines = {p.line for p in self.problems.kept if p.file == name and p.code == "taken"}
        lines.add(self.problems.example_line(name, "bsn", "taken"))
        lines.discard(None)
        if not lines or name not in stages:
            return []
        q = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(lines))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT t.id FROM {q(stages[name].table)} AS s "
                f"JOIN {q(Client._meta.db_table)} AS t ON t.bsn = s.bsn "
                f"WHERE s.line IN ({placeholders}) ORDER BY t.id",
                sorted(lines),
            )
            return [pk for (pk,) in cursor.fetchall()]

    # writing ----------------------------------------------------------------------------

    def create_projects(self):
        """Projects are created when new (interchange.md); so are their groups."""
        for code in sorted(self.projects):
            project, _created = Project.objects.get_or_create(code=code, defaults={"name": code})
            self._project_ids[code] = project.pk
        for code, name in sorted(self.project_groups):
            group, _created = ProjectGroup.objects.get_or_create(
                project_id=self._project_ids[code], name=name
            )
            self._group_ids[(code, name)] = group.pk

    def create_teams(self, stage: str):
        """The teams clients.csv names are created when new (a name in any case is the same
        team). A coach joins the team only when a row assigns them: a new client, or another
        team or coach than the product holds. So the product's own export, imported back, does
        not return a coach removed from a team to its clients. The staging table says which,
        one row per team, coach and what the product holds, not one per client."""
        exact = dict(Team.objects.values_list("name", "pk"))
        folded = {name.casefold(): pk for name, pk in sorted(exact.items())}
        for key, name in sorted(self._team_names.items()):
            pk = exact.get(name) or folded.get(key)
            if pk is None:
                pk = Team.objects.create(name=name).pk
            self._team_ids[key] = pk
        q = connection.ops.quote_name
        members = defaultdict(set)
        rows = _streamed(
            f"SELECT DISTINCT s.team, s.coach, u.id, c.id IS NULL, t.name, cu.username "
            f"FROM {q(stage)} AS s JOIN {q(User._meta.db_table)} AS u ON u.username = s.coach "
            f"LEFT JOIN {q(Client._meta.db_table)} AS c ON c.source_ref = s.client_ref "
            f"LEFT JOIN {q(Team._meta.db_table)} AS t ON t.id = c.team_id "
            f"LEFT JOIN {q(User._meta.db_table)} AS cu ON cu.id = c.coach_id "
            f"WHERE s.team IS NOT NULL"
        )
        for team, coach, user, new, held_team, held_coach in rows:
            key = team.casefold()
            if new or (held_team and held_team.casefold(), held_coach) != (key, coach):
                members[self._team_ids[key]].add(user)
        for team in Team.objects.filter(pk__in=members):
            team.members.add(*members[team.pk])  # adds only who is not a member yet

    def team_id(self, name):
        return self._team_ids[name.casefold()] if name else None

    def project_id(self, code):
        return self._project_ids[code] if code else None

    def project_group_id(self, code, name):
        return self._group_ids[(code, name)] if code and name else None


def _check_files(specs, folder: Path, ctx: Context, stages, progress, seconds: dict) -> bool:
    """Check every file into its staging table (made here), the files side by side when they
    can be (_check_side_by_side), else one after the other; whether side by side."""
    for spec in specs:
        stages[spec.name] = _Stage(_stage_name(spec), spec.column_names)
    if _side_by_side(specs, ctx):
        _check_side_by_side(specs, folder, ctx, stages, progress, seconds)
        return True
    for spec in specs:
        began = time.perf_counter()
        _check_file(spec, folder / spec.name, ctx, stages[spec.name], progress)
        seconds[f"check {spec.name}"] = time.perf_counter() - began
    return False


# Off: one file after the other, as before (`bench_import --one-file-at-a-time` compares).
SIDE_BY_SIDE = True
# While the main thread waits for a file the reader reads, it reports the reading this often;
# the reading counts as this share of the file's check (sending and the checks in the
# database the rest).
REPORT_EVERY = 0.5
READ_SHARE = 0.9


def _side_by_side(specs, ctx: Context) -> bool:
    """Whether the files the engine's loop reads may be read in a thread while the connection
    loads the others: on PostgreSQL (where the others are loaded with COPY), with files of both
    kinds, and when no client is anonymised (the loop would ask the database which of a batch's
    clients are, and the thread has no connection: one of its own would not see what the
    caller's open transaction holds)."""
    if not SIDE_BY_SIDE or connection.vendor != "postgresql":
        return False
    kinds = {copyload.applies(spec) for spec in specs}
    return kinds == {True, False} and not ctx.any_anonymised()


class _Stopped(Exception):
    """The main thread gave up on the import: the reader thread stops too."""


class _Reader(threading.Thread):
    """Reads the files the engine's loop must read (copyload.applies says which), in the files'
    order, each into a spool, while the main thread loads the others with COPY and then stages
    and checks each file as soon as it is read: Python parses rows while PostgreSQL parses and
    checks the others (README, Speed of the import). The thread makes no query
    (Context.read_ahead); one that tries fails."""

    def __init__(self, specs, folder: Path, ctx: Context):
        super().__init__(name="interchange-reader", daemon=True)
        self.specs, self.folder, self.ctx = specs, folder, ctx
        self.language = translation.get_language()
        # The connection's adapters, to write each value as a COPY of it would (_Spool). Each
        # type's dumper is made here, once, while this thread holds the connection: making one
        # reads the connection's encoding, which the reader must not do while COPY uses it.
        self.transformer = Transformer(connection.connection)
        TextFormatter(self.transformer).write_row(
            ["", 0, True, Decimal(0), datetime.date(2000, 1, 1), None]
        )
        self.spools: dict[str, _Spool] = {}
        self.seconds: dict[str, float] = {}
        # How much of each file the reader has read, which the main thread reports while it
        # waits for the file (wait_for): reading is most of such a file's check.
        self.read_fraction: dict[str, float] = {}
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self._read = {spec.name: threading.Event() for spec in specs}

    def run(self):
        try:
            with translation.override(self.language), connection.execute_wrapper(_no_query):
                for spec in self.specs:
                    self._stop_if_asked()
                    began = time.perf_counter()
                    path = self.folder / spec.name
                    if _readable(spec, path, self.ctx):
                        spool = self.spools[spec.name] = _Spool(self.transformer, self.stopping)
                        # Every block of the file read: a moment to stop at, and how far
                        # the reading is, which the main thread reports (a thread may not).
                        _read_rows_into(spool, spec, path, self.ctx, self._progress)
                        spool.flush()
                    self.seconds[spec.name] = time.perf_counter() - began
                    self._read[spec.name].set()
        except BaseException as error:  # noqa: BLE001 - raised again by the main thread
            self.error = error
        finally:
            try:
                connection.close()  # opened only by a query, which failed
            finally:
                for read in self._read.values():
                    read.set()  # the main thread waits no longer

    def _stop_if_asked(self):
        if self.stopping.is_set():
            raise _Stopped

    def _progress(self, stage: str, name: str, fraction: float):
        self._stop_if_asked()
        self.read_fraction[name] = READ_SHARE * fraction

    def wait_for(self, name: str, progress: Progress | None = None) -> _Spool | None:
        """The file's spool once it is read; None if it was not (not UTF-8). While it waits,
        the file's reading is reported to `progress` every REPORT_EVERY seconds."""
        read = self._read[name]  # run() sets every event as it ends, however it ends
        while not read.wait(REPORT_EVERY if progress else None):
            progress("check", name, self.read_fraction.get(name, 0.0))
        if self.error is not None:
            raise self.error
        return self.spools.get(name)

    def stop(self):
        self.stopping.set()
        if self.ident is not None:  # started
            self.join()
        for spool in self.spools.values():
            spool.close()


def _no_query(execute, sql, params, many, context):
    raise AssertionError(f"the reader thread made a query: {sql}")


# While the reader thread parses rows, the main thread wakes each time PostgreSQL has read a
# block of COPY or answered a query, and waits for the reader to let go of the interpreter
# (the GIL), at most this long. Python's default of 5 ms slowed the COPY of a million contacts
# by a third; 0.2 ms did not (`bench_import --switch-interval 0.005` against the default).
SWITCH_INTERVAL = 0.0002


class _Switching:
    """Python's switch interval at SWITCH_INTERVAL while any import of this process reads side
    by side, and as it was before once none does (two imports may run in threads of one
    process)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._imports = 0
        self._before = sys.getswitchinterval()

    def often(self):
        with self._lock:
            if self._imports == 0:
                self._before = sys.getswitchinterval()
                sys.setswitchinterval(SWITCH_INTERVAL)
            self._imports += 1

    def as_before(self):
        with self._lock:
            self._imports -= 1
            if self._imports == 0:
                sys.setswitchinterval(self._before)


_switching = _Switching()


def _check_side_by_side(specs, folder: Path, ctx: Context, stages, progress, seconds: dict):
    """The loop's files are read in a thread (_Reader) while this one loads the others with
    COPY; then, in the files' order, each file's rows go to its staging table (a read file's
    as soon as it is read) and the checks of the whole file run there (a file's refs need the
    files before it staged). The problems are those one file after the other would find."""
    by_rows = [spec for spec in specs if not copyload.applies(spec)]
    ctx.read_ahead(by_rows)
    reader = _Reader(by_rows, folder, ctx)
    loaded, unreadable = set(), set()
    try:
        _switching.often()
        reader.start()
        for spec in specs:
            if spec in by_rows:
                continue
            began = time.perf_counter()
            path = folder / spec.name
            if not _readable(spec, path, ctx):
                unreadable.add(spec.name)
            elif copyload.load(spec, path, ctx, stages[spec.name], progress):
                loaded.add(spec.name)
                # What needs no other file, while the reader still reads.
                _check_in_database(
                    spec, ctx, stages[spec.name], ctx.headers[spec.name], across=False
                )
            seconds[f"check {spec.name}"] = time.perf_counter() - began
        for spec in specs:
            stage = stages[spec.name]
            spool = reader.wait_for(spec.name, progress) if spec in by_rows else None
            began = time.perf_counter()  # waiting for the reader is not the file's time
            if spool is not None:
                if progress:
                    progress("check", spec.name, reader.read_fraction.get(spec.name, 0.0))
                spool.send_to(stage)
                _check_in_database(spec, ctx, stage, set(ctx.headers.get(spec.name, ())))
                if progress:
                    progress("check", spec.name, 1.0)
            elif spec.name in loaded:
                _check_in_database(spec, ctx, stage, ctx.headers[spec.name], own=False)
            elif spec not in by_rows and spec.name not in unreadable:
                _check_by_rows(spec, folder / spec.name, ctx, stage, progress)  # COPY refused
            key = f"check {spec.name}"
            took = time.perf_counter() - began + reader.seconds.get(spec.name, 0.0)
            seconds[key] = seconds.get(key, 0.0) + took
    finally:
        try:
            reader.stop()
        finally:
            _switching.as_before()


def _check_file(spec, path: Path, ctx: Context, stage: _Stage, progress: Progress | None):
    if not _readable(spec, path, ctx):
        return
    if copyload.load(spec, path, ctx, stage, progress):
        _check_in_database(spec, ctx, stage, ctx.headers[spec.name])
        return
    _check_by_rows(spec, path, ctx, stage, progress)


def _check_by_rows(spec, path: Path, ctx: Context, stage: _Stage, progress: Progress | None):
    """The engine's own loop over the file's rows, then the checks of the whole file."""
    _read_rows_into(stage, spec, path, ctx, progress)
    stage.flush()
    _check_in_database(spec, ctx, stage, set(ctx.headers.get(spec.name, ())))


def _readable(spec, path: Path, ctx: Context) -> bool:
    """Whether the file is UTF-8; if not, the problem says where it is not."""
    bad = first_invalid_utf8_byte(path)
    if bad is None:
        return True
    ctx.problems.note(
        spec.name,
        None,
        "-",
        _(
            "the file is not valid UTF-8: the first invalid byte is at offset %(offset)d "
            "(counted from 0); save it as UTF-8"
        )
        % {"offset": bad},
        "encoding",
    )
    return False


def _read_rows_into(sink, spec, path: Path, ctx: Context, progress: Progress | None):
    """Read, parse and check each row of the file, sending every row read to `sink` (a _Stage
    or a _Spool: its `batch` and `flush()`), a batch at a time. The last batch is left in
    `sink.batch`."""
    problems = ctx.problems
    name = spec.name

    def problem(line, column, message, code="invalid"):
        problems.note(name, line, column, message, code)

    rows = read_rows(path, on_progress=(lambda f: progress("check", name, f)) if progress else None)
    settle = None  # set once the header is read
    try:
        try:
            _line, header = next(rows)
        except StopIteration:
            problem(1, "-", _("the file is empty: it needs a header row"), "empty")
            return
        header = [h.strip() for h in header]
        index: dict[str, int] = {}
        known = set(spec.column_names)
        for i, column in enumerate(header):
            if column not in known:
                problem(
                    1,
                    _shortened(column, 64) or "-",
                    _("unknown column; this file has: %(columns)s")
                    % {"columns": ", ".join(spec.column_names)},
                    "unknown_column",
                )
            elif column in index:
                problem(1, column, _("this column appears twice"), "duplicate_column")
            else:
                index[column] = i
        ctx.headers[name] = set(index)
        for column in spec.columns:
            if column.required and column.name not in index:
                problem(1, column.name, _("required column missing"), "missing_column")
        width = len(header)
        names = spec.column_names
        # One entry per column, resolved once: the per-row loop runs a million times.
        plan = []
        for column in spec.columns:
            i = index.get(column.name)
            if i is None:
                continue  # absent: the value stays None (required ones were reported above)
            parse = ctx.parser(column)
            # A ref or a short text is taken as it is, without a call (parsers.plain_up_to).
            plain = parsers.plain_length(parse)
            # The values a cell's text parsed to, a few thousand per column: dates, codes,
            # names and municipalities repeat (a million contacts fall on a few thousand days),
            # and a parser is pure. Not for unique columns, whose texts never come back.
            known: dict[str, object] = {}
            known_max = 0 if (plain or column.unique) else KNOWN_VALUES_PER_COLUMN
            # The cells that failed to parse, and how (message, code), a few hundred per column:
            # a file that repeats one bad value a million times is told once (gettext is slow).
            failed: dict[str, tuple[str, str]] = {}
            # values[0] is the line: the row goes to the staging table as it is.
            k = names.index(column.name) + 1
            plan.append((k, column, i, parse, plain, known, known_max, failed))
        check = spec.check
        # The refs of a batch asked for anonymised clients (Context.anonymised_among): in a
        # file that refers to clients, its rows are refused (they would write the client's
        # data back) and not checked further; in clients.csv it is told as a row check's problem
        # (the row stays valid). Asked per batch (settle), held for that batch only.
        anon_k = next(
            (
                names.index(c.name) + 1
                for c in spec.columns
                if c.refers_to == "clients.csv" or (spec is formats.CLIENTS and c.name == spec.ref)
            ),
            None,
        )
        closes = anon_k is not None and spec is not formats.CLIENTS
        anon_name = names[anon_k - 1] if anon_k is not None else None
        # A merged-away municipality holds for the row's date; a file without dates takes it
        # as the source has it (interchange.municipalities).
        municipal = [
            (names.index(c.name) + 1, c.name)
            for c in spec.columns
            if c.lookup == "municipality" and c.name in index and name in AS_OF
        ]
        as_of = names.index(AS_OF[name]) + 1 if name in AS_OF else None
        as_of_cell = index.get(AS_OF[name]) if name in AS_OF else None
        # values[0] is the line, values[-1] whether the cells parsed (Stage: `valid`).
        empty = [None] * (len(names) + 2)
        # Translated once per file, not once per bad row.
        oversized = _("field too long (more than %(max)s characters)") % {
            "max": number_format(FIELD_MAX_CHARS, force_grouping=True)
        }
        wrong_width = _("this row has %(cells)d cells, the header has %(width)d")
        required_empty = str(messages.REQUIRED_EMPTY)
        anonymised = str(messages.ANONYMISED)
        staged = sink.batch

        def settle():
            """The checks of a row beyond its cells, a batch at a time: an anonymised client,
            a merged-away municipality, the row check. A row that fails one of the first two
            is staged as not valid: the checks of the whole file against the product then
            leave it out, as the row check does."""
            gone = (
                ctx.anonymised_among(v[anon_k] for v in staged if v[anon_k] is not None)
                if anon_k is not None
                else ()
            )
            for values in staged:
                line, valid = values[0], values[-1]
                if closes and values[anon_k] in gone:
                    problem(line, anon_name, anonymised, "anonymised")
                    valid = False
                for k, column_name in municipal if valid else ():
                    if values[k] is not None:
                        ended = ctx.municipality_names.ended_by(values[k], values[as_of])
                        if ended:
                            problem(line, column_name, ended, "merged_municipality")
                            valid = False
                values[-1] = 1 if valid else 0
                if valid and not closes and anon_k is not None and values[anon_k] in gone:
                    # clients.csv: told like a row check's problem, among the row's others.
                    problem(line, anon_name, anonymised, "anonymised")
                if valid and check is not None:
                    for column_name, message, code in check(
                        dict(zip(names, values[1:-1], strict=True)), ctx, line
                    ):
                        problem(line, column_name, message, code)

        for line, cells in rows:
            if len(cells) != width:
                problem(
                    line,
                    "-",
                    wrong_width % {"cells": len(cells), "width": width},
                    "width",
                )
                continue
            if max(map(len, cells)) > FIELD_MAX_CHARS:
                for i, cell in enumerate(cells):
                    if len(cell) > FIELD_MAX_CHARS:
                        problem(line, header[i] or "-", oversized, "oversized")
                continue
            values = empty.copy()
            values[0] = line
            valid = True
            for k, column, i, parse, plain, known, known_max, failed in plan:
                raw = cells[i].strip()
                if not raw:
                    if column.required:
                        problem(line, column.name, required_empty, "required")
                        valid = False
                    continue
                if plain:
                    value = raw if len(raw) <= plain and "\r" not in raw else _UNKNOWN
                else:
                    value = known.get(raw, _UNKNOWN)
                if value is _UNKNOWN:
                    failure = failed.get(raw)
                    if failure is None:
                        try:
                            value = parse(raw)
                        except Invalid as error:
                            failure = (error.message, error.code)
                            if len(failed) < 256:
                                failed[raw] = failure
                        else:
                            if len(known) < known_max:
                                known[raw] = value
                    if failure is not None:
                        message, code = failure
                        if code == "unknown_municipality" and as_of_cell is not None:
                            # Suggest the names valid on the row's date
                            # (interchange.municipalities).
                            error = ctx.municipality_names.unknown(raw, _date(cells[as_of_cell]))
                            message, code = error.message, error.code
                        problem(line, column.name, message, code)
                        valid = False
                        continue
                values[k] = value
            values[-1] = valid
            # Every row read goes to the staging table, valid or not: the checks of the whole
            # file (repeats, refs) run there, on every value that parsed. Only a folder without
            # problems is written, so only valid rows ever are.
            staged.append(values)
            if len(staged) >= STAGE_BATCH:
                settle()
                sink.flush()
        if progress:
            progress("check", name, 1.0)
    except MalformedRow as error:
        problem(
            error.line,
            "-",
            _("the quoting of this row is broken (%(error)s); nothing after it was read")
            % {"error": error},
            "quoting",
        )
    except TooLong as error:
        problem(
            error.line,
            "-",
            _(
                "this row is longer than %(max)s characters: a field in it is too long, or a "
                "quote is not closed; nothing after it was read"
            )
            % {"max": number_format(error.limit, force_grouping=True)},
            "oversized",
        )
    if settle is not None:
        settle()  # the rows read before the end, or before a row that stopped the reading


def _check_in_database(
    spec, ctx: Context, stage: _Stage, present: set[str], *, own=True, across=True
):
    """The checks that need the whole file, made in the database on its staging table, so that
    memory holds no ref, however many rows: a unique value that repeats (reported at each later
    line, naming the first: `own`, which needs no other file), and a ref that is neither in its
    file nor in the product, and the checks against the product (`across`: the files before it
    staged).

    In a transaction of their own on PostgreSQL, with the import's memory for sorts and no JIT
    (writer.session_tune): with the stock 4 MB the sorts of a large file go to disk."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            writer.session_tune()
        if own:
            _check_own(spec, ctx, stage, present)
        if across:
            _check_refs(spec, ctx, stage, present)
            _check_against_product(spec, ctx, stage, present)


def _check_own(spec, ctx: Context, stage: _Stage, present: set[str]):
    """Statistics for the joins to come; a unique value that repeats."""
    q = connection.ops.quote_name
    name = spec.name
    problems = ctx.problems
    table = q(stage.table)
    # Rows with the same value are found by sorting on it: by bytes on PostgreSQL, which finds
    # the same equal values as the database's collation (a deterministic one) in half the time.
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    if connection.vendor == "postgresql":
        joined = [c.name for c in spec.columns if (c.unique or c.refers_to) and c.name in present]
        if joined:
            writer.stage_analyze(stage.table, joined)
    elif spec.ref in present:
        with connection.cursor() as cursor:  # SQLite: for the files that refer to this one
            cursor.execute(f"CREATE INDEX {q(stage.table + '_ref')} ON {table} ({q(spec.ref)})")
    repeats_echo = _("%(value)s repeats: it first appeared on line %(line)d")
    repeats = _("repeats: it first appeared on line %(line)d")
    for column in spec.columns:
        if column.name not in present:
            continue
        c = q(column.name)
        # Most files repeat nothing: the index that says so is built faster than the window
        # that names each repeat's first line, which runs only when there are repeats.
        if column.unique and not writer.stage_unique(stage.table, column.name, collate):
            rows = _streamed(
                f"SELECT line, value, first FROM (SELECT line, {c} AS value, "
                f"MIN(line) OVER (PARTITION BY {c}{collate}) AS first FROM {table} "
                f"WHERE {c} IS NOT NULL) AS d WHERE line <> first ORDER BY line"
            )
            for line, value, first in rows:
                message = (
                    repeats_echo % {"value": value, "line": first}
                    if column.echo
                    else repeats % {"line": first}
                )
                problems.note(name, line, column.name, message, "duplicate")


def _check_refs(spec, ctx: Context, stage: _Stage, present: set[str]):
    """A ref that is neither in its file nor in the product."""
    q = connection.ops.quote_name
    table = q(stage.table)
    unknown_ref = _("unknown reference %(value)s: not in %(file)s nor in the product")
    for column in spec.columns:
        if column.name in present and column.refers_to:
            c = q(column.name)
            parent = formats.by_name()[column.refers_to]
            in_file = (
                f"AND NOT EXISTS (SELECT 1 FROM {q(_stage_name(parent))} AS p "
                f"WHERE p.{q(parent.ref)} = s.{c}) "
                if column.refers_to in ctx.headers
                else ""
            )
            rows = _streamed(
                f"SELECT s.line, s.{c} FROM {table} AS s WHERE s.{c} IS NOT NULL {in_file}"
                f"AND NOT EXISTS (SELECT 1 FROM {q(parent.model._meta.db_table)} AS t "
                f"WHERE t.source_ref = s.{c}) ORDER BY s.line"
            )
            for line, value in rows:
                message = unknown_ref % {"value": value, "file": column.refers_to}
                ctx.problems.note(spec.name, line, column.name, message, "unknown_ref")


def _check_against_product(spec, ctx: Context, stage: _Stage, present: set[str]):
    """The checks of a file's rows against what the product holds, made on its staging table
    among the rows whose cells parsed (`valid`), as the row checks were: a BSN or KvK number
    another record holds, a coach who has no account, a client's second open trajectory, a
    placement of another client."""
    q = connection.ops.quote_name
    name = spec.name
    note = ctx.problems.note
    table = q(stage.table)
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    if spec is formats.CLIENTS or spec is formats.EMPLOYERS:
        # A value another record holds, unless that record is in this file too (where the
        # file's own check decides).
        if spec is formats.CLIENTS:
            column, what = "bsn", _("this BSN")
        else:
            column, what = "kvk_number", _("this KvK number")
        held = q(spec.model._meta.db_table)
        ref = q(spec.ref)
        rows = _streamed(
            f"SELECT s.line, t.source_ref FROM {table} AS s "
            f"JOIN {held} AS t ON t.{q(column)} = s.{q(column)} "
            f"WHERE s.valid = 1 AND {writer._distinct('t.source_ref', f's.{ref}')} "
            f"AND (t.source_ref IS NULL OR NOT EXISTS "
            f"(SELECT 1 FROM {table} AS p WHERE p.{ref} = t.source_ref)) ORDER BY s.line"
        )
        record = _("the record with reference %(ref)s")
        entered = _("a record entered in the product")
        taken = _("%(what)s already belongs to %(who)s")
        for line, owner in rows:
            who = record % {"ref": owner} if owner else entered
            note(name, line, column, taken % {"what": what, "who": who}, "taken")
    if spec is formats.CLIENTS and "coach" in present:
        # Names only what the file says: the product's usernames are not listed.
        unknown_user = _("unknown user %(value)s: the coach needs an account in the product")
        rows = _streamed(
            f"SELECT s.line, s.coach FROM {table} AS s WHERE s.valid = 1 "
            f"AND s.coach IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            f"{q(User._meta.db_table)} AS u WHERE u.username = s.coach) ORDER BY s.line"
        )
        for line, coach in rows:
            note(name, line, "coach", unknown_user % {"value": coach}, "unknown_user")
    if spec is formats.TRAJECTORIES:
        # A client has at most one open trajectory: the first open row of a client is told
        # by the later ones, and by the product when it holds another that this file does
        # not name (and so does not end).
        open_rows = (
            f"SELECT line, client_ref, trajectory_ref, "
            f"MIN(line) OVER (PARTITION BY client_ref{collate}) AS first FROM {table} "
            f"WHERE valid = 1 AND end_date IS NULL AND client_ref IS NOT NULL"
        )
        second = _(
            "the client already has an open trajectory on line %(line)d; a client has at most one"
        )
        for line, first in _streamed(
            f"SELECT line, first FROM ({open_rows}) AS o WHERE line <> first ORDER BY line"
        ):
            note(name, line, "end_date", second % {"line": first}, "open_trajectory")
        in_product = _(
            "the client already has an open trajectory in the product that this file does not "
            "end; a client has at most one"
        )
        rows = _streamed(
            f"SELECT o.line FROM ({open_rows}) AS o WHERE o.line = o.first AND EXISTS ("
            f"SELECT 1 FROM {q(Trajectory._meta.db_table)} AS t "
            f"JOIN {q(Client._meta.db_table)} AS c ON c.id = t.client_id "
            f"WHERE c.source_ref = o.client_ref AND t.end_date IS NULL "
            f"AND {writer._distinct('t.source_ref', 'o.trajectory_ref')} "
            f"AND (t.source_ref IS NULL OR NOT EXISTS (SELECT 1 FROM {table} AS p "
            f"WHERE p.trajectory_ref = t.source_ref))) ORDER BY o.line"
        )
        for (line,) in rows:
            note(name, line, "end_date", in_product, "open_trajectory")
    if spec in (formats.WAGE_VALUE_ASSESSMENTS, formats.PROVISIONS) and "placement_ref" in present:
        # An assessment or provision of a placement belongs to the placement's client: the
        # first valid row of placements.csv that has the placement decides, else the product.
        from placements.models import Placement

        if "placements.csv" in ctx.headers:
            placements = q(_stage_name(formats.PLACEMENTS))
            first_of = (
                f"LEFT JOIN (SELECT placement_ref, client_ref FROM (SELECT placement_ref, "
                f"client_ref, ROW_NUMBER() OVER (PARTITION BY placement_ref{collate} "
                f"ORDER BY line) AS n FROM {placements} WHERE valid = 1) AS r WHERE n = 1) "
                f"AS f ON f.placement_ref = s.placement_ref "
            )
            owner = "COALESCE(f.client_ref, c.source_ref)"
        else:
            first_of, owner = "", "c.source_ref"
        rows = _streamed(
            f"SELECT s.line, {owner} FROM {table} AS s {first_of}"
            f"LEFT JOIN {q(Placement._meta.db_table)} AS pl ON pl.source_ref = s.placement_ref "
            f"LEFT JOIN {q(Client._meta.db_table)} AS c ON c.id = pl.client_id "
            f"WHERE s.valid = 1 AND s.placement_ref IS NOT NULL AND {owner} IS NOT NULL "
            f"AND {writer._distinct(owner, 's.client_ref')} ORDER BY s.line"
        )
        other = _("this placement belongs to another client (%(client)s)")
        for line, client in rows:
            note(name, line, "placement_ref", other % {"client": client}, "other_client")


def _streamed(sql: str, params=()):
    """The rows of a query, fetched a batch at a time (a file may repeat a value a million
    times): a server-side cursor on PostgreSQL, whose client would otherwise hold them all."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(2_000):
            yield from batch


def _date(raw: str) -> str | None:
    """The cell's checked date, or None if it holds none (its own check reports that)."""
    try:
        return parsers.date(raw.strip())
    except Invalid:
        return None


def _discover(folder: Path) -> tuple[list[formats.FileSpec], list[Problem]]:
    specs = formats.by_name()
    problems = []
    present = set()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == "__MACOSX":
            continue
        if path.name in specs and path.is_file():
            present.add(path.name)
        else:
            problems.append(
                Problem(
                    path.name,
                    None,
                    "-",
                    _("unknown file; the format has: %(files)s") % {"files": ", ".join(specs)},
                    "unknown_file",
                )
            )
    for required in formats.REQUIRED_FILES:
        if required not in present:
            problems.append(
                Problem(required, None, "-", _("required file missing"), "missing_file")
            )
    return [spec for spec in formats.FILES if spec.name in present], problems


class _DryRun(Exception):
    pass


def import_folder(
    folder: Path | str,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    actor: User | None = None,
) -> Result:
    """Check every file of the folder; when nothing is wrong, write it all in one transaction.

    `actor` is who imports (None: a command); changes the change history records per row, such
    as the service area's, are in their name."""
    folder = Path(folder)
    result = Result(dry_run=dry_run)
    specs, problems = _discover(folder)
    ctx = Context()
    ctx.actor = actor
    ctx.problems.extend(problems)
    started = time.perf_counter()
    stages = {}
    try:
        result.side_by_side = _check_files(specs, folder, ctx, stages, progress, result.seconds)
        result.seconds["check"] = time.perf_counter() - started
        if ctx.problems:
            result.problems = ctx.problems.listed()
            result.problem_count = ctx.problems.total
            result.bsn_matched = ctx.bsn_matched_clients(stages)
            return result
        started = time.perf_counter()
        try:
            with transaction.atomic():
                _write(specs, stages, ctx, result, progress, dry_run=dry_run)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except DatabaseError as error:
            # Every rule is checked above; a database refusal here is a defect or a race with
            # someone editing at the same time. Nothing was written: the transaction rolled back.
            result.summary = {}
            result.problems = [
                Problem(
                    "-",
                    None,
                    "-",
                    _("the database refused the import: %(error)s") % {"error": error},
                    "database",
                )
            ]
            result.problem_count = 1
    finally:
        for stage in stages.values():
            stage.drop()
    result.seconds["write"] = time.perf_counter() - started
    return result


def _stage_name(spec) -> str:
    return "interchange_rows_" + spec.name.removesuffix(".csv")


TEAMS_STAGE = "interchange_rows_team_names"
# {column} or {kind:column} in a FileSpec's to_sql (interchange.formats).
_PLACEHOLDER = re.compile(r"\{(?:(\w+):)?(\w+)\}")


def _source(spec, ctx: Context, fields) -> tuple[str, list[str]]:
    """The FROM clause over the file's staging table `s`, joined to the records its refs and
    names point to, and each field's SQL expression (FileSpec.to_sql)."""
    q = connection.ops.quote_name
    joins: dict[str, str] = {}

    def render(match) -> str:
        kind, column = match.groups()
        if kind is None:
            if column == "false":
                return "'f'" if connection.vendor == "postgresql" else "0"
            return f"s.{q(column)}"
        alias = q(f"j_{column}")
        if kind == "id":
            parent = formats.by_name()[spec.column(column).refers_to].model._meta.db_table
            on = f"{alias}.source_ref = s.{q(column)}"
        elif kind == "team":
            parent, on = TEAMS_STAGE, f"{alias}.name = s.{q(column)}"
        elif kind == "user":
            parent, on = User._meta.db_table, f"{alias}.username = s.{q(column)}"
        elif kind == "project":
            parent, on = Project._meta.db_table, f"{alias}.code = s.{q(column)}"
        elif kind == "group":
            parent = ProjectGroup._meta.db_table
            on = f"{alias}.project_id = {q('j_project')}.id AND {alias}.name = s.{q(column)}"
        else:  # pragma: no cover - a declaration error in interchange.formats
            raise ValueError(f"unknown placeholder kind {kind}")
        joins.setdefault(alias, f"LEFT JOIN {q(parent)} AS {alias} ON {on}")
        return f"{alias}.id"

    by_field = dict(zip(spec.fields, spec.to_sql, strict=True))
    expressions = [_PLACEHOLDER.sub(render, by_field[f]) for f in fields]
    return " ".join([f"{q(_stage_name(spec))} AS s", *joins.values()]), expressions


def _stage_team_names(stage: _Stage, ctx: Context):
    """The team names clients.csv holds, as written, with the id of the team each names (a
    name in any case is the same team): one row per spelling, not per client."""
    q = connection.ops.quote_name
    writer.stage_create(TEAMS_STAGE, ["name", "id"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT team FROM {q(stage.table)} WHERE team IS NOT NULL")
        names = [name for (name,) in cursor.fetchall()]
    writer._load(TEAMS_STAGE, ["name", "id"], [(name, ctx.team_id(name)) for name in names])


def _write(
    specs, stages, ctx: Context, result: Result, progress: Progress | None, *, dry_run: bool
):
    now = timezone.now()
    if connection.vendor == "postgresql":
        writer.session_tune()
    for spec in specs:
        began = time.perf_counter()
        stage = stages[spec.name]
        if progress:
            progress("write", spec.name, 0.0)
        if spec is formats.SERVICE_AREA:
            result.summary[spec.name] = _write_service_area(stage, ctx.actor)
            continue
        if spec is formats.TRAJECTORIES:
            ctx.create_projects()
        if spec is formats.CLIENTS:
            ctx.create_teams(stage.table)
            _stage_team_names(stage, ctx)
        fields = spec.fields
        absent = {f for c, f in spec.kept_when_absent.items() if c not in ctx.headers[spec.name]}
        if absent:  # leave those fields as the product holds them
            fields = tuple(f for f in fields if f not in absent)
        source, expressions = _source(spec, ctx, fields)
        counts = writer.merge(
            spec.model,
            fields,
            tuple(expressions),
            source,
            expected=stage.count,
            now=now,
            rebuild_keys=not dry_run,
            lines=stage.lines,
        )
        result.summary[spec.name] = counts.as_dict(stage.count)
        if spec is formats.TRAJECTORIES:
            # A trajectory that names a project makes its client a member of it, so the
            # project's figures (projects.results) count them.
            members_from_trajectories(
                Trajectory.objects.filter(
                    source_ref__in=RawSQL(
                        f"SELECT trajectory_ref FROM {connection.ops.quote_name(stage.table)}",
                        [],
                    )
                )
            )
        if spec is formats.CLIENTS:
            writer.stage_drop(TEAMS_STAGE)
            if "coach" in ctx.headers[spec.name]:
                # The coach history follows the coaches the file set, set-wise, for the
                # clients of this file only (clients.handover).
                coach_periods_sync(
                    clients=Client.objects.filter(
                        source_ref__in=RawSQL(
                            f"SELECT client_ref FROM {connection.ops.quote_name(stage.table)}",
                            [],
                        )
                    ),
                    actor=ctx.actor,
                )
        result.seconds[f"write {spec.name}"] = time.perf_counter() - began
        if progress:
            progress("write", spec.name, 1.0)
    if connection.vendor == "postgresql":
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fail here, not at COMMIT
        result.seconds["write (deferred key checks)"] = time.perf_counter() - began


def _write_service_area(stage: _Stage, actor: User | None) -> dict:
    """service_area.csv replaces the service area with the municipalities it lists, through the
    same service as the page, so each change is in the change history."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT municipality FROM {connection.ops.quote_name(stage.table)}")
        # Municipality ids: text on PostgreSQL's staging table.
        listed = {int(value) for (value,) in cursor.fetchall()}
    added, removed = service_area_set(
        actor=actor, municipalities=Municipality.objects.filter(pk__in=listed)
    )
    return {
        "rows": len(listed),
        "created": 0,
        "updated": added + removed,
        "unchanged": len(listed) - added,
    }
