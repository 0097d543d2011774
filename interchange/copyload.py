"""Loading a file into its staging table with COPY, and checking its cells in the database.

The engine's own loop (engine._read_rows_into) reads every row in Python, parses every cell and
sends the row to the staging table: a few microseconds a row, most of an import of a million
contacts. On PostgreSQL a file that COPY reads exactly as the engine's reader would, and whose
rows need no check across their cells (applies), is sent as it is instead: COPY parses it into
the staging table, and its cells are checked there.

- COPY reads a file as the reader does when no cell is quoted: so a file holding a quote, a NUL
  or `\\.` (COPY's end of data) goes to the engine's loop, as does a header the engine would
  complain about. A file COPY refuses (a row of the wrong width, a blank line, a carriage return
  alone) is read by the engine's loop too, which says where.
- A cell is stripped as Python's str.strip() strips it, and an empty one is NULL. A cell longer
  than FIELD_MAX_CHARS sends the file to the engine's loop, which names it.
- A column whose parser takes a short text as it is (parsers.plain_up_to) is checked by its
  length. Any other column's distinct values (dates, codes, numbers: a few thousand in a million
  rows) are parsed in Python by the column's own parser, in batches, and the values that parsed
  are joined back; where a parser changes the text (a postcode's space), the cell is updated.
- Only the rows with a problem come back to Python, where the column's parser says what is
  wrong, in the engine's words. Their bad cells are set to NULL and the row is marked not valid,
  as the engine's loop stages them: the checks of the whole file (engine._check_in_database)
  then run on the same rows either way.

Memory holds a batch of distinct values or of bad rows, never the file.
"""

from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connection, transaction

from clients.models import Client
from interchange import messages, reader, writer
from interchange.municipalities import AS_OF
from interchange.parsers import Invalid, plain_length
from interchange.reader import BOM, FIELD_MAX_CHARS, HEADER_MAX_CHARS, detect_delimiter

# What Python's str.strip() strips: every character whose isspace() is true
# (tests/interchange/test_copyload.py compares). None of them needs quoting in SQL.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
VALUES_TABLE = "interchange_cell_values"
BATCH = 5_000


class _Refused(Exception):
    """The file is not one this path reads exactly as the engine's loop: that loop reads it."""


def applies(spec) -> bool:
    """Whether the file may be loaded this way: PostgreSQL, a model to write, and no check
    across a row's cells (a row check, or a municipality that depends on the row's date), which
    the engine's loop makes as it parses. clients.csv and trajectories.csv were tried this way
    too and were checked faster in the loop; a million contacts were checked here in less than
    half the loop's time (bench_import at 100,000 clients, and again with `load` patched to
    return False for the loop's figure)."""
    return (
        connection.vendor == "postgresql"
        and spec.model is not None
        and spec.check is None
        and spec.name not in AS_OF
    )


# The bytes a stripped character can start or end with (UTF-8): ASCII whitespace, and the lead
# and last bytes of the others. A cell next to one of them may need stripping; one next to none
# does not. Many letters share those bytes (é ends in \xa9): they only cost a check in SQL.
_EDGE = bytes(
    sorted({b for ch in WHITESPACE for b in (ch.encode()[0], ch.encode()[-1])} - set(b"\r\n"))
)
_MARK = b"\x00"  # no file this path reads holds a NUL


