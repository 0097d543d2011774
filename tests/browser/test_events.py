"""A manager creates a job festival from the menu; a coach registers clients of her caseload in
bulk, records what came of it for each, and the event page counts the outcomes."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import TargetGroup
from projects.models import Event, EventParticipant
from tests.browser.conftest import assert_accessible, log_out
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_creates_an_event_coach_registers_in_bulk_and_outcomes_are_counted(
    page, login, manager, coach, team, assen
):
    for first, last in [("Noor", "Bakker"), ("Daan", "Visser"), ("Amina", "Yilmaz")]:
        ClientFactory(
            first_name=first,
            last_name=last,
            coach=coach,
            team=team,
            municipality=assen,
            address="Brink 1",
            target_group=TargetGroup.SOCIAL_ASSISTANCE,
        )
    ClientFactory(
        first_name="Ravi",
        last_name="Wajong",
        coach=coach,
        team=team,
        municipality=assen,
        target_group=TargetGroup.WAJONG,
    )
    day = timezone.localdate() - datetime.timedelta(days=7)

    login("manager")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Evenementen").click()
    page.get_by_role("link", name="Nieuw evenement").click()
    assert_accessible(page)
    page.get_by_label("Naam").fill("Banenfestival Assen")
    page.get_by_label("Soort").select_option(label="Banenfestival")
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Begint om").fill("13:00")
    page.get_by_label("Eindigt om").fill("12:00")  # a slip: before it starts
    page.get_by_label("Locatie").fill("De Bonte Wever, Assen")
    page.get_by_label("Plaatsen").fill("50")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het evenement moet eindigen nadat het begint.")).to_be_visible()
    expect(page.get_by_label("Locatie")).to_have_value("De Bonte Wever, Assen")
    page.get_by_label("Eindigt om").fill("17:00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Banenfestival Assen")).to_be_visible()
    expect(page.locator("#places")).to_contain_text("50, waarvan 50 vrij")
    assert_accessible(page)
    event = Event.objects.get()
    assert event.created_by == manager
    log_out(page)

    login("coach")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Evenementen").click()
    page.get_by_role("link", name="Banenfestival Assen").click()
    page.get_by_role("link", name="Cliënten uit uw caseload aanmelden").click()
    assert_accessible(page)
    page.get_by_label("Doelgroep").select_option(TargetGroup.SOCIAL_ASSISTANCE)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Wajong, Ravi")).to_have_count(0)
    for name in ("Bakker, Noor", "Visser, Daan", "Yilmaz, Amina"):
        page.get_by_label(f"{name} aanmelden").check()
    page.get_by_role("button", name="De gekozen cliënten aanmelden").click()
    expect(page.get_by_role("status").filter(has_text="zijn aangemeld")).to_be_visible()
    assert EventParticipant.objects.filter(event=event).count() == 3
    expect(page.locator("#places")).to_contain_text("50, waarvan 47 vrij")

    # Registered ones are shown as such and cannot be ticked again.
    page.get_by_role("link", name="Cliënten uit uw caseload aanmelden").click()
    expect(page.get_by_label("Bakker, Noor aanmelden")).to_be_disabled()
    page.go_back()

    participants = page.locator("#participants")
    for name, result in [("Bakker, Noor", "Betaald werk"), ("Visser, Daan", "Opleiding")]:
        participants.get_by_label(f"Resultaat van {name}").select_option(label=result)
        participants.get_by_label(f"Aanwezigheid van {name}").select_option(label="Aanwezig")
        participants.get_by_role("row").filter(has_text=name).get_by_role(
            "button", name="Opslaan"
        ).click()
        expect(page.get_by_role("status").filter(has_text=result)).to_be_visible()
        participants = page.locator("#participants")

    counts = page.locator("#outcome-counts")
    expect(counts.get_by_role("row").filter(has_text="Betaald werk")).to_contain_text("1")
    expect(counts.get_by_role("row").filter(has_text="Opleiding")).to_contain_text("1")
    expect(counts.get_by_role("row").filter(has_text="Nog niets")).to_contain_text("1")
    expect(page.get_by_role("heading", name="Wat het opleverde voor 3 deelnemers")).to_be_visible()
    assert_accessible(page)


def test_coach_records_the_follow_up_from_the_start_page(page, login, coach, team, assen):
    client = ClientFactory(
        first_name="Noor", last_name="Bakker", coach=coach, team=team, municipality=assen
    )
    festival = Event.objects.create(
        name="Banenfestival Assen", date=timezone.localdate() - datetime.timedelta(days=120)
    )
    participant = EventParticipant.objects.create(event=festival, client=client)
    login("coach")
    part = page.locator("#event-follow-ups")
    expect(part).to_contain_text("Bakker, Noor")
    expect(part).to_contain_text("wat de deelnemer doet op de dag van de nameting")
    assert_accessible(page)
    part.get_by_label("Resultaat na drie maanden, Bakker, Noor").select_option(
        label="Werkontwikkelplek"
    )
    part.get_by_role("button", name="Nameting vastleggen").click()
    expect(page.get_by_role("status").filter(has_text="Nameting van Noor Bakker")).to_be_visible()
    expect(page.locator("#event-follow-ups")).to_have_count(0)
    participant.refresh_from_db()
    assert participant.follow_up_result == "work_experience"
