"""One way to show a list: filters, a table, pages.

A list page is a `ListPage`: the user's scoped queryset (`get_queryset`), narrowed by a
django-filter `FilterSet` (core.filters: odd values are left out with a note), shown by a
django-tables2 `Table` of this module, and paged by the table alone, so the rows are counted
once. Every table renders through templates/core/table.html, whose pager is
templates/core/_pager.html, the one pager of the project. A page with several tables and no
filters (the accesses of one dossier) pages each table with `paged`.
"""

import django_tables2 as tables
from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django_filters.views import FilterView

from core.filters import FilterSet, IgnoringInvalidFiltersMixin


class InheritedMeta(type(tables.Table)):
    """django-tables2 reads only the Meta a table class declares itself: a subclass without
    one would lose its parent's template (and pager), attributes and ordering. Here it keeps
    them; a subclass that declares a Meta extends its parent's (`class Meta(Table.Meta)`)."""

    def __new__(mcs, name, bases, attrs):
        if "Meta" not in attrs:
            inherited = next((base.Meta for base in bases if hasattr(base, "Meta")), None)
            if inherited is not None:
                attrs["Meta"] = inherited
        return super().__new__(mcs, name, bases, attrs)


class Table(tables.Table, metaclass=InheritedMeta):
    """A list's table: the project's template and pager; the page size is the view's.

    `caption` names the table for a screen reader; `row_header` is the column whose cells
    head their row (`<th scope="row">`); `pager_label` names its pager.
    """

    caption = None
    row_header = None
    pager_label = None

    class Meta:
        template_name = "core/table.html"
        attrs = {"class": "table table-hover align-middle"}

    @property
    def prefixed_per_page_field(self):
        # django-tables2 would take the page size from `?per_page=`: the whole list in one
        # page for anyone who asks. The view's page size stands.
        return None


def paged(request, table: tables.Table, per_page: int) -> tables.Table:
    """The table on the page the request asks for (its `page_field`), `per_page` rows a page.

    An odd page number shows the first page, one past the end the last, as Django's
    `Paginator.get_page` does."""
    return tables.RequestConfig(request, paginate={"per_page": per_page}).configure(table)


class NoFilters(FilterSet):
    """The filters of a list that has none: everything in the user's scope."""


class ListPage(
    PermissionRequiredMixin, IgnoringInvalidFiltersMixin, tables.SingleTableMixin, FilterView
):
    """A list page: `get_queryset` (the user's scope) filtered by `filterset_class`, shown by
    `table_class` with `per_page` rows a page (or as many as the setting `per_page_setting`
    says), in the template `template_name` with `filter` and `table`.

    `filter_defaults` are the values a filter takes while the query string does not name it
    (the vacancies list shows the open ones until another status is chosen)."""

    raise_exception = True
    filterset_class = NoFilters
    filter_defaults: dict[str, str] = {}
    per_page = 25
    per_page_setting: str | None = None
    nav: str | None = None

    def get_table_pagination(self, table):
        # Only the table pages: ListView's own paginator would count the rows a second time.
        if self.per_page_setting:
            return {"per_page": getattr(settings, self.per_page_setting)}
        return {"per_page": self.per_page}

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        for name, value in self.filter_defaults.items():
            data.setdefault(name, value)
        kwargs["data"] = data
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.nav:
            context["nav"] = self.nav
        return context
