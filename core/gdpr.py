"""The sections of a right-of-access export (inzageverzoek), which every domain app provides.

Each app registers a provider for its own records (clients in `clients/privacy.py`, the others
in theirs, imported by their AppConfig.ready()); privacy.export collects them into the JSON and
the PDF. The registry lives here, on the ground floor, so the apps that provide sections and
the app that collects them never import each other. A provider reads its data in a fixed
number of queries, however many records the client has.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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


Provider = Callable[[Any], Section]  # client -> section
_providers = OrderedRegistry()
# @gdpr.register(order): sections appear in `order` (clients 10-40, history at 900).
register = _providers.register


def sections_for(client) -> list[Section]:
    """Every registered section for this client, in order."""
    return [provider(client) for provider in _providers]


@dataclass(frozen=True)
class ExportFile:
    """A stored file that goes into the export archive beside the PDF and the JSON."""

    path: str  # its name inside the archive, e.g. "documenten/2026-03-01-12-paspoort.pdf"
    open: Callable[[], Any]  # returns a binary file object; raises OSError when it is gone


FilesProvider = Callable[[Any], list[ExportFile]]  # client -> files
_file_providers = OrderedRegistry()
# @gdpr.register_files(order): the apps that keep files (documents) hand them to the archive.
register_files = _file_providers.register


def files_for(client) -> list[ExportFile]:
    """Every stored file held about this client, from every app that keeps files."""
    return [file for provider in _file_providers for file in provider(client)]


def field_label(model, name: str) -> str:
    """The verbose name of a model's field: the heading of its column in an export."""
    return model._meta.get_field(name).verbose_name


def choice_label(value, choices) -> str:
    """The translated label of a stored choice ('' when empty)."""
    return str(dict(choices).get(value, value)) if value not in (None, "") else ""


def person(user) -> str:
    return str(user) if user is not None else ""


# @gdpr.register_anonymiser(order): what an app removes or blanks when a client is anonymised
# (privacy.services.client_anonymise calls each in its transaction, with the audit log off),
# so an app added later takes its records along without the privacy app importing it.
_anonymisers = OrderedRegistry()
register_anonymiser = _anonymisers.register


def anonymise(client) -> None:
    for anonymiser in _anonymisers:
        anonymiser(client)
