"""One way to show a list: filters, a table, pages.

A list page is a `ListPage`: the user's scoped queryset (`get_queryset`), narrowed by a
django-filter `FilterSet` (core.filters: odd values are left out with a note), shown by a
django-tables2 `Table` of this module, and paged by the table alone, so the rows are counted
once. Every table renders through templates/core/table.html, whose pager is
templates/core/_pager.html, the one pager of the project. A page with several tables and no
filters (the accesses of one dossier) pages each table with `paged`.
"""

import functools
import inspect

import django_tables2 as tables
from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django_filters.views import FilterView
from django_tables2 import utils as tables_utils

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

    def rows_html(self) -> SafeString:
        """The page's rows (`<tr>`s), written here rather than by a template loop per cell,
        which cost more than the rest of a list page together (25 rows of 8 cells: about 40
        ms of template lookups). The same HTML as django-tables2's bootstrap5 template gives,
        with the row header as `<th scope="row">`."""
        rows = []
        for row in self.paginated_rows:
            cells = []
            for column, cell in row.items():
                td = column.attrs["td"].as_html()
                tag = "th" if self.row_header and column.name == self.row_header else "td"
                opening = f'<{tag} scope="row"' if tag == "th" else f"<{tag}"
                if column.localize is None or tag == "th":
                    # What `{{ cell }}` made of it: local time, the locale's format.
                    cell = formats.localize(timezone.template_localtime(cell))
                else:
                    cell = str(formats.localize(cell, use_l10n=column.localize))
                cells.append(
                    f"{opening}{' ' + td if td else ''}>{conditional_escape(cell)}</{tag}>"
                )
            rows.append(f"<tr {row.attrs.as_html()}>\n  {''.join(cells)}\n</tr>")
        return mark_safe("\n".join(rows))  # noqa: S308 (every cell escaped above)


class DateColumn(tables.Column):
    """A date in the locale's short (or long) format, without django-tables2's template per
    cell (its DateColumn renders `{{ value|date }}` through the template engine); the export
    gives the ISO date, as django-tables2's does."""

    def __init__(self, *args, short: bool = True, **kwargs):
        self.format = "SHORT_DATE_FORMAT" if short else "DATE_FORMAT"
        super().__init__(*args, **kwargs)

    def render(self, value):
        return formats.date_format(value, self.format)

    def value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def _signature_once(signature):
    """django-tables2 asks `inspect.signature` of each column's `render` for every cell: a
    tenth of a list page's time. A function's signature does not change, so it is kept per
    function (a bound method by its function: each cell makes a new one). Only for the
    columns' own functions, defined once: a callable made per request would be kept too."""
    known: dict = {}

    @functools.wraps(signature)
    def once(fn):
        key = (fn.__func__, "bound") if inspect.ismethod(fn) else fn
        try:
            return known[key]
        except KeyError:
            known[key] = found = signature(fn)
            return found
        except TypeError:  # not hashable: asked every time, as before
            return signature(fn)

    return once


tables_utils.signature = _signature_once(tables_utils.signature)


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
