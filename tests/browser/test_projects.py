"""A manager creates a pilot in the product, adds clients from a filtered list, a placement moves
one to "placed", and the project page shows the funnel per month (issue 19). The events and the
groups compared have their own browser tests (test_events.py, test_project_groups.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import TargetGroup
from placements import services as placement_services
from placements.models import Contract, PlacementKind, WageValueAssessment
from projects.models import MemberStatus, Project
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory
from tests.placements.factories import EmployerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_creates_a_pilot_adds_clients_and_a_placement_moves_one_to_placed(
    page, login, live_server, manager, coach, team, assen
):
    today = timezone.localdate()
    wajong = {"coach": coach, "team": team, "municipality": assen}
    anna = ClientFactory(first_name="Anna", last_name="Aalders", target_group="wajong", **wajong)
    bram = ClientFactory(first_name="Bram", last_name="Bakker", target_group="wajong", **wajong)
    ClientFactory(
        first_name="Cor", last_name="Claassen", target_group=TargetGroup.SOCIAL_ASSISTANCE, **wajong
    )
    for client, value in ((anna, "50"), (bram, "55")):
        WageValueAssessment.objects.create(
            client=client, assessed_on=today, wage_value_percent=Decimal(value)
        )

    login("manager")
    page.get_by_role("link", name="Projecten").first.click()
    page.get_by_role("link", name="Nieuw project").click()
    assert_accessible(page)
    page.get_by_label("Naam").first.fill("Pilot detachering Wajong")
    page.get_by_label("Soort").select_option("pilot")
    page.get_by_label("Financier").select_option("uwv")
    page.get_by_label("Startdatum").fill(f"{today.year - 1}-01-01")
    page.get_by_label("Doel", exact=True).fill("Wajongers via detachering aan het werk")
    page.get_by_label("Screeningscriteria").fill(
        "Gemotiveerd\nMinimaal 12 uur per week beschikbaar\nDirect beschikbaar\n"
        "Binnen drie maanden te starten bij een reguliere werkgever"
    )
    # The default stages are there; rename the first and add one after "placed".
    page.get_by_label("Fase 1").fill("Gescreend door UWV")
    page.get_by_label("Fase 4").fill("Na zes maanden nog aan het werk")
    page.get_by_label("Volgorde 4").fill("4")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Pilot detachering Wajong", level=1)).to_be_visible()
    project = Project.objects.get()
    assert project.criteria.count() == 4
    assert [s.name for s in project.stages.order_by("position")] == [
        "Gescreend door UWV",
        "Toegelaten",
        "Geplaatst",
        "Na zes maanden nog aan het werk",
    ]
    assert_accessible(page)

    # Clients from a filtered list: Wajong, wage value 40 to 60%.
    page.get_by_role("link", name="Cliënten toevoegen").click()
    page.get_by_label("Doelgroep").select_option("wajong")
    page.get_by_label("Loonwaarde").select_option("40-60")
    page.get_by_role("button", name="Cliënten tonen").click()
    candidates = page.get_by_role("table", name="Cliënten die bij het filter passen")
    expect(candidates).to_contain_text("Aalders")
    expect(candidates).not_to_contain_text("Claassen")
    assert_accessible(page)
    page.get_by_label("Anna Aalders toevoegen").check()
    for criterion in project.criteria.all():
        page.get_by_label(f"{criterion.text}: Anna Aalders").check()
    page.get_by_label("Bram Bakker toevoegen").check()
    page.get_by_label("Gemotiveerd: Bram Bakker").check()
    page.get_by_role("button", name="Gekozen cliënten toevoegen").click()
    # Bram meets one criterion only and no reason was given: nothing is added, ticks kept.
    expect(page.get_by_role("alert").filter(has_text="Bram Bakker")).to_contain_text(
        "geef aan waarom Bram Bakker niet is toegelaten"
    )
    expect(page.get_by_label("Anna Aalders toevoegen")).to_be_checked()
    page.get_by_label("Reden niet toegelaten: Bram Bakker").fill("Kan pas over vier maanden")
    page.get_by_role("button", name="Gekozen cliënten toevoegen").click()
    members = page.get_by_role("table", name="Elke cliënt die voor het project is gescreend")
    expect(members.get_by_role("row", name="Aalders")).to_contain_text("Toegelaten")
    expect(members.get_by_role("row", name="Bakker")).to_contain_text("Niet toegelaten")
    assert_accessible(page)
    assert dict(project.members.values_list("client__last_name", "status")) == {
        "Aalders": MemberStatus.ADMITTED,
        "Bakker": MemberStatus.NOT_ADMITTED,
    }

    # Anna starts a secondment: she moves to "placed".
    placement_services.placement_create(
        actor=coach,
        client=anna,
        employer=EmployerFactory(),
        kind=PlacementKind.SECONDMENT,
        start_date=today,
        contract=Contract.TEMPORARY,
        contract_end_date=today + datetime.timedelta(days=180),
        hours_per_week=Decimal("24"),
    )
    page.reload()
    expect(members.get_by_role("row", name="Aalders")).to_contain_text("Geplaatst")

    page.get_by_role("link", name="Pilot detachering Wajong").first.click()
    now = page.get_by_role("table", name="Deelnemers per fase vandaag")
    expect(now.get_by_role("row", name="Geplaatst")).to_contain_text("1")
    expect(now.get_by_role("row", name="Gescreend door UWV")).to_contain_text("1")
    expect(
        page.get_by_role("img", name="Trechter van Pilot detachering Wajong per maand")
    ).to_be_visible()
    monthly = page.get_by_role("table", name="Resultaten per maand")
    last_month = monthly.get_by_role("row").last
    # This month: 2 screened (both), 1 admitted, 1 placed, 0 past six months.
    expect(last_month).to_contain_text("2")
    assert [c.inner_text() for c in last_month.get_by_role("cell").all()] == ["2", "1", "1", "0"]
    expect(page.get_by_text("Getelde deelnemers: 1")).to_be_visible()
    assert_accessible(page)