@dataclass
class _Survey:
    """The header, and what the file's bytes tell as they are sent to COPY."""

    names: list[str]
    offset: int  # of the first row
    delimiter: str
    maybe_padded: bool = False  # a cell may start or end with whitespace
    maybe_blank: bool = False  # a row may hold no text (`;;;`)
    maybe_oversized: bool = False  # a line of more than FIELD_MAX_CHARS / 2 bytes
    _previous: bytes = b"\n"  # the byte before the chunk
    _run: int = 0  # bytes since the last newline, at the end of the last chunk

    def take(self, chunk: bytes):
        """Look at the next chunk of rows; _Refused when COPY would not read the file as the
        engine's reader does."""
        joined = self._previous + chunk
        # `\.` split by the chunk boundary is found with the byte before it.
        if b'"' in chunk or b"\x00" in chunk or b"\\." in joined:
            raise _Refused
        d = self.delimiter.encode()
        if not self.maybe_padded:
            # Every byte a stripped character can start or end with becomes the mark, the
            # delimiter and a carriage return a newline: a cell to strip is a mark beside one.
            edges = bytes.maketrans(_EDGE + d + b"\r", _MARK * len(_EDGE) + b"\n\n")
            marked = joined.translate(edges)
            self.maybe_padded = b"\n" + _MARK in marked or _MARK + b"\n" in marked
        # A row that begins with the delimiter, after a newline or a carriage return alone.
        self.maybe_blank = self.maybe_blank or b"\n" + d in joined or b"\r" + d in joined
        # A cell of more than FIELD_MAX_CHARS characters is a line of more bytes: such a line
        # holds a whole window of half that, or runs over a chunk's edge.
        half = FIELD_MAX_CHARS // 2
        first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
        if first < 0:
            self._run += len(chunk)
        else:
            self.maybe_oversized = (
                self.maybe_oversized
                or self._run + first > half
                or any(
                    chunk.find(b"\n", start, start + half) < 0
                    for start in range(first, last - half + 1, half)
                )
            )
            self._run = len(chunk) - last - 1
        self.maybe_oversized = self.maybe_oversized or self._run > half
        self._previous = chunk[-1:]

    def end(self):
        """The file has ended: its last cell is next to nothing, so any edge byte counts."""
        self.maybe_padded = self.maybe_padded or self._previous[0] in _EDGE


def _header(path: Path, spec) -> _Survey | None:
    """The header's columns, when the engine accepts them and COPY reads the header as the
    engine's reader does; else None."""
    with open(path, "rb") as stream:
        first = stream.readline(4 * HEADER_MAX_CHARS)
    if not first.endswith(b"\n") or b'"' in first or b"\x00" in first:
        return None  # no row, a header over its limit or quoted: the engine's loop
    text = first.removeprefix(BOM).removesuffix(b"\n").removesuffix(b"\r").decode("utf-8")
    if "\r" in text or len(text) > HEADER_MAX_CHARS:
        return None  # the reader ends a line at a carriage return too; the header's limit
    delimiter = detect_delimiter(path)
    names = [cell.strip() for cell in text.split(delimiter)]
    known = set(spec.column_names)
    if len(set(names)) != len(names) or not known.issuperset(names):
        return None
    if any(c.required and c.name not in names for c in spec.columns):
        return None
    return _Survey(names, len(first), delimiter)


def load(spec, path: Path, ctx, stage, progress=None) -> bool:
    """Load and check the file in the database; False when the engine's loop must read it (the
    staging table is then as empty as before)."""
    if not applies(spec):
        return False
    survey = _header(path, spec)
    if survey is None:
        return False
    try:
        with transaction.atomic():
            writer.session_tune()
            _load(spec, path, ctx, stage, progress, survey)
    except _Refused:
        return False  # the staging table's rows and changes rolled back with the transaction
    ctx.headers[spec.name] = set(survey.names)
    return True


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _stripped(column: str) -> str:
    return f"NULLIF(btrim({column}, '{WHITESPACE}'), '')"


