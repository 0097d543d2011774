"""The interchange import keeps the coach history: a first import opens each client's period
from registration, a re-import with another coach closes it and opens the next."""

import pytest
from django.utils import timezone

from clients.models import Client, CoachChangeReason, CoachPeriod
from core import roles
from interchange.engine import import_folder
from tests.interchange.conftest import (  # noqa: F401 (fixtures)
    HEADER,
    client_line,
    folder,
    lines,
    reference_data,
)

pytestmark = pytest.mark.usefixtures("reference_data")

WITH_ASSIGNMENT = HEADER + ",team,coach"


def test_an_import_writes_and_follows_the_coach_history(folder, make_user):  # noqa: F811
    make_user("sanne", roles.WORK_COACH)
    make_user("piet", roles.WORK_COACH)
    first = folder(
        {"clients.csv": lines(WITH_ASSIGNMENT, f"{client_line('C1')},Team Assen,sanne")}, "one"
    )
    assert import_folder(first).problems == []
    client = Client.objects.get()
    (period,) = CoachPeriod.objects.all()
    assert (period.coach.username, period.started_on, period.ended_on, period.reason) == (
        "sanne",
        client.registered_on,
        None,
        CoachChangeReason.IMPORT,
    )
    again = folder(
        {"clients.csv": lines(WITH_ASSIGNMENT, f"{client_line('C1')},Team Assen,piet")}, "two"
    )
    assert import_folder(again).problems == []
    today = timezone.localdate()
    periods = CoachPeriod.objects.order_by("pk")
    assert [(p.coach.username, p.started_on, p.ended_on) for p in periods] == [
        ("sanne", client.registered_on, today),
        ("piet", today, None),
    ]
    assert import_folder(again).problems == []  # unchanged: nothing new
    assert CoachPeriod.objects.count() == 2
