import datetime

import pytest
from playwright.sync_api import expect

from projects import services
from projects.models import Event, Project, ProjectGroup, ProjectStage
from tests.browser.conftest import assert_accessible, log_out
from tests.factories import ClientFactory
from trajectories.models import Outcome, Trajectory
from trajectories.reference import load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sees_funnel_and_groups_and_coach_registers_a_festival_result(
    page, login, live_server, manager, coach, team, assen
):
    load()
    from trajectories.models import Route

    route = Route.objects.get(code="employee")
    project = Project.objects.create(code="pilot", name="Pilot loonwaarde", target=4)
    with_tools = ProjectGroup.objects.create(project=project, name="Met instrumenten")
    stage = ProjectStage.objects.create(project=project, name="Gescreend", position=1)
    clients = ClientFactory.create_batch(3, coach=coach, team=team, municipality=assen)
    for client, outcome in zip(clients, [Outcome.WORK, Outcome.WORK, ""], strict=True):
        Trajectory.objects.create(
            client=client,
            route=route,
            project=project,
            project_group=with_tools,
            start_date=datetime.date(2025, 1, 6),
            end_date=datetime.date(2025, 9, 1) if outcome else None,
            outcome=outcome,
        )
        services.stage_record(
            actor=coach, stage=stage, client=client, reached_on=datetime.date(2025, 1, 1)
        )
    Event.objects.create(name="Banenfestival Assen", date=datetime.date(2026, 4, 2))

    login("manager")
    page.get_by_role("link", name="Projecten").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Pilot loonwaarde").click()
    expect(page.get_by_role("heading", name="Pilot loonwaarde", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Trechter van Pilot loonwaarde")).to_be_visible()
    funnel = page.get_by_role("table", name="Cliënten per fase")
    expect(funnel).to_contain_text("Gescreend")
    expect(funnel).to_contain_text("3")
    groups = page.get_by_role("table", name="Per groep")
    expect(groups.get_by_role("row", name="Met instrumenten")).to_contain_text("2 van 3 (66,7%)")
    expect(page.get_by_text("2 van het doel van 4 cliënten aan het werk")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    login("coach")
    page.get_by_role("link", name="Projecten").first.click()
    page.get_by_role("link", name="Evenementen zoals banenfestivals").click()
    page.get_by_role("link", name="Banenfestival Assen").click()
    assert_accessible(page)
    page.get_by_label("Cliënt").select_option(str(clients[0].pk))
    page.get_by_label("Resultaat").first.select_option("work")
    page.get_by_role("button", name="Deelnemer registreren").click()
    results = page.get_by_role("table", name="Deelnemers per resultaat")
    expect(results.get_by_role("row", name="Betaald werk")).to_contain_text("1")
    expect(page.get_by_role("table", name="Deelnemers die u mag zien")).to_contain_text(
        clients[0].last_name
    )
    assert_accessible(page)
