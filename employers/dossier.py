"""Panels of the employer dossier, as clients/dossier.py is for the client dossier.

Each provider returns a Panel (a template and its context) for one employer in a fixed number
of queries, or None. This app registers its own panels below (contact persons, contacts,
Social Return, vacancies, matches); another app registers its panel in its AppConfig.ready()
(the placements app: placements, wage-value assessments, provisions), for example
`@employers.dossier.register(35)` between Social Return (30) and vacancies (40).
"""

from collections.abc import Callable
from typing import Any

from clients.dossier import Panel
from core.registry import OrderedRegistry
from employers.models import Employer

Provider = Callable[[Employer, Any], Panel | None]  # (employer, user)
_providers = OrderedRegistry()
register = _providers.register


def panels_for(employer: Employer, user) -> list[Panel]:
    panels = (provider(employer, user) for provider in _providers)
    return [panel for panel in panels if panel is not None]


__all__ = ["Panel", "panels_for", "register"]
