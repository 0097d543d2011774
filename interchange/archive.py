"""Unpacking an uploaded zip of an interchange folder, safely.

The zip holds the CSV files, at its top or in one folder (as "compress this folder" makes it).
Members that would land outside the target, and archives that unpack to more than the limit,
are refused: an upload must not fill the disk or write elsewhere.
"""

import shutil
import zipfile
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

MAX_UNPACKED_BYTES = 4 << 30  # 4 GiB: ten times the largest folder the benchmark generates


class ArchiveProblem(Exception):
    pass


def extract(zip_path: Path, target: Path) -> Path:
    """Unpack into target; return the folder holding the CSV files."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError):
        raise ArchiveProblem(_("The file is not a valid zip file.")) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise ArchiveProblem(_("The zip file unpacks to more than 4 GB."))
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
                    shutil.copyfileobj(source, out, 1 << 20)
            except (zipfile.BadZipFile, RuntimeError, OSError) as error:
                raise ArchiveProblem(
                    _("The zip file cannot be read: %(error)s") % {"error": error}
                ) from None
    entries = [p for p in target.iterdir()]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target
