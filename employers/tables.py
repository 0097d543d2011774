"""The tables of the employer, vacancy and candidate lists (core.lists.ListPage)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2.rows import BoundRow

from core.lists import DateColumn, Table
from employers import profiles


class EmployerTable(Table):
    name = tables.Column(verbose_name=gettext_lazy("Name"))
    kvk_number = tables.Column(verbose_name=gettext_lazy("KvK number"), default="–")
    municipality = tables.Column(verbose_name=gettext_lazy("Municipality"), default="–")
    account_manager = tables.Column(verbose_name=gettext_lazy("Account manager"), default="–")
    open_vacancies = tables.Column(verbose_name=gettext_lazy("Open vacancies"))
    last_contact_on = DateColumn(verbose_name=gettext_lazy("Last contact"), short=True, default="–")

    caption = gettext_lazy("Employers")

    class Meta(Table.Meta):
        orderable = False  # Employer.objects.for_list's order, by name
        empty_text = gettext_lazy("No employers match these filters.")

    def render_name(self, record, value):
        link = format_html(
            '<a href="{}">{}</a>', reverse("employers:detail", args=[record.pk]), value
        )
        if record.social_enterprise:
            badge = _("social enterprise")
            return format_html('{} <span class="badge text-bg-info">{}</span>', link, badge)
        return link


class VacancyTable(Table):
    title = tables.Column(
        verbose_name=gettext_lazy("Title"),
        linkify=("employers:vacancy_detail", {"vacancy": tables.A("pk")}),
    )
    employer = tables.Column(verbose_name=gettext_lazy("Employer"))
    sector = tables.Column(verbose_name=gettext_lazy("Sector"))
    hours_per_week = tables.Column(verbose_name=gettext_lazy("Hours"))
    municipality = tables.Column(verbose_name=gettext_lazy("Place of work"))
    positions = tables.Column(verbose_name=gettext_lazy("Positions"))
    matches_active = tables.Column(verbose_name=gettext_lazy("In the pipeline"))
    matches_hired = tables.Column(verbose_name=gettext_lazy("Hired"))
    status = tables.Column(verbose_name=gettext_lazy("Status"))

    caption = gettext_lazy("Vacancies")

    class Meta(Table.Meta):
        orderable = False  # Vacancy.objects.for_list's order, newest first
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = gettext_lazy("No vacancies.")


class CandidateTable(Table):
    """Rows come as bare ids in the list's order; the page's rows are then read again with
    their completeness (profiles.page_with_completeness): for one page, not every profile."""

    name = tables.Column(
        verbose_name=gettext_lazy("Candidate"),
        accessor="client__sort_name",
        linkify=("employers:candidate_detail", {"candidate": tables.A("pk")}),
    )
    municipality = tables.Column(
        verbose_name=gettext_lazy("Municipality"), accessor="client__municipality"
    )
    sectors = tables.Column(verbose_name=gettext_lazy("Sectors of interest"), empty_values=())
    hours_per_week = tables.Column(verbose_name=gettext_lazy("Hours"), default="–")
    available_from = DateColumn(
        verbose_name=gettext_lazy("Available from"), short=True, default="–"
    )
    completeness = tables.Column(verbose_name=gettext_lazy("Complete"))

    caption = gettext_lazy("Candidates")

    class Meta(Table.Meta):
        orderable = False  # by name, as the view orders them
        empty_text = gettext_lazy("No candidates match these filters.")

    @cached_property
    def paginated_rows(self):
        records = profiles.page_with_completeness([row.record for row in super().paginated_rows])
        return [BoundRow(record, table=self) for record in records]

    def render_sectors(self, record):
        return ", ".join(str(sector) for sector in record.sectors.all()) or "–"

    def render_completeness(self, record, value):
        if not record.missing:
            return value
        return format_html(
            '{}<div class="small text-body-secondary">{}: {}</div>',
            value,
            _("missing"),
            ", ".join(str(label) for label in record.missing),
        )
