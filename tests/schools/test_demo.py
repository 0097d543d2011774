import random

import pytest
from django.utils import timezone

from clients.models import Client, TargetGroup
from core.demo import DemoContext, _create_staff, demo_service_area
from schools import demo
from schools.models import ExitConversation, Leaver, School

pytestmark = pytest.mark.django_db


def test_the_demo_has_schools_with_leavers_advices_and_some_clients():
    from trajectories import reference

    reference.load()
    demo_service_area()
    context = DemoContext(
        rng=random.Random(1), today=timezone.localdate(), clients=0, staff=_create_staff()
    )
    made = demo.seed(context)
    today = timezone.localdate()
    # Three schools, five leavers a year for two years: 30; last year's five and three of this
    # year's have had their exit conversation: 3 x (5 + 3) = 24.
    assert School.objects.count() == 3
    assert Leaver.objects.count() == 30
    assert set(Leaver.objects.values_list("school_year", flat=True)) == {today.year - 1, today.year}
    assert ExitConversation.objects.count() == 24
    # Of last year's first three per school the advices are, in turn, the register, further
    # education and the employee route: the two advised to work became clients, 2 x 3 = 6,
    # of whom the three advised the register are in it.
    clients = Client.objects.filter(school_leaver__isnull=False)
    assert clients.count() == 6 == made["leavers made clients"]
    assert set(clients.values_list("target_group", flat=True)) == {TargetGroup.SCHOOL_LEAVER}
    assert clients.filter(target_group_register=True).count() == 3
    # The three advised the employee route are in a trajectory on it.
    assert clients.filter(trajectories__route__code="employee").count() == 3
