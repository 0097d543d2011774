"""A diagnosis consultant opens Schoolverlaters from the menu, registers a school and a leaving
pupil, records the exit conversation with the advice of the target-group register, and with
one action the pupil becomes a client; the new dossier shows the advice."""

import os
import re

import pytest
from playwright.sync_api import expect

from clients.models import Client, TargetGroup
from schools.models import Leaver
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['SCREENSHOTS']}/{name}.png", full_page=True)


def test_a_school_leaver_becomes_a_client_with_one_action(
    page, login, diagnosis_consultant, coach, account_manager, team, assen
):
    login("diagnose")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Schoolverlaters"
    ).click()
    expect(page.get_by_role("heading", name="Schoolverlaters", level=1)).to_be_visible()
    assert_accessible(page)

    # The school.
    page.get_by_role("link", name="Scholen").click()
    assert_accessible(page)
    page.get_by_role("link", name="School registreren").click()
    assert_accessible(page)
    page.get_by_label("Naam").fill("Vso De Atlas")
    page.get_by_label("Soort school").select_option(label="Voortgezet speciaal onderwijs (vso)")
    page.get_by_label("Gemeente").select_option(label="Assen")
    page.get_by_label("Contactpersoon", exact=True).fill("Marleen Kuiper")
    page.get_by_role("button", name="School opslaan").click()
    expect(page.get_by_role("rowheader", name="Vso De Atlas")).to_be_visible()
    assert_accessible(page)

    # The leaving pupil, without a BSN yet.
    page.get_by_role("link", name="Leerlingen").click()
    page.get_by_role("link", name="Schoolverlater registreren").click()
    assert_accessible(page)
    page.get_by_role("combobox", name=re.compile(r"^School")).select_option(label="Vso De Atlas")
    page.get_by_label("Voornaam").fill("Daan")
    page.get_by_label("Tussenvoegsel").fill("van der")
    page.get_by_label("Achternaam").fill("Veen")
    page.get_by_label("Geboortedatum").fill("2008-03-14")
    page.get_by_label("E-mailadres").fill("daan@example.org")
    page.get_by_role("button", name="Schoolverlater opslaan").click()
    expect(page.get_by_role("heading", name="Daan van der Veen", level=1)).to_be_visible()
    assert_accessible(page)

    # The exit conversation and its advice.
    page.get_by_role("link", name="Uitstroomgesprek vastleggen").click()
    assert_accessible(page)
    page.get_by_label("Aanwezig namens de school").fill("Marleen Kuiper (mentor)")
    # Typed, with suggestions from clients:suggest (htmx fills the field's datalist).
    page.get_by_role("combobox", name="Jobcoach").fill(coach.first_name)
    written = f"{coach} ({coach.username})"
    expect(page.locator("#conversation-job_coach-options option").first).to_have_attribute(
        "value", written
    )
    page.get_by_role("combobox", name="Jobcoach").fill(written)
    page.get_by_label("Accountmanager").select_option(label=str(account_manager))
    page.get_by_role("radio", name="Doelgroepregister").check()
    page.get_by_label("Toelichting op het advies").fill(
        "Kan het minimumloon niet verdienen; de banenafspraak past."
    )
    page.get_by_role("button", name="Uitstroomgesprek opslaan").click()
    expect(page.get_by_text("Het uitstroomgesprek en het advies zijn vastgelegd.")).to_be_visible()
    assert_accessible(page)

    # One action: the pupil becomes a client; only the BSN is typed, the rest is known.
    page.get_by_role("link", name="Cliënt maken").click()
    expect(page.get_by_label("Gemeente")).to_have_value(str(assen.pk))
    expect(page.get_by_label("Team")).to_have_value(team.name)
    expect(page.get_by_label("Werkcoach")).to_have_value(written)
    assert_accessible(page)
    page.get_by_label("BSN").fill("1234 56 782")
    shot(page, "school-leaver-confirm")
    page.get_by_role("button", name="Inschrijven als cliënt").click()

    panel = page.locator("#school-leaver")
    expect(panel).to_contain_text("Vso De Atlas")
    expect(panel).to_contain_text("Doelgroepregister")
    expect(panel).to_contain_text("de banenafspraak past")
    expect(page.get_by_role("heading", name="Daan van der Veen", level=1)).to_be_visible()
    shot(page, "school-leaver-dossier")
    assert_accessible(page)

    # The yearly overview counts the pupil as a client without a trajectory yet.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Schoolverlaters"
    ).click()
    page.get_by_role("link", name="Jaaroverzicht").click()
    figures = page.get_by_role("table", name=re.compile("^Leerlingen, adviezen"))
    expect(figures.get_by_role("row", name=re.compile("^Vso De Atlas"))).to_contain_text("1")
    pupils = page.locator("#year-pupils")
    expect(pupils).to_contain_text("Veen, Daan van der")
    expect(pupils).to_contain_text("Cliënt, nog geen traject")
    shot(page, "school-leaver-overview")
    assert_accessible(page)

    client = Client.objects.get()
    assert (client.bsn, client.email) == ("123456782", "daan@example.org")
    assert client.target_group == TargetGroup.SCHOOL_LEAVER and client.target_group_register
    assert (client.coach, client.team) == (coach, team)
    assert Leaver.objects.get().client == client
