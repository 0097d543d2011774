"""A municipality named in an interchange file (spec/interchange.md 1.1, "Municipalities").

- CBS's name in any case (also without accents: `Sudwest-Fryslan`), or an everyday name the
  list carries as an alias: `Den Haag` is 's-Gravenhage, `Den Bosch` 's-Hertogenbosch.
- A municipality that has merged into another is accepted for a date before the merger. The
  date is the row's own (clients.csv: registered_on, the day the client entered the caseload
  and was living there); from the merger on the name is refused, naming the municipality it
  went into.
- A row without a date of its own (employers.csv, service_area.csv) accepts a merged-away name,
  and the record keeps it as the source had it: an employer recorded before the merger, or a
  service area that still holds the ended municipality, is what the product's own export
  writes, and that export must import back unchanged (interchange.md, Import).
- An unknown name is an error that suggests at most three names that are valid on the row's
  date (today for a row without one): first those that start with the typed text (in any case,
  without accents, ignoring a leading 's-: `Bergen` finds Bergen (L.) and Bergen (NH.)) or
  contain it as a word (`Fryslan`), then the closest spellings (difflib: `Amsterdm`).
"""

import datetime
import difflib
import re

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import Municipality
from core.municipalities import normalise
from interchange.parsers import Invalid

# The column whose date a file's municipality holds on; files not listed have no date, and
# take a merged-away name as it is.
AS_OF = {"clients.csv": "registered_on"}


class MunicipalityNames:
    """Every municipality the product knows, read once per import."""

    def __init__(self):
        self.pk_by_name: dict[str, int] = {}
        self.names: dict[str, str] = {}  # normalised name or alias -> CBS name, for suggestions
        self.ended: dict[int, tuple[datetime.date, str, list[str]]] = {}
        self._suggested: dict[tuple[str, str | None], list[str]] = {}
        rows = Municipality.objects.values_list("pk", "name", "aliases", "ended_on")
        successors = {}
        for pk, name in Municipality.merged_into.through.objects.values_list(
            "from_municipality_id", "to_municipality__name"
        ):
            successors.setdefault(pk, []).append(name)
        for pk, name, aliases, ended_on in rows:
            for key in [name, *aliases.split(";")]:
                if key.strip():
                    # A CBS name wins over another municipality's alias of the same spelling.
                    if normalise(key) not in self.pk_by_name or key == name:
                        self.pk_by_name[normalise(key)] = pk
                        self.names[normalise(key)] = name
            if ended_on is not None:
                self.ended[pk] = (ended_on, name, sorted(successors.get(pk, [])))

    def resolve(self, value: str) -> int:
        """The municipality's pk; Invalid suggesting today's closest names if there is none."""
        pk = self.pk_by_name.get(normalise(value))
        if pk is not None:
            return pk
        raise self.unknown(value, None)

    def unknown(self, value: str, on: str | None) -> Invalid:
        """The error for a name no municipality has, suggesting names valid on `on` (a checked
        YYYY-MM-DD; None: today)."""
        suggestions = self.suggest(value, on)
        if suggestions:
            message = _("unknown municipality %(value)s; did you mean %(suggestions)s?") % {
                "value": value,
                "suggestions": _(" or ").join(suggestions),
            }
        else:
            message = _(
                "unknown municipality %(value)s; use the name in CBS's list of municipalities"
            ) % {"value": value}
        return Invalid(message, "unknown_municipality")

    def suggest(self, value: str, on: str | None) -> list[str]:
        """At most three CBS names valid on `on`: those starting with or containing the typed
        text as a word first, then the closest spellings."""
        cached = self._suggested.get((normalise(value), on))
        if cached is not None:
            return cached
        date = datetime.date.fromisoformat(on) if on else timezone.localdate()
        keys = [
            key
            for key, pk in self.pk_by_name.items()
            if pk not in self.ended or date < self.ended[pk][0]
        ]
        typed = _without_s(normalise(value))
        starting, containing = [], []
        if typed:
            word = re.compile(rf"(?<!\w){re.escape(typed)}(?!\w)")
            starting = sorted(
                (k for k in keys if _without_s(k).startswith(typed)), key=lambda k: (len(k), k)
            )
            containing = sorted((k for k in keys if word.search(k)), key=lambda k: (len(k), k))
        close = difflib.get_close_matches(normalise(value), keys, n=3, cutoff=0.6)
        names = dict.fromkeys(self.names[key] for key in [*starting, *containing, *close])
        # A file can repeat one unknown name on many rows: worked out once per name and date.
        self._suggested[(normalise(value), on)] = list(names)[:3]
        return self._suggested[(normalise(value), on)]

    def ended_by(self, pk: int, on: str) -> str | None:
        """Why the municipality cannot be used on `on` (a checked YYYY-MM-DD,
        interchange.parsers), or None if it can."""
        if pk not in self.ended:
            return None
        ended_on, name, successors = self.ended[pk]
        date = datetime.date.fromisoformat(on)
        if date < ended_on:
            return None
        arguments = {
            "name": name,
            "ended": date_format(ended_on, "j F Y"),
            "successors": _(" or ").join(successors),
            "date": date_format(date, "j F Y"),
        }
        return (
            _(
                "%(name)s no longer existed on %(date)s: on %(ended)s it became part of "
                "%(successors)s"
            )
            % arguments
        )


def _without_s(name: str) -> str:
    """A normalised name without its leading 's- ('s-Gravenhage, 's-Hertogenbosch)."""
    return name.removeprefix("'s-")
