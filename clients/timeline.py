"""The client timeline: everything that happened to a client, newest first, a page at a time.

Each app registers a provider of entries for one client (`register`). A provider that takes a
`limit` keyword yields at most its newest `limit` entries, newest first (ordered by date, then
creation time, in the database); the page asks each for as many entries as reach its end and
merges them, so a page runs the same number of queries however long the history is. A provider
without `limit` (the older interface, still accepted) yields all its entries in any order; its
entries are sorted and cut here. Later apps (trajectories, placements, documents, agenda)
register their own in their AppConfig.ready().

An entry of a record that was corrected carries its corrections (clients.models.Correction),
read for the whole page in one query; a removed record is never an entry (its default manager
leaves it out).
"""

import datetime
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from django.conf import settings

from clients.dossier import JSONPrefetch, loaded
from clients.models import Client, Correctable, Correction, CorrectionAction


@dataclass(frozen=True)
class Entry:
    date: datetime.date
    created_at: datetime.datetime
    kind: str
    template: str
    obj: Any
    corrections: tuple = field(default=(), compare=False)


Provider = Callable[..., Iterable[Entry]]
_providers: list[tuple[Provider, bool]] = []


def register(provider: Provider) -> Provider:
    """Add a provider of timeline entries (usable as a decorator)."""
    takes_limit = "limit" in inspect.signature(provider).parameters
    if (provider, takes_limit) not in _providers:
        _providers.append((provider, takes_limit))
    return provider


def _newest_first(entries: Iterable[Entry]) -> list[Entry]:
    # Stable: entries on the same moment keep the providers' order, so pages never overlap.
    return sorted(entries, key=lambda e: (e.date, e.created_at), reverse=True)


def _newest(limit: int | None, client: Client) -> list[Entry]:
    merged = []
    for provider, takes_limit in _providers:
        if takes_limit:
            merged.extend(islice(provider(client, limit=limit), limit))
        else:
            merged.extend(_newest_first(provider(client))[:limit])
    return _newest_first(merged)


def with_corrections(entries: list[Entry]) -> list[Entry]:
    """The entries with the corrections of their records attached (one query)."""
    records = [e.obj for e in entries if isinstance(e.obj, Correctable)]
    if not records:
        return entries
    found: dict[tuple[str, int], list[Correction]] = {}
    for correction in Correction.objects.of_records(records).filter(
        action=CorrectionAction.CORRECTED
    ):
        found.setdefault((correction.record_type, correction.record_id), []).append(correction)
    return [
        replace(e, corrections=tuple(found.get((e.obj._meta.label_lower, e.obj.pk), ())))
        if isinstance(e.obj, Correctable)
        else e
        for e in entries
    ]


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    number: int
    has_next: bool

    @property
    def next_number(self) -> int:
        return self.number + 1

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)


def page_for_client(client: Client, number: int = 1, size: int | None = None) -> Page:
    """Page `number` (from 1) of the client's timeline, newest first, `size` entries a page
    (settings.TIMELINE_PAGE_SIZE)."""
    size = size or settings.TIMELINE_PAGE_SIZE
    number = max(number, 1)
    end = number * size
    merged = _newest(end + 1, client)  # one more: is there a next page?
    return Page(with_corrections(merged[end - size : end]), number, len(merged) > end)


def for_client(client: Client) -> list[Entry]:
    """All entries of every provider, newest first (for a whole history: an export)."""
    return with_corrections(_newest(None, client))


@register
def contacts(client: Client, limit: int | None = None) -> Iterable[Entry]:
    queryset = client.contacts.select_related("author").order_by("-date", "-created_at", "-pk")
    for contact in queryset[:limit]:
        yield Entry(
            contact.date, contact.created_at, "contact", "clients/timeline/_contact.html", contact
        )


INTAKE_SCORES = JSONPrefetch("scores", order=("instrument", "pk"))  # with the intakes' query


def intakes_of(client: Client) -> list:
    """Every intake of the client with its scores (one query), newest first; once per client
    object, so the
    timeline and the dossier's skills chart (trajectories.dossier) share them."""

    def load():
        queryset = client.intakes.select_related("consultant", "ladder_observation")
        intakes = list(INTAKE_SCORES.annotate(queryset).order_by("-held_on", "-created_at", "-pk"))
        INTAKE_SCORES.attach(intakes)
        return intakes

    return loaded(client, "intakes", load)


def ladder_of(client: Client) -> list:
    """Every participation-ladder measurement of the client, newest first; once per client
    object, so the timeline and the dossier's ladder chart (trajectories.dossier) share them."""

    def load():
        return list(
            client.ladder_observations.select_related("recorded_by").order_by(
                "-observed_on", "-created_at", "-pk"
            )
        )

    return loaded(client, "ladder", load)


@register
def intakes(client: Client, limit: int | None = None) -> Iterable[Entry]:
    for intake in intakes_of(client)[:limit]:
        yield Entry(
            intake.held_on, intake.created_at, "intake", "clients/timeline/_intake.html", intake
        )


@register
def ladder_observations(client: Client, limit: int | None = None) -> Iterable[Entry]:
    # Steps measured at an intake are shown with that intake.
    alone = (obs for obs in ladder_of(client) if obs.intake_id is None)
    for obs in islice(alone, limit):
        yield Entry(obs.observed_on, obs.created_at, "ladder", "clients/timeline/_ladder.html", obs)
