"""A coach records a client's household from the dossier: a child, and a partner with her own
re-integration obligation who then becomes a client with one action, in the same team, the
two dossiers linked."""

import re

import pytest
from playwright.sync_api import expect

from clients.models import Client
from households.models import HouseholdMember
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory, valid_bsn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_records_the_household_and_the_partner_becomes_a_client(
    page, login, coach, team, assen
):
    ClientFactory(
        first_name="Youssef",
        last_name="El Amrani",
        coach=coach,
        team=team,
        municipality=assen,
        address="Kerkstraat 1",
    )
    login("coach")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn caseload"
    ).click()
    page.get_by_role("table").get_by_role("link", name="El Amrani, Youssef").click()
    household = page.locator("#household")
    expect(household).to_contain_text("Geen leden van het huishouden vastgelegd.")

    household.get_by_role("link", name="Lid van het huishouden toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Relatie").select_option(label="partner")
    page.get_by_label("Voornaam").fill("Mariam")
    page.get_by_label("Achternaam").fill("Haddad")
    page.get_by_label("Geboortedatum").fill("2012-04-01")  # a typing slip: a child's age
    page.get_by_label("Eigen re-integratieplicht").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Een partner is ten minste 18 jaar oud.")).to_be_visible()
    expect(page.get_by_label("Achternaam")).to_have_value("Haddad")
    page.get_by_label("Geboortedatum").fill("1986-04-01")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status").filter(has_text="toegevoegd")).to_be_visible()
    household = page.locator("#household")
    expect(household).to_contain_text("Partner: Mariam Haddad")
    expect(household).to_contain_text("eigen re-integratieplicht")
    assert_accessible(page)

    household.get_by_role("link", name=re.compile("^Cliënt maken.*Mariam Haddad")).click()
    expect(page.get_by_role("heading", name="Mariam Haddad wordt cliënt")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("BSN").fill("123")
    page.get_by_role("button", name="Inschrijven als cliënt").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_label("Geboortedatum")).to_have_value("1986-04-01")
    page.get_by_label("BSN").fill(valid_bsn(900_100))
    page.get_by_role("button", name="Inschrijven als cliënt").click()

    expect(page.get_by_role("heading", name="Mariam Haddad")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="is nu cliënt")).to_be_visible()
    household = page.locator("#household")
    expect(household).to_contain_text("Partner:")
    household.get_by_role("link", name="Youssef El Amrani", exact=True).click()
    expect(page.get_by_role("heading", name="Youssef El Amrani")).to_be_visible()
    assert_accessible(page)
    mariam = Client.objects.get(last_name="Haddad")
    assert (mariam.team, mariam.coach, mariam.address) == (team, coach, "Kerkstraat 1")
    assert HouseholdMember.objects.get().member == mariam
