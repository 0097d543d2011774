"""Merge fields of letter templates: `{{ naam }}` in a template becomes the client's name.

Administrator-written text is never a Django template (that would let it reach any attribute of
any object in its context); a small regex substitutes a fixed list of fields, and a template that
names any other is refused when it is saved.
"""

import re

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# Placeholder -> what it holds. The appointment and event ones come from the caller (merge=) under
# the keys in APPOINTMENT_KEYS and EVENT_KEYS; the others letter_fields derives from the client,
# the coach and today.
FIELDS = {
    "aanhef": _("The salutation: 'Beste' and the client's name"),
    "naam": _("The client's full name"),
    "voornaam": _("The client's first name"),
    "adres": _("Street and number"),
    "postcode": _("Postcode"),
    "woonplaats": _("Place of residence (the municipality)"),
    "coach": _("The work coach's name"),
    "coach_email": _("The work coach's e-mail address"),
    "datum": _("Today's date"),
    "afspraak_datum": _("Date of the appointment"),
    "afspraak_tijd": _("Time of the appointment"),
    "afspraak_duur": _("Duration of the appointment"),
    "afspraak_plaats": _("Place or channel of the appointment"),
    "afspraak_onderwerp": _("Subject of the appointment"),
    "evenement": _("Name of the event"),
    "evenement_datum": _("Date of the event"),
    "evenement_tijd": _("Time of the event"),
    "evenement_plaats": _("Location of the event"),
}
APPOINTMENT_KEYS = {
    "appointment_date": "afspraak_datum",
    "appointment_time": "afspraak_tijd",
    "appointment_duration": "afspraak_duur",
    "appointment_place": "afspraak_plaats",
    "appointment_subject": "afspraak_onderwerp",
}
# The event's values, as projects.event_services passes them (documents never imports projects).
EVENT_KEYS = {
    "event_name": "evenement",
    "event_date": "evenement_datum",
    "event_time": "evenement_tijd",
    "event_place": "evenement_plaats",
}
MERGE_KEYS = {**APPOINTMENT_KEYS, **EVENT_KEYS}

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# What is left of braces once the well-formed placeholders are taken out: a `{{ x }` or a
# `{% tag %}` is refused too, rather than printed in a letter.
STRAY = re.compile(r"\{\{|\}\}|\{%|%\}")


def fields_used(text: str) -> set[str]:
    return {match.group(1) for match in PLACEHOLDER.finditer(text)}


def validate_text(text: str) -> None:
    """Refuse a template text with a merge field not in FIELDS, or braces that are none."""
    unknown = sorted(name for name in fields_used(text) if name not in FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown merge field: %(fields)s. Use only the fields listed on this page."),
            code="unknown_field",
            params={"fields": ", ".join("{{ " + name + " }}" for name in unknown)},
        )
    if STRAY.search(PLACEHOLDER.sub("", text)):
        raise ValidationError(
            _("Write a merge field as {{ name }}, with two braces on each side."),
            code="malformed_field",
        )


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with every known placeholder replaced by its value ('' when there is none)."""
    return PLACEHOLDER.sub(
        lambda m: values.get(m.group(1), "") if m.group(1) in FIELDS else "", text
    )


def uses_appointment(*texts: str) -> bool:
    named = set().union(*(fields_used(text) for text in texts))
    return bool(named & set(APPOINTMENT_KEYS.values()))


def letter_fields(*, client, coach, merge: dict[str, str] | None = None) -> dict[str, str]:
    """The value of every field for this client and coach; `merge` adds the appointment's or
    the event's (keys of APPOINTMENT_KEYS, EVENT_KEYS)."""
    unknown = set(merge or {}) - set(MERGE_KEYS)
    if unknown:
        raise ValueError(f"unknown merge keys {sorted(unknown)}")
    values = {
        "aanhef": f"Beste {client.full_name}",
        "naam": client.full_name,
        "voornaam": client.first_name,
        "adres": client.address,
        "postcode": client.postcode,
        "woonplaats": client.municipality.name,
        "coach": (coach.get_full_name() or coach.get_username()) if coach else "",
        "coach_email": coach.email if coach else "",
        "datum": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
    }
    for key, value in (merge or {}).items():
        values[MERGE_KEYS[key]] = str(value)
    return values
