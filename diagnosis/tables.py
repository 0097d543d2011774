"""The table of the diagnosis team's referrals (core.lists)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy, ngettext

from core.lists import Table


def _overdue(referral) -> bool:
    return referral.is_overdue(timezone.localdate())


class ReferralTable(Table):
    client = tables.Column(
        verbose_name=gettext_lazy("Client"),
        accessor="client__sort_name",
        linkify=lambda record: reverse("clients:detail", args=[record.client_id]) + "#diagnosis",
    )
    referred_at = tables.Column(verbose_name=gettext_lazy("Referred on"))
    waiting = tables.Column(
        verbose_name=gettext_lazy("Waiting"), accessor="referred_at", orderable=False
    )
    referred_by = tables.Column(verbose_name=gettext_lazy("By"), default="–")
    question = tables.Column(verbose_name=gettext_lazy("Question"))
    status = tables.Column(verbose_name=gettext_lazy("Status"), accessor="get_status_display")
    actions = tables.TemplateColumn(
        verbose_name=gettext_lazy("Actions"),
        template_name="diagnosis/_referral_actions.html",
        orderable=False,
        empty_values=(),
    )

    caption = gettext_lazy("Referrals to diagnosis")
    row_header = "client"
    pager_label = gettext_lazy("Pages of referrals")

    class Meta(Table.Meta):
        orderable = False  # oldest first: they have waited longest
        attrs = {"class": "table table-sm align-middle", "id": "referrals"}
        row_attrs = {
            "class": lambda record: "table-warning" if _overdue(record) else "",
            "data-overdue": lambda record: "yes" if _overdue(record) else "no",
        }
        empty_text = gettext_lazy("No referrals with this status.")

    def render_referred_at(self, value):
        return date_format(timezone.localtime(value), "SHORT_DATE_FORMAT")

    def render_waiting(self, record):
        if not record.is_open:
            return "–"
        days = record.days_waiting(timezone.localdate())
        text = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
        if _overdue(record):
            return format_html(
                '{} <span class="badge text-bg-danger">{}</span>',
                text,
                gettext_lazy("too long"),
            )
        return text

    def render_question(self, value):
        return value if len(value) <= 120 else value[:119] + "…"
