"""One list idiom (core.lists): every table renders through core/table.html, whose pager is the
only one; the page size is the view's, never the address's (issue 16)."""

from pathlib import Path

import django_tables2 as tables
import pytest
from django.conf import settings
from django.urls import reverse

import clients.tables
import employers.tables
import placements.tables
import privacy.tables
from core.lists import DateColumn, Table
from tests.factories import ClientFactory

APPS = (clients.tables, employers.tables, placements.tables, privacy.tables)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


TABLES = [table for table in subclasses(Table) if table.__module__ in {m.__name__ for m in APPS}]


def test_every_list_of_the_apps_has_a_table():
    names = {table.__name__ for table in TABLES}
    assert {
        "ClientTable",
        "UnassignedClientTable",
        "EmployerTable",
        "VacancyTable",
        "CandidateTable",
        "PlacementTable",
        "AccessTable",
        "ChangeTable",
        "DeniedTable",
    } <= names


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__)
def test_every_table_renders_with_the_one_template_and_pager(table):
    # Also a subclass that declares no Meta of its own (privacy.tables.DeniedTable).
    assert table._meta.template_name == "core/table.html"


def test_there_is_one_pager_template():
    templates = Path(settings.BASE_DIR) / "templates"
    pagers = sorted(
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if 'class="pagination' in path.read_text(encoding="utf-8")
    )
    assert pagers == ["core/_pager.html"]


@pytest.mark.django_db
def test_the_address_cannot_choose_the_page_size(client, coach, team, assen, settings):
    settings.CASELOAD_PAGE_SIZE = 3
    ClientFactory.create_batch(5, coach=coach, team=team, municipality=assen)
    client.force_login(coach)
    response = client.get(reverse("clients:list"), {"per_page": 100})
    assert len(response.context["table"].paginated_rows) == 3
    assert "Pagina 1 van 2" in response.content.decode()


class _Listed(Table):
    """A table with each kind of cell: a row header, a link, an escaped text, a date, a
    default and td attributes that depend on the row."""

    name = tables.Column(linkify=lambda record: f"/x/{record['pk']}/")
    note = tables.Column(attrs={"td": {"data-pk": lambda record: record["pk"]}})
    born = DateColumn(default="–")
    row_header = "name"


def test_rows_are_written_as_django_tables2_would_with_the_row_header_and_escaping():
    import datetime

    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    data = [
        {"pk": 1, "name": "Jansen", "note": "<b>&", "born": datetime.date(1990, 3, 7)},
        {"pk": 2, "name": "de Vries", "note": "", "born": None},
    ]
    with translation.override("nl"):
        html = render_to_string(
            "core/table.html", {"table": _Listed(data), "request": RequestFactory().get("/")}
        )
    assert '<th scope="row"><a href="/x/1/">Jansen</a></th>' in html
    assert '<td data-pk="1">&lt;b&gt;&amp;</td>' in html  # escaped, attrs of its own row
    assert '<td data-pk="2">—</td>' in html  # django-tables2's default for an empty value
    assert "<td>7-3-1990</td>" in html  # the Dutch short date, without a template per cell
    assert "<td>–</td>" in html  # the column's own default


def test_an_empty_table_says_so():
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    table = _Listed([], empty_text="Geen cliënten")
    html = render_to_string(
        "core/table.html", {"table": table, "request": RequestFactory().get("/")}
    )
    assert '<td colspan="3">Geen cliënten</td>' in html


def test_a_columns_signature_is_asked_once_per_function():
    from django_tables2 import utils

    class Column:
        def render(self, value, record):
            return value

    first, second = Column(), Column()
    assert utils.signature(first.render) == (("value", "record"), None)
    assert utils.signature(second.render) is utils.signature(first.render)  # kept, not asked
    assert utils.signature(lambda value, **rest: value) == (("value",), "rest")
