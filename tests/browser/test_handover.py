"""A team leader hands a departing coach's caseload over; the new coach reads the handover
note on the dossier and dismisses it."""

import os
import re

import pytest
from playwright.sync_api import expect

from clients.handover import coach_periods_sync
from clients.models import Client, CoachChangeReason
from core import roles
from tests.browser.conftest import assert_accessible, log_out
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_leader_hands_a_departing_coachs_caseload_over(
    page, login, manager, coach, team, other_team, make_user
):
    leaving = make_user(
        "vertrekt", roles.WORK_COACH, teams=[team], first_name="Karin", last_name="Post"
    )
    busy = make_user(
        "druk", roles.WORK_COACH, teams=[team], first_name="Bas", last_name="Vol", max_caseload=2
    )
    ClientFactory(coach=busy, team=team)  # Bas: 1 of 2; Sanne (coach): 0 of 60
    make_user("edam", roles.WORK_COACH, teams=[other_team], first_name="Els", last_name="Dam")
    for first, last in (("Ruud", "Kok"), ("Noor", "Haddou"), ("Wim", "Zijl")):
        ClientFactory(coach=leaving, team=team, first_name=first, last_name=last)
    # Their history so far, as the migration gives every client with a coach.
    coach_periods_sync(
        clients=Client.objects.all(), actor=None, reason=CoachChangeReason.REGISTRATION
    )

    login("manager")
    page.get_by_role("navigation").get_by_role("link", name="Caseloads").click()
    expect(page.get_by_role("heading", name="Caseloads", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Karin Post"))).to_contain_text("3")
    expect(page.get_by_role("row", name=re.compile("Els Dam"))).to_be_visible()
    # The team is typed, with suggestions: a region's teams are not all sent as options.
    team_filter = page.get_by_role("combobox", name="Team")
    team_filter.fill("ass")
    suggestions = page.locator("#caseloads-team-options option")
    expect(suggestions).to_have_count(1)  # not Team Tynaarlo
    expect(suggestions).to_have_attribute("value", "Team Assen")
    team_filter.fill("Team Assen")
    assert_accessible(page)
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/caseloads.png", full_page=True)
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("row", name=re.compile("Els Dam"))).to_have_count(0)
    page.get_by_role("link", name=re.compile("de caseload van Karin Post")).click()

    expect(
        page.get_by_role("heading", name="Caseload van Karin Post overdragen", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Voorstel: Sanne de Vries, met de meeste ruimte (60).")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("^Sanne de Vries"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile("^Bas Vol"))).not_to_be_checked()
    for name in ("Kok, Ruud", "Haddou, Noor", "Zijl, Wim"):
        expect(page.get_by_role("checkbox", name=name)).to_be_checked()
    expect(page.get_by_role("link", name="Kok, Ruud")).to_have_count(0)  # no dossier links
    assert_accessible(page)
    page.get_by_role("radio", name="Coach uit dienst").check()
    page.get_by_label("Overdrachtsnotitie").fill(
        "Karin is per 1 december uit dienst. Ruud wacht op een reactie van de bakker."
    )
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/handover.png", full_page=True)
    page.get_by_role("button", name="Overdragen", exact=True).click()
    expect(
        page.get_by_text("3 cliënten van Karin Post overgedragen: 3 aan Sanne de Vries.")
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Sanne de Vries"))).to_contain_text("3")
    assert_accessible(page)
    log_out(page)

    login("coach")
    page.get_by_role("navigation").get_by_role("link", name="Mijn caseload").click()
    handed = page.get_by_role("region", name="Cliënten aan u overgedragen")
    expect(handed.get_by_role("link")).to_have_count(3)
    assert_accessible(page)
    handed.get_by_role("link", name="Kok, Ruud").click()
    note = page.get_by_role("region", name="Overdrachtsnotitie")
    expect(note).to_contain_text("Ruud wacht op een reactie van de bakker.")
    history = page.get_by_role("region", name="Coachgeschiedenis")
    expect(history.get_by_role("row", name=re.compile("Sanne de Vries"))).to_contain_text(
        "Coach uit dienst"
    )
    expect(history.get_by_role("row", name=re.compile("Karin Post"))).to_contain_text(
        "Inschrijving"
    )
    assert_accessible(page)
    note.get_by_role("button", name="Gelezen, notitie afsluiten").click()
    expect(page.get_by_text("De overdrachtsnotitie is afgesloten")).to_be_visible()
    expect(page.get_by_role("region", name="Overdrachtsnotitie")).to_have_count(0)
    assert_accessible(page)
