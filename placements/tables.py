"""The table of the placements list (core.lists.ListPage)."""

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.lists import Table


def short_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


class PlacementTable(Table):
    client = tables.Column(
        verbose_name=gettext_lazy("Client"),
        accessor="client__sort_name",
        linkify=("placements:detail", {"placement": tables.A("pk")}),
        attrs={"td": {"class": "fw-normal"}},
    )
    employer = tables.Column(verbose_name=gettext_lazy("Employer"))
    kind = tables.Column(verbose_name=gettext_lazy("Kind"))
    period = tables.Column(verbose_name=gettext_lazy("Period"), accessor="start_date")
    contract = tables.Column(verbose_name=gettext_lazy("Contract"), empty_values=())
    hours_per_week = tables.Column(verbose_name=gettext_lazy("Hours"), default="–")
    sroi = tables.Column(verbose_name="SROI", empty_values=())

    caption = gettext_lazy("Placements")
    row_header = "client"

    class Meta(Table.Meta):
        orderable = False  # the view's order: the latest start first
        attrs = {"class": "table table-sm align-middle", "id": "placement-list"}
        empty_text = gettext_lazy("No placements found.")

    def render_period(self, record):
        end = short_date(record.end_date) if record.end_date else _("running")
        return f"{short_date(record.start_date)} – {end}"

    def render_contract(self, record):
        contract = record.get_contract_display() or "–"
        if record.contract_end_date:
            return f"{contract} ({short_date(record.contract_end_date)})"
        return contract

    def render_hours_per_week(self, value):
        return floatformat(value, "-2") or "–"

    def render_sroi(self, record):
        return _("yes") if record.sroi else _("no")
