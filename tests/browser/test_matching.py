"""An account manager's day: an employer, a vacancy, a ranked and explained candidate list,
re-weighing, proposing, an anonymous shortlist, and a hire (issue 6, done when)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.models import Municipality
from core.reference import load_reference_data
from employers import reference, services
from employers.models import Employer, Match, Sector, Skill
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidates(coach, team):
    load_reference_data()
    reference.load()

    def candidate(first, last, town, sectors, skills, hours):
        client = ClientFactory(
            first_name=first,
            last_name=last,
            coach=coach,
            team=team,
            municipality=Municipality.objects.get(name=town),
            postcode="9401 AB" if town == "Assen" else "7811 AB",
        )
        services.candidate_profile_save(
            actor=coach,
            client=client,
            sectors=Sector.objects.filter(code__in=sectors),
            skills=Skill.objects.filter(code__in=skills),
            hours_per_week=hours,
            available_from=datetime.date(2026, 1, 1),
            language_level="b1",
            driving_licence=True,
            open_for_matching=True,
        )
        return client

    both = ["customer_contact", "cleaning_methods"]
    return [
        candidate("Anna", "Kuipers", "Assen", ["care"], both, 32),
        candidate("Yusuf", "Demir", "Emmen", ["care"], both, 32),
        candidate("Kees", "Smit", "Assen", ["retail"], [], 16),
    ]


def names_in_ranking(page):
    return page.locator("#ranking tbody tr td:nth-child(2) a").all_inner_texts()


def test_account_manager_registers_employer_vacancy_ranks_proposes_shortlists_and_hires(
    page, login, live_server, account_manager, candidates, browser
):
    login("accountmanager")
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()
    assert_accessible(page)

    # An employer, first with a KvK number of seven digits.
    page.get_by_role("link", name="Werkgever registreren").click()
    page.get_by_label("Naam").fill("Zorggroep Drentse Aa")
    page.get_by_label("KvK-nummer").fill("1234567")
    page.get_by_label("Gemeente").select_option(label="Assen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Een KvK-nummer heeft precies 8 cijfers")).to_be_visible()
    expect(page.get_by_label("Naam")).to_have_value("Zorggroep Drentse Aa")
    assert_accessible(page)
    assert not Employer.objects.exists()
    page.get_by_label("KvK-nummer").fill("1234 5678")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Zorggroep Drentse Aa")).to_be_visible()
    assert Employer.objects.get().kvk_number == "12345678"
    assert_accessible(page)

    # A vacancy with two required skills, suitable for the register.
    page.get_by_role("link", name="Nieuwe vacature").click()
    page.get_by_label("Titel").fill("Medewerker facilitair")
    page.get_by_label("Sector").select_option(label="Zorg en welzijn")
    page.get_by_label("Uren per week").fill("32")
    page.get_by_label("Werkplek (gemeente)").select_option(label="Assen")
    page.get_by_label("Klantcontact").check()
    page.get_by_label("Schoonmaaktechnieken").check()
    page.locator("#id_register_rule").select_option("suitable")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name=re.compile("Medewerker facilitair"))).to_be_visible()
    assert_accessible(page)

    # Ranked and explained: Anna fits on every criterion, Yusuf lives 32 km away, Kees is
    # interested in retail, has no required skill and half the hours.
    assert names_in_ranking(page) == ["Anna Kuipers", "Yusuf Demir", "Kees Smit"]
    anna = page.locator("#ranking tbody tr").first
    expect(anna.locator(".criterion-skills")).to_contain_text("2 van 2 vereiste vaardigheden")
    expect(anna.locator(".criterion-distance")).to_contain_text("ongeveer 0 km")
    expect(page.locator("#ranking tbody tr").nth(1).locator(".criterion-distance")).to_contain_text(
        "ongeveer 32 km"
    )

    # Re-weighed: only distance counts; Yusuf, far away, drops to the bottom.
    for criterion in ["Sector", "Uren", "Vaardigheden", "Beschikbaarheid", "Doelgroepregister"]:
        page.get_by_label(f"Gewicht: {criterion}").fill("0")
    page.get_by_label("Gewicht: Afstand").fill("10")
    page.get_by_role("button", name="Opnieuw rangschikken").click()
    expect(page.locator("#ranking tbody tr").last).to_contain_text("Yusuf Demir")
    assert names_in_ranking(page)[-1] == "Yusuf Demir"
    assert_accessible(page)

    # Two candidates proposed.
    page.get_by_role("button", name="Anna Kuipers voordragen").click()
    expect(page.get_by_text("Anna Kuipers is voorgedragen voor deze vacature.")).to_be_visible()
    page.get_by_role("button", name="Yusuf Demir voordragen").click()
    expect(page.get_by_text("Yusuf Demir is voorgedragen voor deze vacature.")).to_be_visible()
    assert Match.objects.count() == 2

    # On a phone (390 px) the page, its ranking and the pipeline's step forms fit the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    step = page.get_by_label("Volgende stap voor Anna Kuipers")
    assert step.bounding_box()["x"] + step.bounding_box()["width"] <= 390
    page.set_viewport_size({"width": 1280, "height": 720})

    # An anonymous shortlist for the employer: a link without login, no names, no BSNs.
    page.get_by_role("button", name="Anonieme shortlist maken").click()
    link = page.locator("a.shortlist-link").first.get_attribute("href")
    employer_view = browser.new_context().new_page()
    employer_view.goto(link)
    expect(employer_view.get_by_role("heading", name="Kandidaat A")).to_be_visible()
    expect(employer_view.get_by_role("heading", name="Kandidaat B")).to_be_visible()
    assert_accessible(employer_view)
    text = employer_view.content()
    for client in candidates:
        for secret in (client.first_name, client.last_name, client.bsn, client.address):
            if secret:
                assert secret not in text
    employer_view.context.close()

    # The client agreed to share her name; introduced, then hired.
    anna_profile = candidates[0].candidate_profile
    page.goto(f"{live_server.url}/werkgevers/kandidaten/{anna_profile.pk}/")
    page.get_by_label("Toestemming gegeven op").fill("2026-11-20")
    page.get_by_label("Reikwijdte").select_option(
        label="Elke werkgever waarvoor het bedrijf de cliënt voordraagt"
    )
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Medewerker facilitair")).first.click()
    page.get_by_label("Volgende stap voor Anna Kuipers").select_option(
        label="Voorgesteld aan werkgever"
    )
    page.locator("#pipeline tr", has_text="Anna Kuipers").get_by_role(
        "button", name="Stap opslaan"
    ).click()
    expect(page.get_by_text("De match staat nu op: Voorgesteld aan werkgever.")).to_be_visible()
    page.get_by_label("Volgende stap voor Anna Kuipers").select_option(label="Aangenomen")
    page.locator("#pipeline tr", has_text="Anna Kuipers").get_by_role(
        "button", name="Stap opslaan"
    ).click()
    expect(page.get_by_text("De match staat nu op: Aangenomen.")).to_be_visible()
    assert_accessible(page)
    assert Match.objects.get(client=candidates[0]).stage == "hired"
    assert Match.objects.get(client=candidates[1]).stage == "proposed"


def test_a_register_only_vacancy_ranks_register_candidates_and_the_account_manager_reads_letters(
    page, login, live_server, account_manager, coach, team, browser
):
    """Issue 19: a vacancy set aside for the target-group register ranks only its candidates;
    the account manager sees which candidate is letter A of the anonymous shortlist."""
    load_reference_data()
    reference.load()
    both = ["customer_contact", "cleaning_methods"]

    def candidate(first, last, register, skills):
        client = ClientFactory(
            first_name=first,
            last_name=last,
            coach=coach,
            team=team,
            municipality=Municipality.objects.get(name="Assen"),
            postcode="9401 AB",
            target_group_register=register,
        )
        services.candidate_profile_save(
            actor=coach,
            client=client,
            sectors=Sector.objects.filter(code__in=["care"]),
            skills=Skill.objects.filter(code__in=skills),
            hours_per_week=32,
            available_from=datetime.date(2026, 1, 1),
            language_level="b1",
            driving_licence=True,
            open_for_matching=True,
        )
        return client

    outside = candidate("Yusuf", "Demir", False, both)  # fits best, but not in the register
    partly = candidate("Kees", "Smit", True, [])
    fits = candidate("Anna", "Kuipers", True, both)
    employer = services.employer_register(
        actor=account_manager,
        name="Zorggroep Drentse Aa",
        municipality=Municipality.objects.get(name="Assen"),
        account_manager=account_manager,
    )

    login("accountmanager")
    page.goto(f"{live_server.url}/werkgevers/{employer.pk}/")
    page.get_by_role("link", name="Nieuwe vacature").click()
    page.get_by_label("Titel").fill("Medewerker facilitair")
    page.get_by_label("Sector").select_option(label="Zorg en welzijn")
    page.get_by_label("Uren per week").fill("32")
    page.get_by_label("Werkplek (gemeente)").select_option(label="Assen")
    page.get_by_label("Klantcontact").check()
    page.get_by_label("Schoonmaaktechnieken").check()
    page.locator("#id_register_rule").select_option("only")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name=re.compile("Medewerker facilitair"))).to_be_visible()
    expect(page.locator("#register-note")).to_be_visible()
    assert_accessible(page)

    # Only the register's candidates, best first: Yusuf fits best but is not in the register.
    assert names_in_ranking(page) == ["Anna Kuipers", "Kees Smit"]
    page.get_by_role("button", name="Kees Smit voordragen").click()
    page.get_by_role("button", name="Anna Kuipers voordragen").click()
    expect(page.get_by_text("Anna Kuipers is voorgedragen voor deze vacature.")).to_be_visible()
    page.get_by_role("button", name="Anonieme shortlist maken").click()

    # The key to the letters, only on the account manager's page: Anna, the better fit, is A.
    key = page.locator("table.shortlist-key")
    expect(key).to_be_visible()
    expect(key.locator("tbody tr").nth(0)).to_contain_text("Kandidaat A")
    expect(key.locator("tbody tr").nth(0)).to_contain_text("Anna Kuipers")
    expect(key.locator("tbody tr").nth(1)).to_contain_text("Kandidaat B")
    expect(key.locator("tbody tr").nth(1)).to_contain_text("Kees Smit")
    assert_accessible(page)
    link = page.locator("a.shortlist-link").first.get_attribute("href")

    employer_view = browser.new_context().new_page()
    employer_view.goto(link)
    expect(employer_view.get_by_role("heading", name="Kandidaat A")).to_be_visible()
    first_card = employer_view.locator(".shortlist-candidate").first
    expect(first_card).to_contain_text("2 van 2 vereiste vaardigheden")  # Anna's skills
    assert employer_view.locator(".shortlist-key").count() == 0
    text = employer_view.content()
    for client in (outside, partly, fits):
        assert client.last_name not in text and client.first_name not in text
    employer_view.context.close()
