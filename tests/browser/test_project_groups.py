"""A manager reads the groups of an experiment compared, with the interval of the difference."""

import datetime
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects import services
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory
from trajectories.models import Outcome, Route, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

D = datetime.date


def test_manager_sees_the_groups_compared_with_the_interval_of_the_difference(
    page, login, live_server, manager, coach, team, assen
):
    # The question: 8 of 25 against 5 of 25 to work, does it mean anything?
    project = services.project_create(
        actor=manager,
        code="esf-loonwaarde",
        name="ESF-experiment loonwaarde",
        groups=["Met instrumenten", "Zonder instrumenten"],
    )
    with_tools, without = project.groups.order_by("name")
    route = Route.objects.get(code=Route.EMPLOYEE)
    for group, to_work in ((with_tools, 8), (without, 5)):
        for index, client in enumerate(
            ClientFactory.create_batch(25, coach=coach, team=team, municipality=assen)
        ):
            services.member_add(
                actor=manager,
                project=project,
                client=client,
                group=group,
                screened_on=D(2025, 1, 6),
            )
            ended = index < to_work + 10  # to work, then 10 dropped out, the rest running
            Trajectory.objects.create(
                client=client,
                route=route,
                start_date=D(2025, 2, 1),
                end_date=D(2025, 11, 1) if ended else None,
                outcome=(Outcome.WORK if index < to_work else Outcome.DROPPED_OUT) if ended else "",
            )

    login("manager")
    page.goto(live_server.url + reverse("projects:detail", args=[project.pk]))
    section = page.get_by_role("region", name="Groepen vergeleken")
    expect(section).to_be_visible()
    overview = section.get_by_role("table", name="Per groep toegelaten deelnemers")
    expect(overview.get_by_role("row", name="Met instrumenten")).to_contain_text("8 van 25 (32,0%)")
    expect(overview.get_by_role("row", name="Zonder instrumenten")).to_contain_text(
        "5 van 25 (20,0%)"
    )
    expect(overview.get_by_role("row", name="Hele project")).to_contain_text("13 van 50 (26,0%)")
    expect(
        section.get_by_role("img", name="Resultaten per groep van ESF-experiment")
    ).to_be_visible()
    outcomes = section.get_by_role("table", name="Deelnemers per resultaat")
    expect(outcomes.get_by_role("row", name="Uitgevallen")).to_contain_text("10 (40,0%)")
    expect(outcomes.get_by_role("row", name="Loopt nog")).to_contain_text("7 (28,0%)")
    # Newcombe's interval of 0.32 - 0.20, worked by hand in tests/projects/test_comparison.py.
    differences = section.get_by_role("table", name="Elk paar groepen")
    expect(
        differences.get_by_role("row", name="Met instrumenten tegenover Zonder instrumenten")
    ).to_contain_text(
        "Verschil 12,0 procentpunt (95%-betrouwbaarheidsinterval \u221212,2 tot 34,5): "
        "het interval bevat 0, dus dit verschil kan toeval zijn."
    )
    expect(section.get_by_text("methode van Newcombe (1998)")).to_be_visible()
    assert_accessible(page)
    if os.environ.get("SCREENSHOTS"):
        section.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "project_groups.png"))
