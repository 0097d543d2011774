"""A coach refers a client to diagnosis from the dossier; the diagnosis consultant sees the
referral on her start page and holds the intake from it; the coach sees the answer and the
advised route on the dossier."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core import roles
from diagnosis.models import Referral, ReferralStatus
from tests.browser.conftest import assert_accessible, log_out
from tests.factories import ClientFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_refers_a_client_and_sees_the_diagnosis_answer(
    page, login, coach, team, assen, make_user
):
    diagnosis_team = TeamFactory(name="Diagnoseteam")
    make_user(
        "ingrid",
        roles.DIAGNOSIS_CONSULTANT,
        teams=[diagnosis_team],
        first_name="Ingrid",
        last_name="Hoekstra",
    )
    ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )

    # The coach refers Fatima from her dossier.
    login("coach")
    page.get_by_role("table").get_by_role("link", name="El Amrani, Fatima").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani", exact=True)).to_be_visible()
    panel = page.locator("#diagnosis")
    expect(panel).to_contain_text("Geen verwijzingen naar diagnose.")
    assert_accessible(page)
    panel.get_by_role("link", name="Verwijzen naar diagnose").click()
    assert_accessible(page)
    expect(page.get_by_role("combobox", name="Diagnoseteam")).to_have_value(str(diagnosis_team.pk))
    # Without a question the form comes back with a Dutch message and the notes kept.
    page.get_by_label("Vermoede beperking").fill("Vergeet afspraken, raakt snel vermoeid.")
    page.get_by_role("button", name="Verwijzen naar diagnose").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    expect(page.get_by_label("Vermoede beperking")).to_have_value(
        "Vergeet afspraken, raakt snel vermoeid."
    )
    assert_accessible(page)
    page.get_by_label("Vraag aan het diagnoseteam").fill(
        "Hoeveel uur per dag kan mevrouw werken, en in wat voor werk?"
    )
    page.get_by_role("button", name="Verwijzen naar diagnose").click()
    expect(
        page.get_by_role("status").filter(has_text="De cliënt is verwezen naar Diagnoseteam.")
    ).to_be_visible()
    expect(panel).to_contain_text("Hoeveel uur per dag kan mevrouw werken")
    expect(panel).to_contain_text("Open")
    expect(page.locator("#timeline")).to_contain_text("Verwezen naar diagnose")
    assert_accessible(page)
    log_out(page)

    # The diagnosis consultant sees it on her start page and holds the intake from there.
    login("ingrid")
    referrals = page.locator("#open-referrals")
    expect(referrals).to_contain_text("El Amrani, Fatima")
    expect(referrals).to_contain_text("wacht 0 dagen")
    referrals.get_by_role("link", name="Intake houden").click()
    assert_accessible(page)
    page.get_by_label("Trede participatieladder").select_option("3")
    page.get_by_label("Geadviseerde route").select_option("participation")
    page.get_by_label("Inschatting arbeidsvermogen").select_option("not_within_two_years")
    page.get_by_label("Toelichting op het advies").fill(
        "Eerst vrijwilligerswerk in een rustige omgeving, twee dagdelen per week."
    )
    page.get_by_role("button", name="Intake opslaan").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani", exact=True)).to_be_visible()
    expect(page.locator("#diagnosis")).to_contain_text("Beantwoord")
    assert_accessible(page)
    # From the answered referral she plans a practical assessment; 5 weeks is refused.
    page.locator("#diagnosis").get_by_role("link", name="Praktijkonderzoek plannen").click()
    assert_accessible(page)
    start = timezone.localdate()
    page.get_by_role("textbox", name="Werkplek*", exact=True).fill(
        "Groenvoorziening Drenthe, buitendienst"
    )
    page.get_by_label("Begeleider op de werkplek").fill("Fenna de Boer")
    page.get_by_label("Begint op").fill(start.isoformat())
    page.get_by_label("Eindigt op").fill((start + datetime.timedelta(weeks=5)).isoformat())
    page.get_by_label("Doel en vragen").fill("Kan zij werken in een vaste ploeg?")
    page.get_by_role("button", name="Praktijkonderzoek plannen").click()
    expect(page.locator("#id_ends_on_error")).to_contain_text(
        "Een praktijkonderzoek duurt 6 tot 12 weken; vanaf"
    )
    expect(page.get_by_role("textbox", name="Werkplek*", exact=True)).to_have_value(
        "Groenvoorziening Drenthe, buitendienst"
    )
    assert_accessible(page)
    page.get_by_label("Eindigt op").fill((start + datetime.timedelta(weeks=8)).isoformat())
    page.get_by_role("button", name="Praktijkonderzoek plannen").click()
    expect(page.locator("#diagnosis")).to_contain_text("Groenvoorziening Drenthe")
    # It runs from today; she evaluates it (the first day, to keep the test short).
    page.locator("#diagnosis").get_by_role("link", name="Evalueren").click()
    assert_accessible(page)
    page.get_by_role("textbox", name="Evaluatie*", exact=True).fill(
        "Werkt goed met een vaste werkleider."
    )
    page.get_by_label("Geadviseerde route").select_option(label="Beschut werk")
    page.get_by_role("button", name="Evaluatie opslaan").click()
    expect(page.locator("#diagnosis")).to_contain_text("Werkt goed met een vaste werkleider.")
    assert_accessible(page)
    # The list of referrals in the menu has it among the answered ones.
    page.get_by_role("navigation").get_by_role("link", name="Verwijzingen").click()
    expect(page.get_by_role("heading", name="Verwijzingen naar diagnose")).to_be_visible()
    expect(page.get_by_text("0 verwijzingen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Beantwoord")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_role("table")).to_contain_text("El Amrani, Fatima")
    assert_accessible(page)
    log_out(page)

    # The coach sees the answer and the advised route on the dossier.
    login("coach")
    page.get_by_role("table").get_by_role("link", name="El Amrani, Fatima").click()
    panel = page.locator("#diagnosis")
    expect(panel).to_contain_text("Beantwoord")
    expect(panel).to_contain_text("Route participatie")
    expect(panel).to_contain_text("Kan niet binnen twee jaar werken")
    expect(panel).to_contain_text("Eerst vrijwilligerswerk in een rustige omgeving")
    expect(panel).to_contain_text("Ingrid Hoekstra")
    expect(panel).to_contain_text("Groenvoorziening Drenthe, buitendienst")
    expect(panel).to_contain_text("Geëvalueerd")
    assert_accessible(page)

    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.ANSWERED
    assert referral.answered_by_intake.consultant.username == "ingrid"
