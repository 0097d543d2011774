"""The change history of one client from django-auditlog: who changed what, and when.

For the functional administrator, who may not read dossier contents: the page shows which
fields changed, never their values (`field_labels`).
"""

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

# django-auditlog's own action names have no Dutch translation.
ACTIONS = {
    LogEntry.Action.CREATE: _("Created"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Deleted"),
    LogEntry.Action.ACCESS: _("Accessed"),
}


# Models whose change history belongs to a client, with the lookup from the model to the client
# (for example `(Contact, "client")`). Apps register theirs in AppConfig.ready(); the access page
# and the right-of-access export both read the history through `changes_for_client`, which
# gets the client model from its caller (the audit trail sits below the apps it records).
_owned_records: list[tuple[type, str]] = []


def register_owned_records(model: type, client_lookup: str) -> None:
    """Count the change history of `model` rows whose `client_lookup` is the client as theirs."""
    if (model, client_lookup) not in _owned_records:
        _owned_records.append((model, client_lookup))


def _entries_of(model, pks) -> Q:
    return Q(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id__in=pks,
    )


def changes_for_client(client_model: type, pk) -> QuerySet:
    """Change-log entries of the client and of every record registered as theirs, newest first.

    One query, whatever the number of rows. Rows of a related record are found through the
    records that still exist (the application deletes none).
    """
    condition = _entries_of(client_model, [pk])
    for model, lookup in _owned_records:
        # The base manager: a record removed with a reason (issue 17) keeps its history here.
        records = model._base_manager.filter(**{lookup: pk}).values("pk")
        condition |= _entries_of(model, records)
    return (
        LogEntry.objects.filter(condition)
        .select_related("content_type", "actor")
        .order_by("-timestamp", "-pk")
    )


def field_labels(entry: LogEntry) -> list[str]:
    """The names of the fields an entry changed, as the forms label them; never the values."""
    model = entry.content_type.model_class()
    labels = []
    for name in entry.changes_dict:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except (FieldDoesNotExist, AttributeError):
            labels.append(name)
    return labels


def record_label(entry: LogEntry) -> str:
    """What kind of record changed (client, contact, intake ...), never its description."""
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model else entry.content_type.model


def action_label(entry: LogEntry) -> str:
    return str(ACTIONS.get(entry.action, entry.get_action_display()))
