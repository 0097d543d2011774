"""A functional administrator chooses the service area from every Dutch municipality (issue 14)."""

import pytest
from playwright.sync_api import expect

from core.models import Municipality
from core.reference import load_reference_data
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_functional_admin_finds_and_chooses_municipalities_from_the_menu(
    page, login, live_server, functional_admin
):
    # migrate loads them, but a transactional test before this one may have flushed the tables.
    load_reference_data()
    login("beheerder")
    page.get_by_role("link", name="Werkgebied").click()
    expect(page.get_by_role("heading", name="Werkgebied")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Zoek een gemeente").fill("bosch")
    expect(page.get_by_label("'s-Hertogenbosch")).to_be_visible()
    expect(page.get_by_label("Assen", exact=True)).to_be_hidden()
    page.get_by_label("'s-Hertogenbosch").check()
    page.get_by_label("Zoek een gemeente").fill("vught")
    # The one match sits under its province, its box beside its name (not beside the legend,
    # where Bootstrap's float put it once the names above it were filtered away).
    box = page.get_by_label("Vught", exact=True).bounding_box()
    name = page.get_by_text("Vught", exact=True).bounding_box()
    assert abs(box["y"] + box["height"] / 2 - (name["y"] + name["height"] / 2)) < 8
    page.get_by_label("Vught", exact=True).check()
    expect(page.get_by_text("2 gekozen")).to_be_visible()
    page.get_by_role("button", name="Werkgebied opslaan").click()

    expect(page.get_by_text("Werkgebied opgeslagen: 2 toegevoegd, 0 verwijderd.")).to_be_visible()
    assert_accessible(page)
    assert set(Municipality.objects.service_area().values_list("name", flat=True)) == {
        "'s-Hertogenbosch",
        "Vught",
    }
