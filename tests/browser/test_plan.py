"""A coach makes the plan of approach from the dossier: version 1 with the agreements typed,
its PDF downloaded and read back with pdftotext (the goal, the agreements, plain Dutch), the
client's signature recorded; then a goal reached, version 2 made, and what changed shown."""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import PlanVersion
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory
from trajectories import reference
from trajectories import services as trajectory_services
from trajectories.models import ActivityKind, Route

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONTHS = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


def dutch(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_coach_makes_a_plan_reads_its_pdf_records_the_signature_and_sees_what_changed(
    page, login, coach, team, assen
):
    reference.load()
    client = ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )
    trajectory = trajectory_services.trajectory_start(
        actor=coach,
        client=client,
        route=Route.objects.get(code="employee"),
        start_date=datetime.date(2026, 2, 2),
    )
    trajectory_services.goal_add(
        actor=coach,
        trajectory=trajectory,
        description="Een baan in de zorg vinden",
        target_date=datetime.date(2027, 3, 3),
    )
    trajectory_services.activity_add(
        actor=coach,
        trajectory=trajectory,
        kind=ActivityKind.objects.get(code="work_experience"),
        provider="Zorgcentrum De Linde",
        start_date=datetime.date(2026, 3, 2),
    )
    today = timezone.localdate()

    login("coach")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Mijn caseload"
    ).click()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name="El Amrani, Fatima").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani", exact=True)).to_be_visible()
    plan = page.locator("#plan")
    expect(plan.get_by_role("heading", name="Plan van aanpak")).to_be_visible()
    expect(plan).to_contain_text("Nog geen plan gemaakt.")
    assert_accessible(page)

    # Version 1: the agreements typed; the goals and activities come from the trajectory.
    plan.get_by_role("link", name="Nieuwe versie maken").click()
    expect(page.get_by_role("heading", name="Nieuwe versie van het plan maken")).to_be_visible()
    expect(page.get_by_text("Dit wordt versie 1.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Afspraken").fill(
        "U zoekt elke week twee vacatures.\nWij helpen u met uw cv."
    )
    page.get_by_role("button", name="Plan maken").click()
    expect(page.get_by_text("Versie 1 van het plan is gemaakt")).to_be_visible()
    expect(plan).to_contain_text("Wacht op handtekening")
    expect(plan).to_contain_text("nog niet getekend")
    assert_accessible(page)

    # The PDF, downloaded as the client would get it, read back.
    with page.expect_download() as download:
        plan.get_by_role("link", name="Plan van aanpak versie 1 (pdf)").click()
    pdf = open(download.value.path(), "rb").read()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Uw plan van aanpak" in text
    assert "Dit is uw plan. Hierin staat wat u gaat doen om werk te vinden" in text
    assert "Fatima El Amrani" in text
    assert "Een baan in de zorg vinden" in text
    assert "uiterlijk 3 maart 2027" in text
    assert "Werkontwikkelplek (WOP) bij Zorgcentrum De Linde" in text
    assert "U zoekt elke week twee vacatures." in text
    assert "Wij helpen u met uw cv." in text
    assert f"gemaakt op {dutch(today)}" in text

    # The client signed it today.
    plan.get_by_role("link", name="Ondertekening vastleggen").click()
    expect(page.get_by_role("heading", name="Ondertekening vastleggen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Door de cliënt getekend op").fill(today.isoformat())
    page.get_by_role("button", name="Ondertekening vastleggen").click()
    expect(page.get_by_text("De handtekening onder versie 1 is vastgelegd")).to_be_visible()
    expect(plan).to_contain_text(f"Versie 1 geldt: getekend op {dutch(today)}.")
    expect(plan.get_by_role("link", name="Ondertekening vastleggen")).to_have_count(0)
    expect(page.locator("#timeline")).to_contain_text("Plan van aanpak getekend")
    assert_accessible(page)

    # The goal is reached; version 2 starts from the agreements of version 1.
    page.locator("#trajectory").get_by_role("link", name="Status wijzigen").click()
    assert_accessible(page)
    page.get_by_role("combobox", name=re.compile(r"^status", re.I)).select_option(label="Behaald")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De status van het doel is opgeslagen.")).to_be_visible()
    plan.get_by_role("link", name="Nieuwe versie maken").click()
    expect(page.get_by_text("Dit wordt versie 2.")).to_be_visible()
    agreements = page.get_by_label("Afspraken")
    expect(agreements).to_have_value("U zoekt elke week twee vacatures.\nWij helpen u met uw cv.")
    agreements.fill("U solliciteert elke maand op drie vacatures.\nWij helpen u met uw cv.")
    assert_accessible(page)
    page.get_by_role("button", name="Plan maken").click()
    expect(page.get_by_text("Versie 2 van het plan is gemaakt")).to_be_visible()

    # Version 1 stays in force until version 2 is signed; what changed is one click away.
    expect(plan).to_contain_text("Versie 1 geldt")
    plan.get_by_text("Wat is er veranderd ten opzichte van versie 1").click()
    changes = plan.locator("details[open]")
    expect(changes).to_contain_text("Een baan in de zorg vinden: status")
    expect(changes.locator("del")).to_contain_text(["Open", "zoekt", "week twee"])
    expect(changes.locator("ins")).to_contain_text(["Behaald", "solliciteert", "maand op drie"])
    assert_accessible(page)
    assert list(PlanVersion.objects.order_by("number").values_list("number", "signed_on")) == [
        (1, today),
        (2, None),
    ]
