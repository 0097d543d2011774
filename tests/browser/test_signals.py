import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory
from trajectories import reference
from trajectories.models import BranchTeam

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signal_disappears_once_the_coach_has_spoken_to_the_client(
    page, login, live_server, coach, team, assen
):
    reference.load()
    BranchTeam.objects.get(code="hodezo").coaches.add(coach)
    ClientFactory(
        first_name="Fatima",
        last_name="El Amrani",
        coach=coach,
        team=team,
        municipality=assen,
        registered_on=timezone.localdate() - datetime.timedelta(days=45),
    )
    login("coach")
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    signal = page.locator("#signal-no_conversation")
    expect(signal.get_by_role("heading", name="Geen gesprek in 30 dagen")).to_be_visible()
    expect(signal.get_by_text("nog geen gesprek")).to_be_visible()
    assert_accessible(page)

    signal.get_by_role("link", name="El Amrani, Fatima").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani")).to_be_visible()
    assert_accessible(page)
    contact = page.locator("#contact-panel")
    contact.get_by_label("Kanaal").select_option(label="Telefoon")
    contact.get_by_label("Onderwerp").fill("Hoe gaat het?")
    contact.get_by_role("button", name="Contact vastleggen").click()
    expect(
        page.get_by_role("status").filter(has_text="Het contactmoment is vastgelegd.")
    ).to_be_visible()

    page.get_by_role("link", name="Mijn caseload").click()
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    expect(signal.get_by_role("link", name="El Amrani, Fatima")).to_have_count(0)
    expect(signal.get_by_text("Niets te doen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Teamoverzicht").click()
    expect(page.get_by_role("heading", name="Teamoverzicht")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Hodezo").click()
    expect(page.get_by_role("heading", name="Teamoverzicht: Hodezo")).to_be_visible()
    assert_accessible(page)
