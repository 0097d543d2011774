import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_out
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_revealed_bsn_shows_up_in_the_access_log_with_the_coachs_name(
    page, login, live_server, coach, functional_admin, team, assen
):
    fatima = ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )
    login("coach")
    page.get_by_role("table").get_by_role("link", name="El Amrani, Fatima").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani")).to_be_visible()
    bsn = page.locator("#bsn")
    expect(bsn).to_contain_text(fatima.bsn_masked)
    expect(bsn).not_to_contain_text(fatima.bsn)
    page.get_by_role("button", name="Toon volledig BSN").click()
    expect(bsn).to_contain_text(fatima.bsn)
    expect(page.get_by_role("button", name="Toon volledig BSN")).to_have_count(0)
    assert_accessible(page)
    log_out(page)

    login("beheerder")
    page.get_by_role("link", name="Inzagelog").click()
    assert_accessible(page)
    page.get_by_label("BSN").fill(fatima.bsn)
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name=f"Inzage cliënt {fatima.pk}")).to_be_visible()
    assert fatima.bsn not in page.url
    accesses = page.get_by_role("table", name="Wie heeft het dossier ingezien")
    rows = accesses.locator("tbody tr")
    # Newest first: the administrator's own look-up by BSN is logged too (issue 14).
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("beheerder")
    expect(rows.nth(0)).to_contain_text("Opzoeken op BSN")
    expect(rows.nth(1)).to_contain_text("Sanne de Vries (coach)")
    expect(rows.nth(1)).to_contain_text("Volledig BSN")
    expect(rows.nth(2)).to_contain_text("Sanne de Vries (coach)")
    expect(rows.nth(2)).to_contain_text("Dossier")
    expect(page.locator("main")).not_to_contain_text(fatima.bsn)
    assert_accessible(page)
