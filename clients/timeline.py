"""The client timeline: everything that happened to a client, newest first.

Each app registers a provider that yields entries for one client in a fixed number of queries;
the dossier merges them. Later apps (trajectories, placements, provisions) register their own
in their AppConfig.ready().
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from clients.models import Client, IntakeScore


@dataclass(frozen=True)
class Entry:
    date: datetime.date
    created_at: datetime.datetime
    kind: str
    template: str
    obj: Any


Provider = Callable[[Client], Iterable[Entry]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider of timeline entries (usable as a decorator)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def for_client(client: Client) -> list[Entry]:
    """All entries of every provider, newest first."""
    entries = [entry for provider in _providers for entry in provider(client)]
    entries.sort(key=lambda e: (e.date, e.created_at), reverse=True)
    return entries


@register
def contacts(client: Client) -> Iterable[Entry]:
    for contact in client.contacts.select_related("author"):
        yield Entry(
            contact.date, contact.created_at, "contact", "clients/timeline/_contact.html", contact
        )


@register
def intakes(client: Client) -> Iterable[Entry]:
    queryset = client.intakes.select_related("consultant", "ladder_observation").prefetch_related(
        Prefetch("scores", queryset=IntakeScore.objects.order_by("instrument", "pk"))
    )
    for intake in queryset:
        yield Entry(
            intake.held_on, intake.created_at, "intake", "clients/timeline/_intake.html", intake
        )


@register
def ladder_observations(client: Client) -> Iterable[Entry]:
    # Steps measured at an intake are shown with that intake.
    for obs in client.ladder_observations.filter(intake__isnull=True).select_related("recorded_by"):
        yield Entry(obs.observed_on, obs.created_at, "ladder", "clients/timeline/_ladder.html", obs)