def _load(spec, path, ctx, stage, progress, survey: _Survey):
    table = _q(stage.table)
    quoted = [_q(n) for n in survey.names]
    size = max(path.stat().st_size, 1)
    with connection.cursor() as cursor:
        # Line numbers as the reader counts them: the header is line 1, every row one line.
        cursor.execute(
            f"ALTER TABLE {table} ALTER COLUMN line SET NOT NULL, ALTER COLUMN line ADD "
            "GENERATED BY DEFAULT AS IDENTITY (START WITH 2), ALTER COLUMN valid SET DEFAULT 1"
        )
        sql = f"COPY {table} ({', '.join(quoted)}) FROM STDIN (FORMAT csv, DELIMITER %s)"
        try:
            with cursor.cursor.copy(sql, [survey.delimiter]) as copy, open(path, "rb") as data:
                data.seek(survey.offset)
                while block := data.read(reader.CHUNK):
                    # Looked at while PostgreSQL reads the block before (on another core).
                    survey.take(block)
                    copy.write(block)
                    if progress:
                        progress("check", spec.name, min(data.tell() / size, 1.0))
                survey.end()
        except psycopg.errors.DataError as error:  # a row COPY does not read (class 22)
            raise _Refused from error
        rows = cursor.cursor.rowcount
        if survey.maybe_oversized:
            # Perhaps a cell too long for the engine's loop to stage, which that loop names.
            # Bytes first (a character is one to four), a tenth of counting characters.
            longer = " OR ".join(
                f"(octet_length({c}) > {FIELD_MAX_CHARS} AND char_length({c}) > {FIELD_MAX_CHARS})"
                for c in quoted
            )
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {longer})")
            if cursor.fetchone()[0]:
                raise _Refused
        if survey.maybe_padded:
            sets = ", ".join(f"{c} = {_stripped(c)}" for c in quoted)
            padded = " OR ".join(f"{c} IS DISTINCT FROM {_stripped(c)}" for c in quoted)
            cursor.execute(f"UPDATE {table} SET {sets} WHERE {padded}")
        blanks = 0
        if survey.maybe_blank or survey.maybe_padded:
            # Rows with no text at all (`;;;`), which the reader skips: stripped, all NULL.
            blank = " AND ".join(f"{c} IS NULL" for c in quoted)
            cursor.execute(f"DELETE FROM {table} WHERE {blank}")
            blanks = cursor.rowcount
    stage.count = rows - blanks
    stage.lines = (2, rows + 1) if rows else None  # the identity's numbers, blank rows among them
    _check_cells(spec, ctx, stage, survey.names)
    _check_anonymised(spec, ctx, stage)
    if progress:
        progress("check", spec.name, 1.0)


def _check_cells(spec, ctx, stage, names):
    """Each cell against its column's parser; the rows with a problem are reported, their bad
    cells set to NULL and the rows marked not valid."""
    table = _q(stage.table)
    columns = [c for c in spec.columns if c.name in names]
    parse = {c.name: ctx.parser(c) for c in columns}
    plain = {c.name: plain_length(parse[c.name]) for c in columns}
    # The columns whose distinct values Python parses: all but short texts taken as they are.
    mapped = [(c, parse[c.name]) for c in columns if not plain[c.name]]
    writer.stage_create(VALUES_TABLE, ["name", "raw", "value"])
    changed, failing = _parse_distinct(table, mapped)
    tests = []  # (column, SQL that is true when a non-empty cell is bad; None: none is)
    for column in columns:
        c = _q(column.name)
        if plain[column.name]:
            # Bytes first (at least as many as characters): counting characters costs more.
            most = plain[column.name]
            tests.append((column, f"octet_length({c}) > {most} AND char_length({c}) > {most}"))
        elif column.name in failing:
            values = f"SELECT raw FROM {_q(VALUES_TABLE)} WHERE name = '{column.name}'"
            tests.append((column, f"{c} NOT IN ({values})"))
        else:
            tests.append((column, None))  # each of its texts parsed: most files' columns
    cases = [_bad(col, test) for col, test in tests]
    if _report_bad_rows(spec, ctx, table, columns, cases):
        # Then in one pass, as the engine's loop stages them: bad cells NULL, the rows not
        # valid (an empty required cell stays NULL). The same tests, on the same texts.
        sets = [
            f"{_q(col.name)} = CASE WHEN {_q(col.name)} IS NOT NULL AND ({test}) THEN NULL "
            f"ELSE {_q(col.name)} END"
            for col, test in tests
            if test is not None
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {', '.join(['valid = 0', *sets])} "
                f"WHERE {' OR '.join(f'({case})' for case in cases)}"
            )
    with connection.cursor() as cursor:
        for name in changed:
            c = _q(name)
            cursor.execute(
                f"UPDATE {table} AS s SET {c} = v.value FROM {_q(VALUES_TABLE)} AS v "
                f"WHERE v.name = %s AND v.raw = s.{c} AND v.value <> v.raw",
                [name],
            )
    writer.stage_drop(VALUES_TABLE)


def _bad(column, test: str | None) -> str:
    """SQL that is true when the column's cell is bad: empty where it is required, or a text
    the test finds bad."""
    c = _q(column.name)
    if test is None:
        return f"{c} IS NULL" if column.required else "false"
    return f"CASE WHEN {c} IS NULL THEN {'true' if column.required else 'false'} ELSE {test} END"


