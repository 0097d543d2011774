"""The tables of the letters waiting for the post and of the letter templates (core.lists)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from core.lists import Table


class ToPostTable(Table):
    client = tables.Column(
        verbose_name=gettext_lazy("Client"),
        accessor="client__sort_name",
        linkify=lambda record: reverse("clients:detail", args=[record.client_id]) + "#documents",
    )
    address = tables.TemplateColumn(
        verbose_name=gettext_lazy("Address"),
        template_name="documents/_address_cell.html",
        accessor="client__address",
        orderable=False,
    )
    kind = tables.Column(verbose_name=gettext_lazy("Letter"), accessor="get_kind_display")
    sent_at = tables.Column(verbose_name=gettext_lazy("Made on"))
    sent_by = tables.Column(verbose_name=gettext_lazy("By"), default="–")
    actions = tables.TemplateColumn(
        verbose_name=gettext_lazy("Actions"),
        template_name="documents/_to_post_actions.html",
        orderable=False,
        empty_values=(),
    )

    caption = gettext_lazy("Letters to post")
    row_header = "client"
    pager_label = gettext_lazy("Pages of letters to post")

    class Meta(Table.Meta):
        orderable = False  # the oldest first: they have waited longest
        attrs = {"class": "table table-sm align-middle", "id": "to-post"}
        empty_text = gettext_lazy("No letters are waiting for the post.")

    def render_sent_at(self, value):
        return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


class LetterTemplateTable(Table):
    kind = tables.Column(
        verbose_name=gettext_lazy("Kind of letter"),
        accessor="get_kind_display",
        linkify=("documents:template_edit", {"letter_template": tables.A("pk")}),
    )
    subject = tables.Column(verbose_name=gettext_lazy("Subject"))
    active = tables.BooleanColumn(verbose_name=gettext_lazy("Active"))
    updated_at = tables.Column(verbose_name=gettext_lazy("Changed on"))

    caption = gettext_lazy("Letter templates")
    row_header = "kind"

    class Meta(Table.Meta):
        orderable = False
        attrs = {"class": "table table-sm align-middle", "id": "letter-templates"}

    def render_updated_at(self, value):
        return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")


class DocumentKindTable(Table):
    name = tables.Column(
        verbose_name=gettext_lazy("Name"),
        linkify=("documents:kind_edit", {"document_kind": tables.A("pk")}),
    )
    code = tables.Column(verbose_name=gettext_lazy("Code"))
    active = tables.BooleanColumn(verbose_name=gettext_lazy("Active"))

    caption = gettext_lazy("Kinds of document")
    row_header = "name"

    class Meta(Table.Meta):
        orderable = False
        empty_text = gettext_lazy("No kinds of document yet.")
