"""Reading one interchange file: encoding, delimiter, RFC 4180 rows, spreadsheet line numbers.

interchange.md: UTF-8 with or without a byte-order mark (never another encoding guessed), comma
or semicolon detected per file from the header row, quoted fields may hold delimiters and
newlines. Line numbers are those a spreadsheet shows: the header is line 1 and every record is
one line, however many newlines a quoted field holds (a spreadsheet shows such a record as one
row). Rows are streamed: only the current record is in memory.
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path

BOM = b"\xef\xbb\xbf"
CHUNK = 1 << 20


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
    """`;` when the header row holds more semicolons than commas (Dutch spreadsheets), else `,`."""
    with open(path, "rb") as stream:
        header = stream.readline().removeprefix(BOM)
    return ";" if header.count(b";") > header.count(b",") else ","


class MalformedRow(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def read_rows(path: Path, on_progress=None) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for the header (line 1) and every non-empty record after it.

    Raises MalformedRow for a quoting error (RFC 4180), with the line where it was found.
    on_progress(fraction) is called now and then with the share of the file's bytes read.
    """
    delimiter = detect_delimiter(path)
    size = max(path.stat().st_size, 1)
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        line = 0
        while True:
            line += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise MalformedRow(line, str(error)) from None
            if on_progress is not None and line % 50_000 == 0:
                on_progress(min(raw.tell() / size, 1.0))
            if not cells or (not cells[0].strip() and not any(c.strip() for c in cells)):
                continue  # an empty row (`;;;`): a spreadsheet shows it, it carries nothing
            yield line, cells
