"""A manager finds the unassigned clients in the menu and gives two of them a team and coach."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_assigns_ticked_clients_from_the_worklist(page, login, manager, coach, team):
    for name in ("Akbari", "Bos", "Claes"):
        ClientFactory(team=None, first_name="Nog", last_name=name)
    login("manager")
    page.get_by_role("navigation").get_by_role("link", name="Niet toegewezen").click()
    expect(page.get_by_role("heading", name="Niet toegewezen", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("3 cliënten")
    assert_accessible(page)
    page.get_by_role("checkbox", name="Nog Akbari selecteren").check()
    page.get_by_role("checkbox", name="Nog Claes selecteren").check()
    # Typed, with suggestions from the worklist (htmx fills the field's datalist).
    page.get_by_role("combobox", name="Team").fill("Ass")
    expect(page.locator("#assign-team-options option")).to_have_count(1)
    expect(page.locator("#assign-team-options option")).to_have_attribute("value", team.name)
    page.get_by_role("combobox", name="Team").fill(team.name)
    page.get_by_role("combobox", name="Werkcoach").fill("sanne")
    expect(page.locator("#assign-coach-options option")).to_have_attribute(
        "value", f"{coach} ({coach.username})"
    )
    page.get_by_role("combobox", name="Werkcoach").fill(f"{coach} ({coach.username})")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.environ["SCREENSHOTS"] + "/worklist.png", full_page=True)
    page.get_by_role("button", name="Aangevinkte cliënten toewijzen").click()
    expect(page.get_by_text("2 cliënten toegewezen aan Team Assen")).to_be_visible()
    expect(page.get_by_text("1 cliënt", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Bos, Nog")).to_be_visible()
