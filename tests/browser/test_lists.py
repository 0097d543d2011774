"""An account manager filters and pages the employer and vacancy lists; the filters are found
by their labels, the pager by its links, and each page passes axe (issue 16: one list idiom)."""

import os

import pytest
from playwright.sync_api import expect

from core.models import Municipality
from employers.models import Employer, Sector, Vacancy
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot(page, name):
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['SCREENSHOTS']}/{name}.png", full_page=True)


def test_account_manager_filters_and_pages_employers_and_vacancies(
    page, login, account_manager, make_user, assen
):
    colleague = make_user("collega", "account_manager")
    # Mine: 27 in Assen (pages of 25 and 2); the colleague's: 3.
    for n in range(27):
        Employer.objects.create(
            name=f"Bouw {n:02}", municipality=assen, account_manager=account_manager
        )
    emmen = Municipality.objects.get_or_create(name="Emmen")[0]
    for n in range(3):
        Employer.objects.create(name=f"Zorg {n}", municipality=emmen, account_manager=colleague)
    care = Sector.objects.get_or_create(code="care", defaults={"name": "Zorg"})[0]
    for n, employer in enumerate(Employer.objects.order_by("name")[:3]):
        Vacancy.objects.create(
            employer=employer,
            title=f"Timmerman {n}",
            sector=care,
            hours_per_week=32,
            municipality=assen,
            status=Vacancy.Status.CLOSED if n == 2 else Vacancy.Status.OPEN,
        )
    rows = page.locator("table tbody tr")
    login("accountmanager")

    page.get_by_role("navigation").get_by_role("link", name="Werkgevers", exact=True).click()
    expect(page.get_by_role("heading", name="Werkgevers", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("30 werkgevers")
    page.get_by_label("Alleen mijn werkgevers").check()
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(lambda url: "mine=1" in url)
    expect(page.get_by_role("status")).to_contain_text("27 werkgevers")
    expect(rows).to_have_count(25)
    assert_accessible(page)
    shoot(page, "employer_list")
    page.get_by_role("link", name="Volgende").click()
    page.wait_for_url(lambda url: "mine=1" in url and "page=2" in url)
    expect(page.get_by_text("Pagina 2 van 2")).to_be_visible()
    expect(rows).to_have_count(2)
    expect(page.get_by_label("Alleen mijn werkgevers")).to_be_checked()
    page.get_by_role("link", name="Vorige").click()
    page.wait_for_url(lambda url: "page=1" in url)
    expect(rows).to_have_count(25)

    page.get_by_role("navigation").get_by_role("link", name="Vacatures", exact=True).click()
    table = page.get_by_role("table", name="Vacatures")
    expect(table.locator("tbody tr")).to_have_count(2)  # the open ones
    page.get_by_label("Status").select_option(label="Alle")
    page.get_by_label("Sector").select_option(label=care.name)
    page.get_by_role("button", name="Filteren").click()
    page.wait_for_url(lambda url: "status=all" in url)
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.get_by_role("link", name="Timmerman 2")).to_be_visible()
    assert_accessible(page)
    shoot(page, "vacancy_list")
