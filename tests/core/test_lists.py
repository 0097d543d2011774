"""One list idiom (core.lists): every table renders through core/table.html, whose pager is the
only one; the page size is the view's, never the address's (issue 16)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import clients.tables
import employers.tables
import placements.tables
import privacy.tables
from core.lists import Table
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
