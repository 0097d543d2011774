"""The demo's events: the job festival's outcomes keep the issue's proportions, about half are
followed up, and the coming meeting has invitations sent."""

import io

import pytest
from django.core.management import call_command

from projects import event_demo, event_results
from projects.models import Event, EventResult

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_the_festival_with_its_proportions_and_a_coming_meeting():
    call_command("seed_demo", clients=200, seed=3, allow_without_debug=True, stdout=io.StringIO())
    festival = Event.objects.get(name=event_demo.FESTIVAL)
    figures = event_results.event_figures(festival)
    n = figures.participants
    assert n >= 20
    # The 41 : 9 : 11 : 33 out of every 150, the rest nothing yet (a shuffled pattern:
    # any number of participants takes its first n, so the shares stay close).
    for result, per_150 in event_demo.FESTIVAL_RESULTS.items():
        assert abs(figures.on_the_day_count(result) / n - per_150 / 150) < 0.12, result
    assert figures.on_the_day_count(EventResult.WORK) > figures.on_the_day_count(
        EventResult.WORK_LEARNING
    )
    assert 0.3 < figures.followed_up / n < 0.7
    assert figures.attended > 0
    meeting = Event.objects.get(name=event_demo.MEETING)
    assert meeting.date > festival.date and meeting.capacity == event_demo.MEETING_PLACES
    invited = meeting.participants.filter(invited_on__isnull=False)
    assert invited.exists() and invited.count() == meeting.participants.count()
    assert meeting.participants.count() < meeting.capacity
