"""Which files the dossier takes: judged by their content, not their name.

`filetype` reads the first bytes; an office document is a zip, so the zip is opened and must hold
the entries of its format (OOXML: [Content_Types].xml and the part of its kind; ODF: a `mimetype`
entry naming the format). An executable renamed to `.pdf`, or a zip named `.docx`, is refused.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Allowed:
    extensions: tuple[str, ...]  # the names a file of this content may have
    mime: str
    zip_entry: str = ""  # an office zip must hold this entry
    odf_mimetype: str = ""  # an ODF zip's `mimetype` entry must say this


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
ALLOWED = {
    "pdf": Allowed(("pdf",), "application/pdf"),
    "jpg": Allowed(("jpg", "jpeg"), "image/jpeg"),
    "png": Allowed(("png",), "image/png"),
    "tif": Allowed(("tif", "tiff"), "image/tiff"),
    "heic": Allowed(("heic",), "image/heic"),
    "docx": Allowed(("docx",), _OOXML + "wordprocessingml.document", "word/document.xml"),
    "xlsx": Allowed(("xlsx",), _OOXML + "spreadsheetml.sheet", "xl/workbook.xml"),
    "pptx": Allowed(("pptx",), _OOXML + "presentationml.presentation", "ppt/presentation.xml"),
    "odt": Allowed(("odt",), _ODF + "text", "content.xml", _ODF + "text"),
    "ods": Allowed(("ods",), _ODF + "spreadsheet", "content.xml", _ODF + "spreadsheet"),
    "odp": Allowed(("odp",), _ODF + "presentation", "content.xml", _ODF + "presentation"),
}
ACCEPT = ",".join(f".{e}" for allowed in ALLOWED.values() for e in allowed.extensions)
KINDS_TEXT = "PDF, JPG, PNG, TIFF, HEIC, DOCX, XLSX, PPTX, ODT, ODS, ODP"


@dataclass(frozen=True)
class Checked:
    extension: str  # as stored (the content's, not the user's)
    mime: str


def max_bytes() -> int:
    return settings.DOCUMENT_MAX_MEGABYTES * 1024 * 1024


def check_file(upload) -> Checked:
    """The file's type if the dossier takes it; a ValidationError in Dutch otherwise."""
    if upload.size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is accepted."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes())},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    code = guessed.extension if guessed else None
    if code == "zip":  # an office document filetype could not tell from its first bytes
        code = _office_kind(upload)
    allowed = ALLOWED.get(code or "")
    if allowed is None or (allowed.zip_entry and not _holds(upload, allowed)):
        raise ValidationError(
            _("This file is not a document the dossier accepts (%(kinds)s), whatever its name."),
            code="wrong_kind",
            params={"kinds": KINDS_TEXT},
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in allowed.extensions:
        raise ValidationError(
            _("The file's name ends in .%(extension)s, but it holds a %(kind)s file."),
            code="name_mismatch",
            params={"extension": extension or "?", "kind": code.upper()},
        )
    return Checked(extension=allowed.extensions[0], mime=allowed.mime)


def _open_zip(upload):
    upload.seek(0)
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _office_kind(upload) -> str | None:
    archive = _open_zip(upload)
    if archive is None:
        return None
    with archive:
        names = set(archive.namelist())
        for code, allowed in ALLOWED.items():
            if allowed.zip_entry and _entries_match(archive, names, allowed):
                upload.seek(0)
                return code
    upload.seek(0)
    return None


def _holds(upload, allowed: Allowed) -> bool:
    archive = _open_zip(upload)
    if archive is None:
        return False
    with archive:
        matches = _entries_match(archive, set(archive.namelist()), allowed)
    upload.seek(0)
    return matches


def _entries_match(archive, names: set[str], allowed: Allowed) -> bool:
    if allowed.zip_entry not in names:
        return False
    if allowed.odf_mimetype:
        if "mimetype" not in names:
            return False
        with archive.open("mimetype") as entry:
            return entry.read(200).decode("ascii", "replace").strip() == allowed.odf_mimetype
    return "[Content_Types].xml" in names
