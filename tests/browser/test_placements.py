"""A coach places a client, records the wage value, requests a structural wage-cost subsidy and
sees the calculator propose the amount of the hand calculation; bad input is refused in Dutch
with nothing lost; a temporary contract about to end shows on the coach's start page."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from placements.models import Provision
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory
from tests.placements.factories import EmployerFactory, PlacementFactory, WageParametersFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fatima(coach, team, assen):
    return ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )


def base_url(page):
    return "/".join(page.url.split("/")[:3])


def test_placement_with_wage_value_and_structural_subsidy_as_calculated_by_hand(
    page, login, fatima
):
    # DOMAIN.md's example, by hand: minimum wage 2,000 a month; 32 of 36 hours; wage value 60%.
    #   base    = 2,000 x 1.08 x 32 / 36 = 2,160 x 32 / 36 = 1,920.00
    #   core    = min(1,920 x (1 - 0.60), 0.70 x 1,920) = min(768.00, 1,344.00) = 768.00
    #   subsidy = 768 x 1.235 = 768 + 180.48 = 948.48 a month
    WageParametersFactory(valid_from=datetime.date(2026, 1, 1), minimum_wage_month=Decimal(2000))
    EmployerFactory(name="Bakkerij Van der Molen")
    login("coach")
    page.goto(f"{base_url(page)}/clients/{fatima.pk}/")
    panel = page.locator("#placements")
    expect(panel).to_contain_text("Nog geen plaatsingen.")

    # The placement.
    panel.get_by_role("link", name="Nieuwe plaatsing").click()
    expect(
        page.get_by_role("heading", name="Een cliënt plaatsen bij een werkgever")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Werkgever").select_option(label="Bakkerij Van der Molen")
    page.get_by_label("Soort plaatsing").select_option(label="Regulier dienstverband")
    page.get_by_label("Functie").fill("Bakkersassistent")
    page.get_by_label("Startdatum").fill("2026-03-02")
    page.get_by_label("Contract", exact=True).select_option(label="Tijdelijk contract")
    page.get_by_label("Einddatum contract").fill("2027-03-01")
    page.get_by_label("Uren per week").fill("32")
    page.get_by_role("button", name="Plaatsing opslaan").click()
    expect(page.get_by_text("De plaatsing is opgeslagen.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="El Amrani, Fatima bij Bakkerij Van der Molen")
    ).to_be_visible()
    assert_accessible(page)

    # The wage value, 60%.
    page.goto(f"{base_url(page)}/clients/{fatima.pk}/")
    page.locator("#placements").get_by_role("link", name="Nieuwe loonwaardebepaling").click()
    assert_accessible(page)
    page.get_by_label("Bepaald op").fill("2026-03-16")
    page.get_by_label("Loonwaardedeskundige").fill("J. de Boer")
    page.get_by_label("Loonwaarde (%)").fill("60")
    page.get_by_role("button", name="Loonwaardebepaling opslaan").click()
    expect(page.get_by_text("De loonwaardebepaling is opgeslagen.")).to_be_visible()
    expect(page.locator("#assessments-table")).to_contain_text("60%")
    expect(page.get_by_role("img", name="Ontwikkeling van de loonwaarde")).to_be_visible()
    assert_accessible(page)

    # A structural wage-cost subsidy from the start of the placement.
    page.locator("#placements").get_by_role("link", name="Een voorziening aanvragen").click()
    assert_accessible(page)
    page.get_by_label("Soort voorziening").select_option(label="Loonkostensubsidie (structureel)")
    page.get_by_label("Aangevraagd op").fill("2026-02-20")
    page.get_by_label("Startdatum").fill("2026-03-02")
    page.get_by_role("button", name="Voorziening opslaan").click()
    expect(page.get_by_text("De voorziening is opgeslagen.")).to_be_visible()

    # The calculator proposes the amount, showing every step.
    page.locator("#placements").get_by_role("link", name="Subsidie berekenen").click()
    expect(page.get_by_role("heading", name="Rekenhulp loonkostensubsidie")).to_be_visible()
    expect(page.get_by_label("Startdatum van de subsidie")).to_have_value("2026-03-02")
    expect(page.get_by_label("Loonwaarde (%)")).to_have_value("60,00")
    expect(page.get_by_label("Contracturen per week")).to_have_value("32,00")
    page.get_by_label("Uren per week bij een volledige werkweek").fill("36")
    page.get_by_role("button", name="Berekenen").click()
    steps = page.locator("#calculation")
    expect(steps.locator("[data-step=base]")).to_contain_text("€ 1.920,00")
    expect(steps.locator("[data-step=core]")).to_contain_text("€ 768,00")
    expect(steps.locator("[data-step=subsidy]")).to_contain_text("€ 948,48")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan en dit bedrag voorstellen").click()
    expect(page.get_by_text("De berekening is opgeslagen")).to_be_visible()
    expect(page.locator(".saved-calculation").first).to_contain_text("€ 948,48 per maand")
    assert Provision.objects.get().amount_eur == Decimal("948.48")

    page.goto(f"{base_url(page)}/clients/{fatima.pk}/")
    expect(page.locator("#placements .provisions-table")).to_contain_text("€ 948,48")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Plaatsing begonnen")
    expect(timeline).to_contain_text("Loonwaarde bepaald")
    expect(timeline).to_contain_text("Voorziening aangevraagd")
    assert_accessible(page)


def test_bad_input_is_refused_in_dutch_and_nothing_typed_is_lost(page, login, fatima):
    EmployerFactory(name="Hotel De Brink")
    login("coach")
    page.goto(f"{base_url(page)}/plaatsingen/nieuw/?client={fatima.pk}")
    page.get_by_label("Werkgever").select_option(label="Hotel De Brink")
    page.get_by_label("Soort plaatsing").select_option(label="Proefplaatsing")
    page.get_by_label("Functie").fill("Medewerker bediening")
    page.get_by_label("Startdatum").fill("2026-03-02")
    page.get_by_label("Einddatum", exact=True).fill("2026-02-01")
    page.get_by_label("Reden einde plaatsing").select_option(label="Zelf opgezegd")
    page.get_by_label("Uren per week").fill("41")
    page.get_by_label("Notities").fill("Wil graag in de avond werken")
    page.get_by_role("button", name="Plaatsing opslaan").click()
    expect(
        page.get_by_text("De einddatum kan niet vóór de startdatum (02-03-2026) liggen.")
    ).to_be_visible()
    expect(
        page.get_by_text("Uren per week moeten meer dan 0 en hoogstens 40 zijn.")
    ).to_be_visible()
    expect(page.get_by_label("Functie")).to_have_value("Medewerker bediening")
    expect(page.get_by_label("Uren per week")).to_have_value("41")
    expect(page.get_by_label("Notities")).to_have_value("Wil graag in de avond werken")
    assert_accessible(page)
    # Hours of 0 are refused too; corrected, the placement is saved.
    page.get_by_label("Einddatum", exact=True).fill("2026-04-01")
    page.get_by_label("Uren per week").fill("0")
    page.get_by_role("button", name="Plaatsing opslaan").click()
    expect(
        page.get_by_text("Uren per week moeten meer dan 0 en hoogstens 40 zijn.")
    ).to_be_visible()
    page.get_by_label("Uren per week").fill("24")
    page.get_by_role("button", name="Plaatsing opslaan").click()
    expect(page.get_by_text("De plaatsing is opgeslagen.")).to_be_visible()

    # A wage value above 100%.
    page.goto(f"{base_url(page)}/plaatsingen/client/{fatima.pk}/loonwaarde/")
    page.get_by_label("Bepaald op").fill("2026-04-15")
    page.get_by_label("Methode").fill("Landelijke methode loonwaardebepaling")
    page.get_by_label("Loonwaarde (%)").fill("101")
    page.get_by_role("button", name="Loonwaardebepaling opslaan").click()
    expect(page.get_by_text("De loonwaarde moet tussen 0 en 100% liggen.")).to_be_visible()
    expect(page.get_by_label("Loonwaarde (%)")).to_have_value("101")
    expect(page.get_by_label("Methode")).to_have_value("Landelijke methode loonwaardebepaling")
    assert_accessible(page)


def test_a_temporary_contract_about_to_end_is_on_the_coach_start_page(
    page, login, fatima, settings
):
    settings.AFTERCARE_CONTRACT_END_WEEKS = 8
    today = datetime.date.today()
    PlacementFactory(
        client=fatima,
        employer=EmployerFactory(name="Supermarkt Vries"),
        start_date=today - datetime.timedelta(days=200),
        contract_end_date=today + datetime.timedelta(days=18),
    )
    login("coach")
    card = page.locator("#aftercare-contract-end")
    expect(card).to_contain_text("El Amrani, Fatima")
    expect(card).to_contain_text("Supermarkt Vries")
    expect(card).to_contain_text("Tijdelijk contract loopt af")
    assert_accessible(page)
    card.get_by_role("button", name="Afgehandeld").click()
    expect(page.get_by_text("De nazorgactie is afgehandeld.")).to_be_visible()
    expect(page.locator("#aftercare-contract-end")).to_contain_text("Niets te doen.")
