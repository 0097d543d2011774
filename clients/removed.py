"""The list of removed records for the functional administrator: what was removed (a contact,
an intake, a ladder measurement, a skill evaluation), of which client, when, by whom and why.
The records themselves stay in the database (soft delete), out of every other page."""

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from clients.models import Correction, CorrectionAction
from core.filters import FilterSet
from core.lists import ListPage, Table

# The kinds of record a coach can remove (the model labels Correction.record_type holds).
KINDS = [
    ("clients.contact", _("Contact moment")),
    ("clients.intake", _("Intake")),
    ("clients.ladderobservation", _("Participation ladder measurement")),
    ("trajectories.skillevaluation", _("Skill evaluation")),
]


class RemovedFilter(FilterSet):
    record_type = django_filters.ChoiceFilter(
        label=_("Kind of record"), choices=KINDS, empty_label=_("All kinds")
    )


class RemovedTable(Table):
    at = tables.DateTimeColumn(verbose_name=_("Removed at"), short=True)
    record_type = tables.Column(verbose_name=_("Kind of record"))
    record_repr = tables.Column(verbose_name=_("Record"))
    client = tables.Column(verbose_name=_("Client"), accessor="client_id")
    actor = tables.Column(verbose_name=_("Removed by"), default="–")
    reason = tables.Column(verbose_name=_("Reason"))

    caption = _("Removed records")
    pager_label = _("Pages of removed records")

    class Meta(Table.Meta):
        orderable = False  # newest first
        attrs = {"class": "table table-sm table-striped align-middle"}

    def render_record_type(self, value):
        return dict(KINDS).get(value, value)

    def render_client(self, record):
        return f"{record.client.sort_name} ({_('client')} {record.client_id})"


class RemovedListView(ListPage):
    """Records coaches removed with a reason, newest first."""

    permission_required = "clients.view_correction"
    filterset_class = RemovedFilter
    table_class = RemovedTable
    template_name = "clients/removed_list.html"
    per_page_setting = "AUDIT_PAGE_SIZE"
    nav = "access"

    def get_queryset(self):
        return Correction.objects.filter(action=CorrectionAction.REMOVED).select_related(
            "client", "actor"
        )