def _parse_distinct(table: str, mapped) -> tuple[set[str], set[str]]:
    """Parse each column's distinct texts in Python and keep those that parsed, with the text
    of their value (as COPY sends it to the staging table). Returns the columns where a value
    differs from its text, and those with a text that did not parse: only their cells are
    looked up again (ten million look-ups less per column that parsed, for a million clients'
    contacts). One scan of the table for all columns (grouping sets)."""
    changed: set[str] = set()
    failing: set[str] = set()
    if not mapped:
        return changed, failing
    cells = [_q(column.name) for column, _parse in mapped]
    flags = ", ".join(f"GROUPING({c})" for c in cells)
    sets = ", ".join(f"({c})" for c in cells)
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT {flags}, {', '.join(cells)} FROM {table} GROUP BY GROUPING SETS ({sets})"
        )
        while batch := cursor.fetchmany(BATCH):
            parsed = []
            for row in batch:
                # The column this row groups by is the one whose GROUPING() is 0.
                k = row[: len(mapped)].index(0)
                raw = row[len(mapped) + k]
                if raw is None:
                    continue
                column, parse = mapped[k]
                try:
                    value = parse(raw)
                except Invalid:
                    failing.add(column.name)
                    continue
                parsed.append((column.name, raw, value))
            writer._load(VALUES_TABLE, ["name", "raw", "value"], parsed)
    writer.stage_analyze(VALUES_TABLE, ["name", "raw"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT name FROM {_q(VALUES_TABLE)} WHERE value <> raw")
        changed.update(name for (name,) in cursor.fetchall())
    return changed, failing


def _report_bad_rows(spec, ctx, table, columns, cases) -> bool:
    """Report the problems of the rows the tests find bad; whether there were any."""
    name = spec.name
    found = False
    note = ctx.problems.note
    required_empty = str(messages.REQUIRED_EMPTY)
    failed: dict[tuple[str, str], tuple[str, str]] = {}  # as the engine's loop: a few hundred
    selected = ", ".join(f"({case}) AS b{i}" for i, case in enumerate(cases))
    cells = ", ".join(_q(c.name) for c in columns)
    sql = (
        f"SELECT line, {cells}, {selected} FROM {table} "
        f"WHERE {' OR '.join(f'({case})' for case in cases)} ORDER BY line"
    )
    width = len(columns)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(BATCH):
            found = True
            for row in batch:
                line, values, bad = row[0], row[1 : 1 + width], row[1 + width :]
                for column, raw, is_bad in zip(columns, values, bad, strict=True):
                    if not is_bad:
                        continue
                    if raw is None:
                        note(name, line, column.name, required_empty, "required")
                        continue
                    failure = failed.get((column.name, raw))
                    if failure is None:
                        failure = _failure(column, ctx, raw)
                        if len(failed) < 256:
                            failed[(column.name, raw)] = failure
                    note(name, line, column.name, *failure)
    return found


def _failure(column, ctx, raw) -> tuple[str, str]:
    try:
        ctx.parser(column)(raw)
    except Invalid as error:
        return error.message, error.code
    # pragma: no cover - the database found it bad, the parser did not: a defect here
    raise AssertionError(f"{column.name}: {raw!r} parsed in Python, not in the database")


def _check_anonymised(spec, ctx, stage):
    """A row of an anonymised client is refused (it would write the client's data back)."""
    column = next((c for c in spec.columns if c.refers_to == "clients.csv"), None)
    if (
        column is None
        or not Client.objects.filter(anonymised_at__isnull=False, source_ref__isnull=False).exists()
    ):
        return
    table, c = _q(stage.table), _q(column.name)
    anonymised = str(messages.ANONYMISED)
    gone = (
        f"s.{c} IS NOT NULL AND EXISTS (SELECT 1 FROM {_q(Client._meta.db_table)} AS t "
        f"WHERE t.anonymised_at IS NOT NULL AND t.source_ref = s.{c})"
    )
    found = False
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT s.line FROM {table} AS s WHERE {gone} ORDER BY s.line")
        while batch := cursor.fetchmany(BATCH):
            found = True
            for (line,) in batch:
                ctx.problems.note(spec.name, line, column.name, anonymised, "anonymised")
    if found:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} AS s SET valid = 0 WHERE {gone}")
