import re

import pytest
from playwright.sync_api import expect

from clients import services
from clients.models import Client
from tests.browser.conftest import assert_accessible, fill_registration
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_double_clicked_registration_creates_one_client(page, login, coach, team, assen):
    login("coach")
    page.get_by_role("link", name="Cliënt inschrijven").first.click()
    fill_registration(page)
    page.get_by_role("button", name="Opslaan").dblclick()

    expect(page.get_by_role("heading", name="Selam Tesfay")).to_be_visible()
    expect(page.get_by_text("Er is al een cliënt met dit BSN ingeschreven")).to_have_count(0)
    assert Client.objects.count() == 1


def test_a_save_over_a_colleagues_change_shows_both_and_keeps_the_input(
    page, login, coach, team, assen, make_user
):
    client = ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )
    login("coach")
    page.goto(page.url.split("/clients")[0] + f"/clients/{client.pk}/edit/")
    page.get_by_label("Telefoonnummer").fill("06-12345678")
    # While the coach types, a colleague saves another phone number.
    services.client_update(
        actor=make_user("collega"), client=Client.objects.get(pk=client.pk), phone="0592-111111"
    )
    page.get_by_role("button", name="Opslaan").click()

    warning = page.locator("#concurrent-edit")
    expect(warning).to_contain_text("Iemand anders heeft deze cliënt gewijzigd terwijl u bewerkte")
    row = warning.get_by_role("row", name=re.compile("Telefoonnummer"))
    expect(row).to_contain_text("0592-111111")
    expect(row).to_contain_text("06-12345678")
    expect(page.get_by_label("Telefoonnummer")).to_have_value("06-12345678")
    assert_accessible(page)
    assert Client.objects.get(pk=client.pk).phone == "0592-111111"

    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani")).to_be_visible()
    assert Client.objects.get(pk=client.pk).phone == "06-12345678"
