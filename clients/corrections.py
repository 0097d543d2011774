"""Correcting the record (GDPR art. 16): the steps every correction and removal of a logged
record shares, whichever app the record lives in. The services (clients.services,
trajectories.services) call these inside their own transaction, after check_writable().

A correction writes the record through save_versioned (so django-auditlog keeps its before and
after, with the reason as additional data) and one Correction row the timeline and the
removed-records page read.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Barrier, Client, Correctable, Correction
from core.editing import save_versioned, shown


def required_reason(reason: str, message=None) -> str:
    """The reason, stripped; a correction or removal without one is refused, nothing written."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message or _("Give the reason for the correction.")})
    return reason


def _readable(record, name: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if isinstance(value, list):  # a multiple choice stored as a list (an intake's barriers)
        labels = dict(Barrier.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(shown(record, name, value))


def apply_changes(record: Correctable, changes: dict, *, version: int | None) -> list[list[str]]:
    """Set `changes` on the record and save it at `version` (ConcurrentEdit when someone saved
    it since); returns what changed as [label, before, after], the client as a move."""
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    save_versioned(record, version)
    return [
        [
            str(record._meta.get_field(name).verbose_name),
            _readable(record, name, before[name]),
            _readable(record, name, value),
        ]
        for name, value in changes.items()
        if before[name] != value and name != "client"
    ]


def correction_note(
    *,
    actor,
    record: Correctable,
    client: Client,
    action: str,
    reason: str,
    changes=(),
    moved_from: Client | None = None,
) -> Correction:
    """The row that shows the correction on the timeline and the removed-records page."""
    return Correction.objects.create(
        record_type=record._meta.label_lower,
        record_id=record.pk,
        record_repr=str(record)[:200],
        client=client,
        moved_from=moved_from,
        action=action,
        reason=reason,
        changes=list(changes),
        actor=actor,
    )


def soft_remove(record: Correctable, *, actor, reason: str, version: int | None = None) -> None:
    """Mark the record removed (it stays, for the functional administrator), with the reason
    in the change history."""
    if record.is_removed:
        raise ValidationError(_("This record was removed already."), code="removed")
    record.removed_at = timezone.now()
    record.removed_by = actor
    record.removal_reason = reason
    record.correction_reason = reason
    save_versioned(record, version)


def nothing_changed() -> ValidationError:
    return ValidationError(
        _("Nothing was changed: change a value, or leave the record as it is."), code="unchanged"
    )
