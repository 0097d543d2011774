import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory
from trajectories import reference
from trajectories.models import Activity, SkillEvaluation, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_runs_a_trajectory_from_the_dossier(page, login, coach, team, assen):
    reference.load()
    client = ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )
    login("coach")
    base = "/".join(page.url.split("/")[:3])
    page.goto(f"{base}/clients/{client.pk}/")
    expect(page.get_by_role("heading", name="Fatima El Amrani")).to_be_visible()
    expect(page.get_by_text("Geen lopend traject.")).to_be_visible()
    assert_accessible(page)

    # Start: route werknemer with a branch team.
    page.get_by_role("link", name="Traject starten").click()
    expect(page.get_by_role("heading", name="Traject starten")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Route").select_option(label="Route werknemer")
    page.get_by_label("Brancheteam").select_option(label="Hodezo")
    page.get_by_label("Startdatum").fill("2026-02-02")
    page.get_by_role("button", name="Traject starten").click()
    expect(page.get_by_text("Het traject is gestart.")).to_be_visible()
    trajectory_panel = page.locator("#trajectory")
    expect(trajectory_panel).to_contain_text("Termijn van twee jaar")
    expect(trajectory_panel).to_contain_text("2 februari 2028")
    assert_accessible(page)

    # A work-development place.
    page.get_by_role("link", name="Activiteit toevoegen").click()
    assert_accessible(page)
    page.get_by_label("Soort").select_option(label="Werkontwikkelplek (WOP)")
    page.get_by_label("Aanbieder").fill("Restaurant De Smaak")
    page.get_by_label("Startdatum").fill("2026-03-02")
    page.get_by_label("Status").select_option("running")
    page.get_by_role("button", name="Activiteit toevoegen").click()
    expect(page.get_by_text("De activiteit is toegevoegd.")).to_be_visible()
    expect(trajectory_panel).to_contain_text("Restaurant De Smaak")

    # Its interim evaluation: the five employee skills.
    page.get_by_role("link", name="Evaluatie vastleggen").click()
    assert_accessible(page)
    page.get_by_label("Geëvalueerd op").fill("2026-03-16")
    for skill, score in [
        ("Op tijd komen", "4"),
        ("Afspraken nakomen", "3"),
        ("Werken onder leiding", "5"),
        ("Samenwerken", "3"),
    ]:
        page.get_by_label(skill).select_option(score)
    page.get_by_label("Notities").fill("Komt elke dag op tijd.")
    page.get_by_label("Instructies opvolgen").select_option("4")
    page.get_by_role("button", name="Evaluatie opslaan").click()
    expect(page.get_by_text("De evaluatie is vastgelegd.")).to_be_visible()
    expect(
        page.get_by_role("img", name="Ontwikkeling van de werknemersvaardigheden")
    ).to_be_visible()
    page.locator("#trajectory").scroll_into_view_if_needed()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Evaluatie werknemersvaardigheden")
    expect(timeline).to_contain_text("Traject gestart")
    assert_accessible(page)

    # End with an outcome.
    page.get_by_role("link", name="Traject beëindigen").click()
    assert_accessible(page)
    page.get_by_label("Einddatum").fill("2026-09-01")
    page.get_by_label("Uitkomst").select_option(label="Betaald werk")
    page.get_by_role("button", name="Traject beëindigen").click()
    expect(page.get_by_text("Het traject is beëindigd.")).to_be_visible()
    expect(page.get_by_text("Geen lopend traject.")).to_be_visible()
    expect(timeline).to_contain_text("Traject beëindigd")
    assert_accessible(page)

    trajectory = Trajectory.objects.get()
    assert (trajectory.end_date, trajectory.outcome) == (datetime.date(2026, 9, 1), "work")
    assert Activity.objects.get().provider == "Restaurant De Smaak"
    assert SkillEvaluation.objects.get().scores.count() == 5


def test_a_second_open_trajectory_is_refused_with_a_clear_message(page, login, coach, team, assen):
    reference.load()
    client = ClientFactory(
        first_name="Jan", last_name="Jansen", coach=coach, team=team, municipality=assen
    )
    login("coach")
    base = "/".join(page.url.split("/")[:3])
    start_url = f"{base}/trajecten/client/{client.pk}/new/"
    # Two tabs open the start form while the client has no trajectory yet.
    page.goto(start_url)
    second = page.context.new_page()
    second.goto(start_url)

    page.get_by_label("Route").select_option(label="Route werknemer")
    page.get_by_label("Startdatum").fill("2026-02-02")
    page.get_by_role("button", name="Traject starten").click()
    expect(page.get_by_text("Het traject is gestart.")).to_be_visible()

    second.get_by_label("Route").select_option(label="Route participatie")
    second.get_by_label("Startdatum").fill("2026-03-01")
    second.get_by_role("button", name="Traject starten").click()
    expect(
        second.get_by_text(
            "Deze cliënt heeft al een open traject. Beëindig dat voordat u een nieuw traject start."
        )
    ).to_be_visible()
    expect(second.get_by_label("Startdatum")).to_have_value("2026-03-01")
    assert_accessible(second)
    assert Trajectory.objects.count() == 1
