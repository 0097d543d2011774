"""Reading one interchange file: encoding, delimiter, RFC 4180 rows, spreadsheet line numbers.

interchange.md: UTF-8 with or without a byte-order mark (never another encoding guessed), comma
or semicolon detected per file from the header row, quoted fields may hold delimiters and
newlines. Line numbers are those a spreadsheet shows: the header is line 1 and every record is
one line, however many newlines a quoted field holds (a spreadsheet shows such a record as one
row). Rows are streamed: only the current record is in memory.

Everything is read with a length limit (issue 15): a file of one 1 GiB line must not bring 1 GiB
into memory. The csv module is fed physical lines read with `readline(limit)`, and a record
longer than RECORD_MAX_CHARS (the header: HEADER_MAX_CHARS) stops the reading of its file with
TooLong. A field longer than FIELD_MAX_CHARS in a record within the limit is read, and the
engine reports it with its column (`oversized`).
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 20
# The longest cell the format has a use for is a subject or a method (text, at most a few
# hundred characters); 64 Ki characters leaves room for any honest note and stops a runaway.
FIELD_MAX_CHARS = 65_536
# A record of 15 columns, each at the field limit, with room to spare; one record is in memory.
RECORD_MAX_CHARS = 1 << 20
# A header names at most 15 columns of at most 30 characters; 64 Ki characters is generous.
HEADER_MAX_CHARS = 65_536

# The csv module's own limit (128 Ki characters by default, process-wide) would stop a record
# with a field between that and RECORD_MAX_CHARS as a csv.Error without saying which column.
# read_rows bounds every record itself, so the csv module may take a field as long as a record.
if csv.field_size_limit() < RECORD_MAX_CHARS:
    csv.field_size_limit(RECORD_MAX_CHARS)


def first_invalid_utf8_byte(path: Path) -> int | None:
    """The offset (from 0, the start of the file) of the first byte that is not UTF-8, or None."""
    offset = 0  # file offset of pending[0]
    pending = b""
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(CHUNK)
            data = pending + chunk
            if not data:
                return None
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                truncated = error.reason == "unexpected end of data"
                if truncated and chunk:
                    # A character split by the chunk boundary: decode it with the next chunk.
                    offset += error.start
                    pending = data[error.start :]
                    continue
                return offset + error.start
            if not chunk:
                return None
            offset += len(data)
            pending = b""


def detect_delimiter(path: Path) -> str:
    """`;` when the header row holds more semicolons than commas (Dutch spreadsheets), else `,`.

    Reads at most the header's limit (in bytes: a character is at most 4 of them)."""
    with open(path, "rb") as stream:
        header = stream.readline(4 * HEADER_MAX_CHARS).removeprefix(BOM)
    return ";" if header.count(b";") > header.count(b",") else ","


class MalformedRow(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


class TooLong(Exception):
    """A record (the header: line 1) longer than its limit; nothing after it can be read."""

    def __init__(self, line: int, limit: int):
        super().__init__(f"line {line} is longer than {limit} characters")
        self.line, self.limit = line, limit


class _Overflow(Exception):
    """The record being read is longer than its limit (read_rows names its line)."""


def _lines(text: io.TextIOBase, budget: list[int]) -> Iterator[str]:
    """The physical lines of a text stream, each read with a limit: `budget[0]` is how many
    characters the current record may still hold (read_rows sets it before each record), and
    _Overflow is raised once a record exceeds it.

    The csv module asks for the next line only while a record goes on (a quoted newline), so
    the characters handed out between two settings of the budget are exactly one record's. A
    generator, not an object with __next__: it runs once for every line of a file."""
    readline = text.readline
    while True:
        # One character more than the record may still hold: reading it proves it too long.
        piece = readline(budget[0] + 1)
        if not piece:
            return
        budget[0] -= len(piece)
        if budget[0] < 0:
            raise _Overflow
        yield piece


def read_rows(path: Path, on_progress=None) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for the header (line 1) and every non-empty record after it.

    Raises MalformedRow for a quoting error (RFC 4180), and TooLong for a record longer than
    its limit, with the line where it was found. on_progress(fraction) is called now and then
    with the share of the file's bytes read.
    """
    delimiter = detect_delimiter(path)
    size = max(path.stat().st_size, 1)
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        budget = [HEADER_MAX_CHARS]
        reader = csv.reader(_lines(text, budget), delimiter=delimiter, strict=True)
        line, limit = 0, HEADER_MAX_CHARS
        while True:
            line += 1
            budget[0] = limit
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise MalformedRow(line, str(error)) from None
            except _Overflow:
                raise TooLong(line, limit) from None
            limit = RECORD_MAX_CHARS
            if on_progress is not None and line % 50_000 == 0:
                on_progress(min(raw.tell() / size, 1.0))
            if not cells or (not cells[0].strip() and not any(c.strip() for c in cells)):
                continue  # an empty row (`;;;`): a spreadsheet shows it, it carries nothing
            yield line, cells
