"""Saving an edit that someone else may have saved first (django-concurrency's version field).

A form carries the version of the record it started from. `save_versioned` writes only if the
record is still at that version; otherwise it writes nothing and raises ConcurrentEdit with the
record as it is now, so the page can show the difference next to what the user typed.
"""

from concurrency.exceptions import RecordModifiedError
from django.db import transaction


class ConcurrentEdit(Exception):
    """Someone else saved the record after the user began editing; `current` is it as it is now."""

    def __init__(self, current):
        super().__init__(f"{current!r} was changed by someone else")
        self.current = current


def save_versioned(obj, version: int | None = None):
    """Validate and save `obj`; if someone saved it since `version` (None: since it was read),
    write nothing and raise ConcurrentEdit."""
    if version is not None:
        obj.version = version
    obj.full_clean()
    try:
        with transaction.atomic():  # a savepoint, so the refused save leaves us able to read
            obj.save()
    except RecordModifiedError:
        raise ConcurrentEdit(type(obj).objects.get(pk=obj.pk)) from None
    return obj
