"""An ordered list of providers that other apps add to, so an app never imports its extenders.

The dossier's panels (clients.dossier) and the right-of-access sections (privacy.export) are
each one of these; apps register their providers in their AppConfig.ready().
"""

from collections.abc import Callable, Iterator
from typing import Any


class OrderedRegistry:
    def __init__(self):
        self._providers: list[tuple[int, Callable[..., Any]]] = []

    def register(self, order: int):
        """A decorator adding a provider; providers come out sorted by `order`, once each."""

        def decorate(provider):
            if all(p is not provider for _order, p in self._providers):
                self._providers.append((order, provider))
                self._providers.sort(key=lambda pair: pair[0])
            return provider

        return decorate

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter([provider for _order, provider in self._providers])
