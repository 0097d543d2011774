"""The tables of the pages over the audit trail: who, when, what, from where, the result, and
which fields changed; never a dossier's contents or a changed value."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import history
from core.lists import Table


def who(entry) -> str:
    """The user's name and login name; only the login name once the user is gone."""
    if entry.user:
        return f"{entry.user} ({entry.username})"
    return entry.username or "–"


class AuditTable(Table):
    when = tables.DateTimeColumn(verbose_name=gettext_lazy("When"), accessor="at", short=True)
    who = tables.Column(verbose_name=gettext_lazy("Who"), accessor="username", empty_values=())

    class Meta(Table.Meta):
        orderable = False  # newest first (AccessLog.Meta.ordering)
        attrs = {"class": "table table-sm table-striped align-middle"}

    def render_who(self, record):
        return who(record)


class AccessTable(AuditTable):
    """Every access to one dossier; paged by `?accesses=`, apart from the change history."""

    kind = tables.Column(verbose_name=gettext_lazy("What"))
    ip_address = tables.Column(verbose_name=gettext_lazy("From address"), default="–")
    result = tables.Column(verbose_name=gettext_lazy("Result"))

    caption = gettext_lazy("Who accessed the dossier")
    pager_label = gettext_lazy("Pages of accesses")

    class Meta(AuditTable.Meta):
        page_field = "accesses"

    def render_result(self, record, value):
        if record.result == "denied":
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return value


class ChangeTable(Table):
    """The change history of one client's data: which fields, not their values."""

    when = tables.DateTimeColumn(
        verbose_name=gettext_lazy("When"), accessor="timestamp", short=True
    )
    actor = tables.Column(verbose_name=gettext_lazy("Who"), default="–")
    record = tables.Column(verbose_name=gettext_lazy("Record"), accessor="pk")
    action = tables.Column(verbose_name=gettext_lazy("Action"))
    fields = tables.Column(verbose_name=gettext_lazy("Fields changed"), accessor="pk")
    # Why: the reason given for a correction, a removal or a BSN change (additional_data).
    reason = tables.Column(verbose_name=gettext_lazy("Reason"), accessor="pk")

    caption = gettext_lazy("Change history")
    pager_label = gettext_lazy("Pages of changes")

    class Meta(Table.Meta):
        orderable = False  # newest first (history.changes_for_client)
        attrs = {"class": "table table-sm table-striped align-middle"}
        page_field = "changes"

    def render_record(self, record):
        return capfirst(history.record_label(record))

    def render_action(self, record):
        return history.action_label(record)

    def render_fields(self, record):
        return ", ".join(history.field_labels(record))

    def render_reason(self, record):
        return (record.additional_data or {}).get("reason") or "–"


class DeniedTable(AuditTable):
    """Recent denied accesses, newest first."""

    kind = tables.Column(verbose_name=gettext_lazy("What"))
    requested = tables.Column(verbose_name=gettext_lazy("Requested"), accessor="object_id")
    ip_address = tables.Column(verbose_name=gettext_lazy("From address"), default="–")

    caption = gettext_lazy("Denied accesses")
    pager_label = gettext_lazy("Pages of denied accesses")

    def render_requested(self, record):
        if record.object_type == "clients.client":
            url = reverse("audit:client_access", args=[record.object_id])
            label = _("client %(number)s") % {"number": record.object_id}
            return format_html('<a href="{}">{}</a>', url, label)
        return f"{record.object_type} {record.object_id}"
