"""Panels other apps add to the client dossier, below the client's details.

Each provider returns a Panel (a template and its context) for one client in a fixed number of
queries, or None to show nothing. Apps register theirs in their AppConfig.ready(), so the
clients app does not import them (trajectories registers its trajectory and chart panels).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from clients.models import Client
from core.registry import OrderedRegistry


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Client, Any], Panel | None]  # (client, user)
_providers = OrderedRegistry()
register = _providers.register  # @dossier.register(order): panels appear in `order`


T = TypeVar("T")


def loaded(client: Client, key: str, load: Callable[[], T]) -> T:
    """`load()` once per client object: a panel and the timeline entries of one app read the
    same rows, so the dossier asks the database once (the object lives for one request)."""
    cache = client.__dict__.setdefault("_dossier_loaded", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def panels_for(client: Client, user) -> list[Panel]:
    panels = (provider(client, user) for provider in _providers)
    return [panel for panel in panels if panel is not None]


# The coach's start page above their own caseload: parts the other apps add (signals,
# candidate profiles to complete, aftercare). provider(user, caseload) -> Panel | None, where
# `caseload` is the coach's own clients (a queryset); registered in the apps' ready().
_start_providers = OrderedRegistry()
register_start = _start_providers.register


def start_parts_for(user, caseload) -> list[Panel]:
    parts = (provider(user, caseload) for provider in _start_providers)
    return [part for part in parts if part is not None]
