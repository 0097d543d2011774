import datetime

import pytest

from clients.models import Client, DeregistrationReason
from schools import overview, services
from schools.models import Advice, SchoolKind

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def become_client(diagnosis_consultant, team, assen):
    bsns = iter(["123456782", "111222333", "100000009", "100000010"])

    def do(leaver):
        return services.leaver_become_client(
            actor=diagnosis_consultant,
            leaver=leaver,
            bsn=next(bsns),
            municipality=assen,
            team=team,
            registered_on=datetime.date(2026, 8, 1),
        )

    return do


def test_the_year_overview_counts_pupils_advices_and_where_they_went(
    school, make_leaver, advise, become_client, diagnosis_consultant, coach, assen
):
    from employers.models import Employer
    from placements import services as placement_services
    from trajectories import reference
    from trajectories import services as trajectory_services
    from trajectories.models import Route

    reference.load()
    employee = Route.objects.get(code="employee")
    # In a trajectory on the employee route.
    daan = become_client(
        advise(make_leaver(first_name="Daan"), Advice.TARGET_GROUP_REGISTER).leaver
    )
    trajectory_services.trajectory_start(
        actor=coach, client=daan, route=employee, start_date=datetime.date(2026, 9, 1)
    )
    # Placed (a placement running today), and in a trajectory too: placed counts.
    noa = become_client(advise(make_leaver(first_name="Noa"), Advice.ROUTE, "participation").leaver)
    trajectory_services.trajectory_start(
        actor=coach, client=noa, route=employee, start_date=datetime.date(2026, 9, 1)
    )
    placement_services.placement_create(
        actor=None,
        client=noa,
        employer=Employer.objects.create(name="Zorggroep Assen"),
        kind="regular",
        start_date=datetime.date(2026, 10, 1),
    )
    # Deregistered, moved away.
    sem = become_client(advise(make_leaver(first_name="Sem"), Advice.SHELTERED_WORK).leaver)
    Client.objects.filter(pk=sem.pk).update(
        deregistered_on=datetime.date(2026, 11, 1),
        deregistration_reason=DeregistrationReason.MOVED,
    )
    # A client without a trajectory yet.
    become_client(advise(make_leaver(first_name="Amira"), Advice.SHELTERED_WORK).leaver)
    # Not clients: one advised further education, one without an exit conversation yet.
    advise(make_leaver(first_name="Lotte"), Advice.FURTHER_EDUCATION)
    make_leaver(first_name="Bram")
    # Another year, and a school without leavers that year: neither adds to 2026's pupils.
    make_leaver(first_name="Jesse", school_year=2025)
    empty = services.school_save(
        actor=diagnosis_consultant,
        name="Praktijkschool Het Ravelijn",
        kind=SchoolKind.PRO,
        municipality=assen,
    )

    figures = overview.year_overview(year=2026, today=TODAY)

    by_school = {row.school: row for row in figures.schools}
    atlas = by_school[school]
    assert atlas.pupils == 6
    assert atlas.without_advice == 1
    assert atlas.advices == {
        Advice.SHELTERED_WORK: 2,
        Advice.TARGET_GROUP_REGISTER: 1,
        Advice.ROUTE: 1,
        Advice.FURTHER_EDUCATION: 1,
    }
    assert atlas.destinations == {
        overview.TRAJECTORY: 1,
        overview.PLACED: 1,
        overview.DEREGISTERED: 1,
        overview.REGISTERED: 1,
        overview.NOT_CLIENT: 2,
    }
    assert atlas.routes == {employee.name: 1}
    assert atlas.reasons == {str(DeregistrationReason.MOVED.label): 1}
    assert by_school[empty].pupils == 0
    assert figures.total.pupils == 6
    assert figures.total.destinations[overview.NOT_CLIENT] == 2


def test_the_pupils_of_a_year_carry_their_destination(school, make_leaver, advise, become_client):
    become_client(advise(make_leaver(first_name="Daan"), Advice.SHELTERED_WORK).leaver)
    make_leaver(first_name="Bram")
    pupils = {p.first_name: p.destination for p in overview.year_pupils(year=2026, today=TODAY)}
    assert pupils == {"Daan": overview.REGISTERED, "Bram": overview.NOT_CLIENT}
