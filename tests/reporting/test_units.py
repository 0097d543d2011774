"""A KPI is one unit (reporting.units): registered in UNITS, it is in `manage.py kpis`, on the
dashboard, in the PDF and in the xlsx, with no edit anywhere else."""

import datetime
import io
import json
import subprocess
from dataclasses import dataclass
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from clients.models import Client
from reporting import output, report, units
from reporting.kpis import Period
from reporting.units.base import Kpi, Result
from reporting.units.rows import COUNT, Breakdown, Row, key_label
from tests.factories import ClientFactory, MunicipalityFactory

D = datetime.date


@dataclass(frozen=True)
class Registered(Result):
    clients: int


class RegisteredKpi(Kpi[Registered]):
    """A KPI no spec has: clients registered in the period, per municipality."""

    key = "registered_in_test"
    title = "Registered in the test"
    definition = "Clients registered in the period."

    def compute(self, period: Period) -> Registered:
        return Registered(Client.objects.filter(registered_on__range=period.as_range()).count())

    def rows(self, now: Registered, then: Registered, period: Period) -> list[Row]:
        return [Row("Registered clients", now.clients, then.clients, headline=True)]

    def breakdowns(self, period: Period) -> list[Breakdown]:
        per_town = (
            Client.objects.filter(registered_on__range=period.as_range())
            .values_list("municipality__name")
            .annotate(n=Count("pk"))
            .order_by("municipality__name")
        )
        return [
            Breakdown(
                "Registered per town",
                "Clients registered in the period, per municipality.",
                "Town",
                [("Registered", COUNT)],
                [(key_label(town), [n]) for town, n in per_town],
            )
        ]


@pytest.fixture
def registered(db):
    """The unit in the registry, as its module's line in UNITS puts it there; gone afterwards."""
    unit = RegisteredKpi()
    units.UNITS.append(unit)
    yield unit
    units.UNITS.remove(unit)


@pytest.fixture
def clients_2025(db):
    # Registered in 2025: two in Assen, one in Emmen; in 2024: one. Worked out: 3 now, 1 then.
    assen, emmen = MunicipalityFactory(name="Assen"), MunicipalityFactory(name="Emmen")
    ClientFactory(registered_on=D(2025, 1, 6), municipality=assen)
    ClientFactory(registered_on=D(2025, 12, 31), municipality=assen)
    ClientFactory(registered_on=D(2025, 3, 3), municipality=emmen)
    ClientFactory(registered_on=D(2024, 7, 1), municipality=emmen)


def test_a_registered_unit_is_a_key_of_the_kpis_document(registered, clients_2025):
    out = StringIO()
    call_command("kpis", "--from", "2025-01-01", "--to", "2025-12-31", stdout=out)
    document = json.loads(out.getvalue())
    assert list(document)[-1] == "registered_in_test"
    assert document["registered_in_test"] == {"clients": 3}
    assert document["contact_coverage"]["all"]["population"] == 4  # the others stay


def test_a_registered_unit_is_a_section_and_a_breakdown_of_the_dashboard(
    registered, clients_2025, client, manager
):
    client.force_login(manager)
    page = client.get(reverse("reporting:dashboard"), {"year": 2025, "fresh": 1}).content.decode()
    assert '<a class="nav-link" href="#registered_in_test">Registered in the test</a>' in page
    assert '<section id="registered_in_test"' in page
    assert 'id="registered_in_test-headline">3</span>' in page
    assert '<th scope="row" class="fw-normal">Registered clients</th>' in page
    assert "<strong>Registered per town</strong>" in page
    assert '<th scope="row" class="fw-normal">Assen</th><td class="text-end">2</td>' in page


def test_a_registered_unit_is_in_the_xlsx_and_the_pdf(registered, clients_2025):
    built = report.build(Period.year(2025), today=D(2026, 6, 1), with_projects=False)
    book = openpyxl.load_workbook(io.BytesIO(output.as_xlsx(built)))
    figures = [[cell.value for cell in row] for row in book["Kengetallen"].iter_rows(min_row=2)]
    assert ["Registered in the test", "Registered clients", 3, 1, None] in figures
    breakdowns = [[cell.value for cell in row] for row in book["Uitsplitsingen"].iter_rows()]
    index = breakdowns.index(["Registered per town", None, None, None, None])
    assert breakdowns[index + 1 : index + 4] == [
        ["Town", "Registered", None, None, None],
        ["Assen", 2, None, None, None],
        ["Emmen", 1, None, None, None],
    ]

    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=output.as_pdf(built),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert text.count("Registered in the test") == 2  # the contents and the section
    assert "Clients registered in the period." in text
    assert "Registered per town" in text


def test_the_registry_holds_the_spec_kpis_in_its_order():
    assert [unit.key for unit in units.UNITS] == [
        "two_year_outflow",
        "contact_coverage",
        "status_holders",
        "social_return",
        "sheltered_work",
        "wage_value",
        "provisions",
        "flows",
    ]
