import re

import pytest
from playwright.sync_api import expect

from clients.models import Client, Contact, Intake
from tests.browser.conftest import assert_accessible, fill_registration
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_finds_a_client_logs_a_contact_and_an_intake(page, login, coach, team, assen):
    ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )
    ClientFactory(first_name="Jan", last_name="Jansen", coach=coach, team=team, municipality=assen)
    login("coach")
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()

    page.get_by_label("Naam").fill("amrani")
    page.get_by_role("button", name="Filteren").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Jansen, Jan")).to_have_count(0)
    page.get_by_role("link", name="El Amrani, Fatima").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani")).to_be_visible()
    assert_accessible(page)

    contact = page.locator("#contact-panel")
    contact.get_by_label("Kanaal").select_option(label="Telefoon")
    contact.get_by_label("Onderwerp").fill("Voortgangsgesprek over vacature")
    contact.get_by_label("Notities").fill("Belt volgende week terug.")
    contact.get_by_role("button", name="Contact vastleggen").click()
    expect(
        page.get_by_role("status").filter(has_text="Het contactmoment is vastgelegd.")
    ).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Voortgangsgesprek over vacature")
    # The form is empty again, ready for the next one, and we never left the page.
    expect(contact.get_by_label("Onderwerp")).to_have_value("")
    assert_accessible(page)

    page.get_by_role("link", name="Nieuwe intake").click()
    assert_accessible(page)
    page.get_by_label("Trede participatieladder").select_option("3")
    page.get_by_label("Financiën", exact=True).first.select_option("4")
    page.get_by_label("Droom van de cliënt").fill("Koken in een restaurant")
    page.get_by_label("Geadviseerde route").select_option("employee")
    page.get_by_label("Inschatting arbeidsvermogen").select_option("within_two_years")
    page.get_by_role("button", name="Intake opslaan").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani")).to_be_visible()
    assert_accessible(page)

    expect(timeline).to_contain_text("Diagnose-intake")
    expect(timeline).to_contain_text("Voortgangsgesprek over vacature")
    page.get_by_text("Hele intake tonen").click()
    expect(timeline).to_contain_text("Koken in een restaurant")

    client = Client.objects.get(last_name="El Amrani")
    assert Contact.objects.get().client == client
    assert Intake.objects.get().ladder_observation.step == 3


def test_wrong_bsn_shows_its_message_and_keeps_the_other_fields(page, login, coach, team, assen):
    login("coach")
    page.get_by_role("link", name="Cliënt inschrijven").first.click()
    assert_accessible(page)
    fill_registration(page, bsn="123456783", postcode="9401ab")
    page.get_by_role("button", name="Opslaan").click()

    expect(
        page.get_by_text("Dit is geen geldig BSN: het voldoet niet aan de elfproef.")
    ).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Voornaam")).to_have_value("Selam")
    expect(page.get_by_label("Achternaam")).to_have_value("Tesfay")
    expect(page.get_by_label("Geboortedatum")).to_have_value("1994-05-17")
    expect(page.get_by_label("BSN")).to_have_value("123456783")
    assert not Client.objects.exists()

    page.get_by_label("BSN").fill("123456782")
    page.get_by_role("button", name="Opslaan").click()
    expect(page).to_have_url(re.compile(r"/clients/\d+/$"))
    expect(page.get_by_role("heading", name="Selam Tesfay")).to_be_visible()
    assert Client.objects.get().postcode == "9401 AB"
