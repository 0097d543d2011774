"""A coach registers a client who may be there already: a spelling variant of an existing
client's name with the same birth date asks for confirmation and shows the candidate; a BSN
that exists is refused with a link to that dossier."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from clients.models import Client
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = datetime.date(1990, 4, 12)


def fill(page, *, first_name, last_name, bsn):
    page.get_by_label("Voornaam").fill(first_name)
    page.get_by_label("Achternaam").fill(last_name)
    page.get_by_label("BSN").fill(bsn)
    page.get_by_label("Geboortedatum").fill(BORN.isoformat())
    page.get_by_label("E-mailadres").fill("mohamed@example.org")
    page.get_by_label("Gemeente").select_option(label="Assen")
    page.get_by_role("combobox", name=re.compile(r"^Doelgroep")).select_option("status_holder")


def test_a_near_duplicate_asks_for_confirmation_and_registers_once_confirmed(
    page, login, coach, team, assen
):
    existing = ClientFactory(
        first_name="Muhammad",
        last_name="Elamrani",
        birth_date=BORN,
        coach=coach,
        team=team,
        municipality=assen,
    )
    login("coach")
    page.get_by_role("navigation").get_by_role("link", name="Cliënt inschrijven").click()
    expect(page.get_by_role("heading", name="Cliënt inschrijven", level=1)).to_be_visible()
    assert_accessible(page)
    fill(page, first_name="Mohamed", last_name="El Amrani", bsn="123456782")
    page.get_by_role("button", name="Opslaan").click()

    # Not registered yet: the candidate, and a box to confirm it is someone else.
    candidates = page.get_by_role("region", name="Is deze cliënt al ingeschreven?")
    expect(candidates).to_be_visible()
    expect(candidates.get_by_role("link", name=re.compile("Muhammad Elamrani"))).to_have_attribute(
        "href", f"/clients/{existing.pk}/"
    )
    expect(candidates).to_contain_text("geboren op 12 april 1990")
    expect(
        page.get_by_text("Er is al een cliënt ingeschreven met dezelfde geboortedatum")
    ).to_be_visible()
    # Nothing typed is lost.
    expect(page.get_by_label("Voornaam")).to_have_value("Mohamed")
    expect(page.get_by_label("E-mailadres")).to_have_value("mohamed@example.org")
    assert Client.objects.count() == 1
    assert_accessible(page)

    page.get_by_label("Dit is een andere persoon, toch inschrijven").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Mohamed El Amrani", exact=True)).to_be_visible()
    assert_accessible(page)
    assert Client.objects.count() == 2


def test_a_bsn_that_exists_is_refused_with_a_link_to_the_dossier(page, login, coach, team, assen):
    existing = ClientFactory(
        first_name="Noor", last_name="Bos", bsn="123456782", coach=coach, team=team
    )
    login("coach")
    page.get_by_role("navigation").get_by_role("link", name="Cliënt inschrijven").click()
    fill(page, first_name="Mohamed", last_name="El Amrani", bsn="1234 56 782")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Er is al een cliënt met dit BSN ingeschreven:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="open het dossier van Noor Bos").click()
    expect(page.get_by_role("heading", name="Noor Bos", exact=True)).to_be_visible()
    assert page.url.endswith(f"/clients/{existing.pk}/")
    assert_accessible(page)
    assert Client.objects.count() == 1
