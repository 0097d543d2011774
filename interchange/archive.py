"""Unpacking an uploaded zip of an interchange folder, safely.

The zip holds the CSV files, at its top or in one folder (as "compress this folder" makes it).
Members that would land outside the target, archives with more members than a folder has use
for, and archives that unpack to more than their limit are refused: an upload must not fill the
disk, the worker's memory, or write elsewhere.

The limit is in proportion to the upload (issue 15). The benchmark's generated export
(interchange.bench, 20,000 clients: 12.4 MB of CSV) zips to 2.3 MB, 5.3 times smaller; real
exports repeat more (codes, dates, empty columns) and zip perhaps 10 times smaller. So a zip may
unpack to UNPACK_RATIO (20) times its size, twice the most an honest export needs; a small zip
to UNPACK_FLOOR_BYTES whatever its size; no zip to more than MAX_UNPACKED_BYTES. Deflate packs
a run of one byte up to 1,032 times: a 1 MB zip of one 1 GiB line is refused before anything is
written (its 20 MB is below the floor of 64 MiB).

One member may pack at most MAX_MEMBER_RATIO (100) times smaller, once it unpacks to more
than a MiB: CSV of real data never does (the benchmark's files pack 3 to 6 times; a file of
sequential numbers and one repeated date 15 times), a run of one line does (a 12 KB zip of six
million bad lines: 1,000 times). Such a zip would cost no memory (the engine counts its
problems), but minutes of the worker's time for every 12 KB uploaded.

The sizes in a zip's directory are what its maker wrote. They are checked first (a refusal
then writes nothing), and the bytes actually written are counted while unpacking as well.
"""

import zipfile
from pathlib import Path, PurePosixPath

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UNPACKED_BYTES = 4 << 30  # 4 GiB: ten times the largest folder the benchmark generates
UNPACK_RATIO = 20
UNPACK_FLOOR_BYTES = 64 << 20  # 64 MiB: a small export zips to little; its files are checked
MAX_MEMBER_RATIO = 100
# A folder has nine files; a zip from macOS adds a resource fork (__MACOSX/._name) for each.
MAX_MEMBERS = 100
# The zip's central directory is read whole when it is opened: a million members take memory
# before a single one is counted. 100 members need well under 64 KiB of it.
MAX_DIRECTORY_BYTES = 1 << 20
MB = CHUNK = 1 << 20


class ArchiveProblem(Exception):
    pass


def unpack_limit(zip_size: int) -> int:
    """The most a zip of zip_size bytes may unpack to (see the module's docstring)."""
    return min(MAX_UNPACKED_BYTES, max(UNPACK_FLOOR_BYTES, UNPACK_RATIO * zip_size))


def _too_large(zip_size: int, limit: int) -> ArchiveProblem:
    return ArchiveProblem(
        _(
            "The zip file unpacks to more than %(limit)s. A zip of %(size)s may unpack to at "
            "most %(ratio)d times its size (at least %(floor)s, at most %(max)s): an ordinary "
            "export of the interchange files does not come near that. Check the files in it."
        )
        % {
            "limit": filesizeformat(limit),
            "size": filesizeformat(zip_size),
            "ratio": UNPACK_RATIO,
            "floor": filesizeformat(UNPACK_FLOOR_BYTES),
            "max": filesizeformat(MAX_UNPACKED_BYTES),
        }
    )


def _directory_size(zip_path: Path) -> int | None:
    """The size the zip's end record gives its central directory (None: no end record)."""
    with open(zip_path, "rb") as stream:
        end = zipfile._EndRecData(stream)  # the record zipfile itself reads first
    return None if end is None else end[zipfile._ECD_SIZE]


def _declared(member: zipfile.ZipInfo) -> int:
    """What the zip's directory says the member unpacks to (its maker may lie)."""
    return member.file_size


def extract(zip_path: Path, target: Path) -> Path:
    """Unpack into target; return the folder holding the CSV files."""
    zip_size = zip_path.stat().st_size
    limit = unpack_limit(zip_size)
    too_many = ArchiveProblem(
        _("The zip file holds more than %(max)d files; an interchange folder has nine.")
        % {"max": MAX_MEMBERS}
    )
    try:
        directory = _directory_size(zip_path)
    except OSError:
        directory = None
    if directory is not None and directory > MAX_DIRECTORY_BYTES:
        raise too_many
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError):
        raise ArchiveProblem(_("The file is not a valid zip file.")) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise too_many
        if sum(_declared(m) for m in members) > limit:
            raise _too_large(zip_size, limit)
        for member in members:
            if _declared(member) > max(MB, MAX_MEMBER_RATIO * member.compress_size):
                raise ArchiveProblem(
                    _(
                        "%(name)s in the zip file packs more than %(ratio)d times smaller: "
                        "an export of real data does not. Check the file."
                    )
                    % {"name": member.filename, "ratio": MAX_MEMBER_RATIO}
                )
        written = 0
        for member in members:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts:
                raise ArchiveProblem(
                    _("The zip file holds a path outside its folder: %(name)s")
                    % {"name": member.filename}
                )
            if any(part.startswith(".") or part == "__MACOSX" for part in name.parts):
                continue  # hidden files and macOS resource forks
            destination = target.joinpath(*name.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(member) as source, open(destination, "wb") as out:
                    # Counted as written: the directory's sizes are what the zip's maker says.
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > limit:
                            raise _too_large(zip_size, limit)
                        out.write(chunk)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as error:
                raise ArchiveProblem(
                    _("The zip file cannot be read: %(error)s") % {"error": error}
                ) from None
    entries = [p for p in target.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target
