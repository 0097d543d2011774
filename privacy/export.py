"""Right of access (inzageverzoek): everything the product holds about one client.

The export is a list of sections that each app provides (core.gdpr, the registry), so a new app
adds its section without touching this module. The same sections become the JSON and the PDF.
"""

import datetime
import shutil
import tempfile
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clients.models import Client
from core.gdpr import Section, files_for, sections_for


@dataclass
class Export:
    client: Client
    generated_at: datetime.datetime
    sections: list[Section]

    @property
    def file_stem(self) -> str:
        """The file name: no BSN, no name (it ends up in download folders and mail)."""
        return f"inzage-client-{self.client.pk}-{timezone.localdate(self.generated_at):%Y-%m-%d}"


def export_build(client: Client) -> Export:
    """Collect every section in the product's language (the client's document, not the UI's)."""
    with translation.override(settings.LANGUAGE_CODE):
        return Export(client=client, generated_at=timezone.now(), sections=sections_for(client))


def as_json(export: Export) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        document = {
            "client_id": export.client.pk,
            "generated_at": export.generated_at,
            "sections": {section.key: section.as_json() for section in export.sections},
        }
        return DjangoJSONEncoder(indent=2, ensure_ascii=False).encode(document)


def as_pdf(export: Export) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("privacy/export_pdf.html", {"export": export})
    return HTML(string=html).write_pdf()


def as_zip(export: Export):
    """The whole export as one archive: the PDF, the JSON and every stored file (documents,
    letters), with a read-me that says what is in it and names any file the storage lost.

    Written to a temporary file that spills to disk past a few megabytes, so fifty scans do
    not sit in memory; the caller streams it and it is gone when closed."""
    archive = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    missing = []
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(f"{export.file_stem}.pdf", as_pdf(export))
        zipped.writestr(f"{export.file_stem}.json", as_json(export))
        for stored in files_for(export.client):
            try:
                with stored.open() as source, zipped.open(stored.path, "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
            except OSError:
                missing.append(stored.path)
        zipped.writestr("LEESMIJ.txt", _readme(export, missing))
    archive.seek(0)
    return archive


def _readme(export: Export, missing: list[str]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Everything the company holds about client %(number)s, made on %(date)s.")
            % {
                "number": export.client.pk,
                "date": timezone.localtime(export.generated_at).strftime("%d-%m-%Y %H:%M"),
            },
            "",
            _("%(pdf)s: the readable overview.") % {"pdf": f"{export.file_stem}.pdf"},
            _("%(json)s: the same data, machine-readable.") % {"json": f"{export.file_stem}.json"},
            _(
                "The folders hold the stored files, such as the documents in the dossier, "
                "named as in the overview."
            ),
        ]
        if missing:
            lines += ["", _("These files could not be read from the storage:")]
            lines += [f"- {path}" for path in missing]
    return "\r\n".join(lines) + "\r\n"
