"""The sections every export ends with: the change history and the access log of the client.

Both come from the audit trail, which is kept apart from the data: django-auditlog's LogEntry
(changes, with before and after) and audit.AccessLog (who read the dossier).
"""

from django.utils.translation import gettext_lazy as _

from audit import history
from audit.models import AccessLog
from clients.models import Client
from core import gdpr

# Bookkeeping columns say nothing to the client about their data.
_SKIPPED_FIELDS = {"id", "created_at", "updated_at", "version"}
# "**ne" is how auditlog masks the string "None" of a masked field (the BSN) that was empty.
_EMPTY = {None, "", "None", "[]", "**ne"}


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except Exception:  # a field that no longer exists keeps its stored name
        return None


def _shown(field, value) -> str:
    if value in _EMPTY:
        return ""
    if field is not None and field.choices:
        return str(
            dict(field.flatchoices).get(value, dict(field.flatchoices).get(_int(value), value))
        )
    return str(value)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _changes(model, changes) -> list[dict]:
    """The changed fields with readable labels and values; bookkeeping and empty ones left out."""
    rows = []
    for name, values in (changes or {}).items():
        field = _field(model, name)
        if name in _SKIPPED_FIELDS or (field is not None and not field.concrete):
            continue
        if isinstance(values, dict):  # auditlog's m2m format {"type", "objects"}
            values = ["", ", ".join(str(v) for v in values.get("objects", []))]
        old, new = (list(values) + ["", ""])[:2]
        if old in _EMPTY and new in _EMPTY:
            continue
        rows.append(
            {
                "field": str(field.verbose_name) if field is not None else name,
                "old": _shown(field, old),
                "new": _shown(field, new),
            }
        )
    return rows


@gdpr.register(900)
def change_history(client: Client) -> gdpr.Section:
    """Every recorded change to the client and the records that belong to them, in one query."""
    entries = history.changes_for_client(Client, client.pk).order_by("timestamp", "pk")
    records = []
    for entry in entries:
        model = entry.content_type.model_class()
        records.append(
            {
                "at": entry.timestamp,
                "by": gdpr.person(entry.actor) or str(_("the system")),
                "action": history.action_label(entry),
                "record": str(model._meta.verbose_name) if model else entry.content_type.model,
                "record_id": entry.object_pk,
                "note": entry.changes_text,
                "changes": _changes(model, entry.changes_dict),
            }
        )
    return gdpr.Section(
        key="change_history",
        title=_("Change history"),
        intro=_(
            "Who changed which of your data, and when, with the old and the new value. "
            "The BSN is shown masked in this history."
        ),
        fields=[
            ("at", _("When")),
            ("by", _("By")),
            ("action", _("Action")),
            ("record", _("Record")),
            ("record_id", _("Record number")),
            ("note", _("Note")),
            ("changes", _("Changes")),
        ],
        records=records,
        template="privacy/sections/_history.html",
    )


@gdpr.register(910)
def access_log(client: Client) -> gdpr.Section:
    """Who opened the dossier, saw the full BSN or exported the data, and when."""
    rows = (
        AccessLog.objects.filter(object_type=Client._meta.label_lower, object_id=str(client.pk))
        .select_related("user")
        .order_by("at", "pk")
    )
    records = [
        {
            "at": row.at,
            "by": gdpr.person(row.user) or row.username,
            "what": row.get_kind_display(),
            "result": row.get_result_display(),
        }
        for row in rows
    ]
    return gdpr.Section(
        key="access_log",
        title=_("Who viewed your dossier"),
        fields=[
            ("at", _("When")),
            ("by", _("Who")),
            ("what", _("What")),
            ("result", _("Result")),
        ],
        records=records,
        template="privacy/sections/_table.html",
    )
