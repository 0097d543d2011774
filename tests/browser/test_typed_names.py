"""A coach registers a client and gives them to a colleague of another team, typing the team
and the coach with the suggestions the form offers (clients.forms.typed_names)."""

import os

import pytest
from playwright.sync_api import expect

from clients.models import Client
from core import roles
from tests.browser.conftest import assert_accessible, fill_registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_types_the_team_and_coach_of_a_new_client(
    page, login, coach, other_team, assen, make_user
):
    colleague = make_user(
        "pbos", roles.WORK_COACH, teams=[other_team], first_name="Pim", last_name="Bos"
    )
    login("coach")
    page.get_by_role("link", name="Cliënt inschrijven").first.click()
    fill_registration(page)
    team = page.get_by_role("combobox", name="Team")
    expect(team).to_have_value("Team Assen")  # the coach's own team, as the form starts
    team.fill("tyn")
    expect(page.locator("#client-team-options option")).to_have_attribute("value", "Team Tynaarlo")
    team.fill("Team Tynaarlo")
    coach_field = page.get_by_role("combobox", name="Werkcoach")
    coach_field.fill("bos")
    written = "Pim Bos (pbos)"
    expect(page.locator("#client-coach-options option").first).to_have_attribute("value", written)
    assert_accessible(page)
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/client-typed-coach.png", full_page=True)
    coach_field.fill(written)
    page.get_by_role("button", name="Opslaan").click()
    # Another team's client: the coach may not open the dossier, so the caseload says it.
    expect(page.get_by_text("Selam Tesfay is ingeschreven.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn caseload")
    client = Client.objects.get(bsn="123456782")
    assert (client.team, client.coach) == (other_team, colleague)
