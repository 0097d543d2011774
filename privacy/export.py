"""Right of access (inzageverzoek): everything the product holds about one client.

The export is a list of sections. Each app registers a provider for its own records (clients in
`clients/privacy.py`, later apps in their AppConfig.ready()), so a new app adds its section
without touching this module. A provider reads its data in a fixed number of queries, however
many records the client has. The same sections become the JSON and the PDF.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clients.models import Client
from core.registry import OrderedRegistry

GENERIC_TEMPLATE = "privacy/sections/_records.html"


@dataclass
class Section:
    """One part of the export: a heading, the fields (key, label) and one dict per record."""

    key: str
    title: Any  # a (lazy) translated heading
    fields: list[tuple[str, Any]]
    records: list[dict[str, Any]]
    template: str = GENERIC_TEMPLATE
    intro: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "title": str(self.title),
            "fields": {key: str(label) for key, label in self.fields},
            "records": self.records,
        }


Provider = Callable[[Client], Section]
_providers = OrderedRegistry()
# @export.register(order): sections appear in `order` (clients 10-40, history at 900).
register = _providers.register


def sections_for(client: Client) -> list[Section]:
    """Every registered section for this client, in order."""
    return [provider(client) for provider in _providers]


def field_label(model, name: str) -> str:
    """The verbose name of a model's field: the heading of its column in an export."""
    return model._meta.get_field(name).verbose_name


def choice_label(value, choices) -> str:
    """The translated label of a stored choice ('' when empty)."""
    return str(dict(choices).get(value, value)) if value not in (None, "") else ""


def person(user) -> str:
    return str(user) if user is not None else ""


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
