"""Right of access (inzageverzoek): everything the product holds about one client.

The export is a list of sections that each app provides (core.gdpr, the registry), so a new app
adds its section without touching this module. The same sections become the JSON and the PDF.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clients.models import Client
from core.gdpr import Section, sections_for


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
