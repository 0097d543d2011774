"""The tables of the school leavers and the schools (core.lists)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from core.lists import Table


class LeaverTable(Table):
    name = tables.Column(
        verbose_name=gettext_lazy("Pupil"),
        accessor="sort_name",
        order_by=("last_name", "first_name"),
        linkify=lambda record: reverse("schools:leaver_detail", args=[record.pk]),
    )
    school = tables.Column(verbose_name=gettext_lazy("School"), accessor="school__name")
    school_year = tables.Column(verbose_name=gettext_lazy("Year of leaving"))
    birth_date = tables.Column(verbose_name=gettext_lazy("Date of birth"))
    advice = tables.Column(
        verbose_name=gettext_lazy("Advice"),
        accessor="conversation",
        order_by=("conversation__advice",),
        default=gettext_lazy("No exit conversation yet"),
    )
    client = tables.Column(
        verbose_name=gettext_lazy("Client"),
        empty_values=(None,),
        default="–",
        orderable=False,
        # A link only to a dossier the user may open (LeaverListView annotates it).
        linkify=lambda record: (
            reverse("clients:detail", args=[record.client_id])
            if getattr(record, "client_visible", False)
            else None
        ),
    )

    caption = gettext_lazy("School leavers")
    row_header = "name"
    pager_label = gettext_lazy("Pages of school leavers")

    class Meta(Table.Meta):
        attrs = {"class": "table table-hover align-middle", "id": "leavers"}
        empty_text = gettext_lazy("No school leavers found.")

    def render_birth_date(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def render_advice(self, value):
        return value.advice_text

    def render_client(self, value):
        return gettext_lazy("Client since %(date)s") % {
            "date": date_format(value.registered_on, "SHORT_DATE_FORMAT")
        }


class SchoolTable(Table):
    name = tables.Column(
        verbose_name=gettext_lazy("Name"),
        linkify=("schools:school_update", {"school": tables.A("pk")}),
    )
    kind = tables.Column(verbose_name=gettext_lazy("Kind"), accessor="get_kind_display")
    municipality = tables.Column(verbose_name=gettext_lazy("Municipality"))
    contact_name = tables.Column(verbose_name=gettext_lazy("Contact person"), default="–")
    active = tables.BooleanColumn(verbose_name=gettext_lazy("Active"))

    caption = gettext_lazy("Schools")
    row_header = "name"

    class Meta(Table.Meta):
        orderable = False
        attrs = {"class": "table table-sm align-middle", "id": "schools"}
        empty_text = gettext_lazy("No schools yet.")
