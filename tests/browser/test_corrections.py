"""Correcting the record (issue 17): a contact logged on the wrong client is moved to the right
one with a reason, the timeline shows that it was corrected and why; a removal with a reason
leaves the timeline and shows up for the functional administrator."""

import pytest
from playwright.sync_api import expect

from clients.models import Contact, Correction
from tests.browser.conftest import assert_accessible, log_out
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_moves_a_contact_to_the_right_client_and_removes_another(
    page, login, live_server, coach, team, assen, functional_admin
):
    wrong = ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )
    right = ClientFactory(
        first_name="Jan", last_name="Jansen", coach=coach, team=team, municipality=assen
    )
    login("coach")

    # The contact is logged from the wrong client's dossier.
    page.goto(f"{live_server.url}/clients/{wrong.pk}/")
    contact = page.locator("#contact-panel")
    contact.get_by_label("Kanaal").select_option(label="Telefoon")
    contact.get_by_label("Onderwerp").fill("Sollicitatie bij de bakker")
    contact.get_by_role("button", name="Contact vastleggen").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Sollicitatie bij de bakker")

    # Correct it: the right client, and why.
    timeline.get_by_role("link", name="Corrigeren dit contactmoment").click()
    expect(page.get_by_role("heading", name="Een contactmoment corrigeren")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Cliënt").select_option(str(right.pk))
    # Without a reason the browser does not send it (the server refuses it too: view test).
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_role("heading", name="Een contactmoment corrigeren")).to_be_visible()
    assert Contact.objects.get().client == wrong
    page.get_by_label("Reden van de correctie").fill("Bij de verkeerde cliënt vastgelegd")
    page.get_by_role("button", name="Correctie opslaan").click()

    expect(page.get_by_role("heading", name="Jan Jansen")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="gecorrigeerd")).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Sollicitatie bij de bakker")
    expect(timeline.locator(".badge", has_text="Gecorrigeerd")).to_be_visible()
    expect(timeline).to_contain_text("Bij de verkeerde cliënt vastgelegd")
    timeline.get_by_text("Wat is er gewijzigd").click()
    expect(timeline).to_contain_text("Hierheen verplaatst uit het dossier van een andere cliënt")
    assert_accessible(page)

    page.goto(f"{live_server.url}/clients/{wrong.pk}/")
    expect(page.locator("#timeline")).not_to_contain_text("Sollicitatie bij de bakker")

    # A contact logged twice is removed, with a reason.
    page.goto(f"{live_server.url}/clients/{right.pk}/")
    contact = page.locator("#contact-panel")
    contact.get_by_label("Kanaal").select_option(label="E-mail")
    contact.get_by_label("Onderwerp").fill("Dubbel ingevoerde mail")
    contact.get_by_role("button", name="Contact vastleggen").click()
    timeline = page.locator("#timeline")
    entry = timeline.locator("li", has_text="Dubbel ingevoerde mail")
    entry.get_by_role("link", name="Verwijderen dit contactmoment").click()
    assert_accessible(page)
    page.get_by_label("Reden van verwijderen").fill("Twee keer vastgelegd")
    page.get_by_role("button", name="Verwijderen").click()
    expect(
        page.get_by_role("status").filter(has_text="Het contactmoment is verwijderd.")
    ).to_be_visible()
    expect(page.locator("#timeline")).not_to_contain_text("Dubbel ingevoerde mail")
    expect(page.locator("#timeline")).to_contain_text("Sollicitatie bij de bakker")
    assert Contact.objects.get().client == right
    assert Correction.objects.count() == 2
    log_out(page)

    # The functional administrator sees the removed contact with its reason.
    login("beheerder")
    page.goto(f"{live_server.url}/clients/removed/")
    expect(page.get_by_role("heading", name="Verwijderde gegevens")).to_be_visible()
    assert_accessible(page)
    rows = page.get_by_role("table")
    expect(rows).to_contain_text("Twee keer vastgelegd")
    expect(rows).to_contain_text("Contactmoment")
    expect(rows).to_contain_text("Jansen, Jan")


def test_the_timeline_loads_more_in_place(page, login, live_server, coach, team, assen):
    from tests.factories import ContactFactory

    client = ClientFactory(coach=coach, team=team, municipality=assen)
    ContactFactory.create_batch(30, client=client)
    login("coach")
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    entries = page.locator("#timeline-entries > li")
    expect(entries).to_have_count(25)
    page.get_by_role("link", name="Meer laden").click()
    expect(entries).to_have_count(30)
    expect(page.get_by_role("link", name="Meer laden")).to_have_count(0)
    # The dossier stayed where it was, and focus went to the first entry of the new page.
    assert page.url.endswith(f"/clients/{client.pk}/")
    expect(entries.nth(25)).to_be_focused()
    assert_accessible(page)
