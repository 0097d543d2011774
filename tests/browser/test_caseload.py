"""A coach pages and sorts "Mijn caseload" and keeps seeing only their own active clients."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_pages_and_sorts_the_own_caseload(page, login, settings, coach, team, make_user):
    settings.CASELOAD_PAGE_SIZE = 5
    colleague = make_user("collega", "work_coach", teams=[team])
    # Mine: 7 active (pages of 5 and 2) and 2 who left; the colleague's: 6, same team.
    for n in range(7):
        ClientFactory(coach=coach, team=team, last_name=f"Mijn{n}", first_name="Eigen")
    for n in range(2):
        ClientFactory(
            coach=coach,
            team=team,
            last_name=f"Vertrokken{n}",
            deregistered_on=datetime.date(2025, 6, 1),
            deregistration_reason="work",
        )
    for n in range(6):
        ClientFactory(coach=colleague, team=team, last_name=f"Collega{n}", first_name="Ander")
    rows = page.locator("table tbody tr")
    login("coach")

    page.get_by_role("navigation").get_by_role("link", name="Mijn caseload").click()
    expect(page.get_by_role("heading", name="Mijn caseload", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("7 cliënten")
    expect(rows).to_have_count(5)

    page.get_by_role("link", name="volgende").click()
    page.wait_for_url(lambda url: "page=2" in url)
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Mijn caseload", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("7 cliënten")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Eigen")).to_have_count(2)

    # Sorting keeps the page it was on (django-tables2 replaces only `sort` in the query).
    page.get_by_role("columnheader").get_by_role("link", name="Naam").click()
    page.wait_for_url(lambda url: "sort=name" in url and "page=2" in url)
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Mijn caseload", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("7 cliënten")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Mijn5, Eigen")
    expect(rows.last).to_contain_text("Mijn6, Eigen")

    page.get_by_role("link", name="vorige").click()
    page.wait_for_url(lambda url: "page=1" in url and "sort=name" in url)
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text="Eigen")).to_have_count(5)
    expect(rows.first).to_contain_text("Mijn0, Eigen")
    expect(page.get_by_text("Collega")).to_have_count(0)
    expect(page.get_by_text("Vertrokken")).to_have_count(0)
