"""The project pages of issue 19: who may create and keep a project, screening from the dossier,
adding in bulk from a filtered list, the member list's queries, and correcting a stage."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessKind, AccessLog
from projects import services
from projects.models import MemberStatus, Milestone, Project, ProjectMember
from tests.factories import ClientFactory, IntakeFactory
from tests.placements.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def stage_rows(rows, extra=2, initial=None):
    """The stage formset's POST data: `rows` of (name, position, milestone), and empty rows;
    `initial` is how many rows the page showed filled in (as the browser sends it back)."""
    data = {
        "stages-TOTAL_FORMS": str(len(rows) + extra),
        "stages-INITIAL_FORMS": str(len(rows) if initial is None else initial),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for i, (name, position, milestone) in enumerate(rows):
        data.update(
            {
                f"stages-{i}-name": name,
                f"stages-{i}-position": str(position),
                f"stages-{i}-milestone": milestone,
            }
        )
    return data


def new_project_data(client, **fields):
    page = client.get(reverse("projects:create"))
    token = page.context["form"]["submission_token"].value()
    return {
        "name": "Pilot detachering Wajong",
        "code": "",
        "kind": "pilot",
        "funder": "uwv",
        "goal": "Wajongers via detachering naar een reguliere werkgever",
        "description": "",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "target": "10",
        "planned_size": "30",
        "target_share": "40",
        "groups": "",
        "criteria": "Gemotiveerd\nMinimaal 12 uur per week beschikbaar",
        "submission_token": token,
        **stage_rows(
            [
                ("Gescreend", 1, "screened"),
                ("Toegelaten", 2, "admitted"),
                ("Geplaatst", 3, "placed"),
            ]
        ),
        **fields,
    }


def test_a_manager_creates_a_project_and_becomes_its_leader(client, manager):
    client.force_login(manager)
    assert reverse("projects:create") in client.get(reverse("projects:list")).content.decode()
    response = client.post(reverse("projects:create"), new_project_data(client))
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.code == "pilot-detachering-wajong"  # made from the name
    assert list(project.leaders.all()) == [manager]
    assert [c.text for c in project.criteria.all()] == [
        "Gemotiveerd",
        "Minimaal 12 uur per week beschikbaar",
    ]
    assert [(s.name, s.milestone) for s in project.stages.order_by("position")] == [
        ("Gescreend", "screened"),
        ("Toegelaten", "admitted"),
        ("Geplaatst", "placed"),
    ]


def test_a_stage_form_with_two_equal_milestones_keeps_the_input(client, manager):
    client.force_login(manager)
    data = new_project_data(client, **stage_rows([("A", 1, "placed"), ("B", 2, "placed")]))
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 200
    assert not Project.objects.exists()
    assert "Pilot detachering Wajong" in response.content.decode()


def test_a_coach_cannot_create_a_project(coach_client):
    assert coach_client.get(reverse("projects:create")).status_code == 403
    html = coach_client.get(reverse("projects:list")).content.decode()
    assert reverse("projects:create") not in html


@pytest.fixture
def pilot(manager):
    return services.project_create(
        actor=manager,
        name="Pilot",
        code="pilot",
        criteria=["Gemotiveerd", "Direct beschikbaar"],
        groups=["Groep A"],
    )


def test_a_leader_keeps_their_own_project_only(client, coach, pilot, manager):
    other = services.project_create(actor=manager, name="Ander", code="ander")
    pilot.leaders.add(coach)
    client.force_login(coach)
    assert client.get(reverse("projects:edit", args=[pilot.pk])).status_code == 200
    assert client.get(reverse("projects:members", args=[pilot.pk])).status_code == 200
    assert client.get(reverse("projects:edit", args=[other.pk])).status_code == 403
    assert client.get(reverse("projects:members_add", args=[other.pk])).status_code == 403


def test_a_leader_changes_the_project_and_closes_it(client, coach, pilot):
    pilot.leaders.add(coach)
    client.force_login(coach)
    url = reverse("projects:edit", args=[pilot.pk])
    form = client.get(url).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in ((f.name, f.value()) for f in form)
        if name not in ("leaders",)
    }
    data["leaders"] = [coach.pk]
    data["name"] = "Pilot Wajong"
    data["criteria"] = "Gemotiveerd\nDirect beschikbaar\nWoont in de regio"
    stages = [(s.name, s.position, s.milestone) for s in pilot.stages.order_by("position")]
    data.update(stage_rows(stages))
    for i, stage in enumerate(pilot.stages.order_by("position")):
        data[f"stages-{i}-id"] = str(stage.pk)
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["stages"].errors,
        response.context["stages"].non_form_errors(),
    )
    pilot.refresh_from_db()
    assert pilot.name == "Pilot Wajong"
    assert pilot.criteria.count() == 3
    response = client.post(reverse("projects:close", args=[pilot.pk]), {"closed_on": "2026-01-02"})
    pilot.refresh_from_db()
    assert pilot.closed_on == datetime.date(2026, 1, 2)
    page = client.get(reverse("projects:detail", args=[pilot.pk])).content.decode()
    assert "er kunnen geen deelnemers meer bij" in page


def _edit_data(client, pilot):
    form = client.get(reverse("projects:edit", args=[pilot.pk])).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in ((f.name, f.value()) for f in form)
        if name != "leaders"
    }
    data["leaders"] = [u.pk for u in pilot.leaders.all()]
    stages = [(s.name, s.position, s.milestone) for s in pilot.stages.order_by("position")]
    data.update(stage_rows(stages))
    for i, stage in enumerate(pilot.stages.order_by("position")):
        data[f"stages-{i}-id"] = str(stage.pk)
    return data


def test_a_leader_who_is_no_manager_cannot_name_other_leaders(
    client, coach, diagnosis_consultant, pilot
):
    pilot.leaders.add(coach)
    leaders = set(pilot.leaders.all())
    client.force_login(coach)
    data = _edit_data(client, pilot)
    data["leaders"] = [coach.pk, diagnosis_consultant.pk]
    response = client.post(reverse("projects:edit", args=[pilot.pk]), data)
    assert response.status_code == 302
    assert set(pilot.leaders.all()) == leaders


def test_a_save_over_someone_elses_change_can_be_saved_again_from_the_conflict_page(
    client, manager, pilot
):
    pilot.leaders.add(manager)
    client.force_login(manager)
    url = reverse("projects:edit", args=[pilot.pk])
    data = _edit_data(client, pilot)
    first = {**data, "description": "Eerste wijziging"}
    assert client.post(url, first).status_code == 302
    conflict = client.post(url, {**data, "description": "Tweede wijziging"})
    assert conflict.status_code == 409
    again = {**data, "description": "Tweede wijziging"}
    again["version"] = conflict.context["form"]["version"].value()
    assert client.post(url, again).status_code == 302
    pilot.refresh_from_db()
    assert pilot.description == "Tweede wijziging"


def test_a_coach_screens_a_client_from_the_dossier(coach_client, client_of_coach, pilot):
    dossier = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    assert reverse("projects:member_join", args=[client_of_coach.pk]) in dossier.content.decode()
    url = reverse("projects:member_join", args=[client_of_coach.pk]) + f"?project={pilot.pk}"
    page = coach_client.get(url)
    assert "Gemotiveerd" in page.content.decode()
    token = page.context["form"]["submission_token"].value()
    motivated = pilot.criteria.get(text="Gemotiveerd")
    refused = coach_client.post(
        url,
        {"criteria_met": [motivated.pk], "screened_on": "2026-01-05", "submission_token": token},
    )
    assert refused.status_code == 200 and "not_admitted_reason" in refused.context["form"].errors
    response = coach_client.post(
        url,
        {
            "criteria_met": [motivated.pk],
            "not_admitted_reason": "Pas over vier maanden beschikbaar",
            "screened_on": "2026-01-05",
            "submission_token": token,
        },
    )
    assert response.status_code == 302
    member = ProjectMember.objects.get()
    assert member.status == MemberStatus.NOT_ADMITTED
    dossier = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    assert "Pilot" in dossier.content.decode()


def test_a_coach_cannot_screen_a_client_outside_their_scope(coach_client, pilot, other_team, assen):
    stranger = ClientFactory(team=other_team, coach=None, municipality=assen)
    url = reverse("projects:member_join", args=[stranger.pk]) + f"?project={pilot.pk}"
    assert coach_client.get(url).status_code == 404


@pytest.fixture
def candidates(team, other_team, assen, coach):
    """Three active clients (one in another team, so not in the manager's or coach's scope),
    a wage value of 50% for two, 70% for one; one deregistered client never shows."""
    a = ClientFactory(last_name="Aalders", team=team, coach=coach, municipality=assen)
    b = ClientFactory(last_name="Bakker", team=other_team, coach=None, municipality=assen)
    c = ClientFactory(last_name="Claassen", team=team, coach=coach, municipality=assen)
    for client, value in ((a, "50"), (b, "55"), (c, "70")):
        AssessmentFactory(placement__client=client, wage_value_percent=Decimal(value))
    ClientFactory(
        last_name="Vertrokken",
        municipality=assen,
        registered_on=datetime.date(2024, 1, 1),
        deregistered_on=datetime.date(2025, 1, 1),
        deregistration_reason="moved",
    )
    IntakeFactory(client=a, advised_route="employee")
    return a, b, c


def test_a_manager_adds_clients_in_bulk_from_a_filtered_list(client, manager, pilot, candidates):
    a, b, c = candidates
    client.force_login(manager)
    url = reverse("projects:members_add", args=[pilot.pk]) + "?wage_value=40-60"
    page = client.get(url)
    html = page.content.decode()
    assert "Aalders" in html and "Bakker" in html
    assert "Claassen" not in html and "Vertrokken" not in html
    assert reverse("clients:detail", args=[a.pk]) not in html  # the manager opens no dossier
    # Each name shown is in the access log, as shown in a list: not as a dossier opened.
    logged = AccessLog.objects.filter(object_id__in=[str(a.pk), str(b.pk)])
    assert sorted(logged.values_list("kind", flat=True)) == [AccessKind.LISTED] * 2
    token = page.context["form"]["submission_token"].value()
    motivated, available = pilot.criteria.all()
    response = client.post(
        url,
        {
            "submission_token": token,
            "screened_on": "2026-01-05",
            f"add_{a.pk}": "on",
            f"met_{a.pk}_{motivated.pk}": "on",
            f"met_{a.pk}_{available.pk}": "on",
            f"add_{b.pk}": "on",
            f"met_{b.pk}_{motivated.pk}": "on",
            f"reason_{b.pk}": "Niet direct beschikbaar",
        },
    )
    assert response.status_code == 302
    statuses = dict(pilot.members.values_list("client__last_name", "status"))
    assert statuses == {"Aalders": "admitted", "Bakker": "not_admitted"}
    page = client.get(url).content.decode()
    assert f'name="add_{a.pk}"' not in page  # already a member: shown, not addable


def test_the_advice_filter_takes_the_latest_intake(client, manager, pilot, candidates):
    client.force_login(manager)
    url = reverse("projects:members_add", args=[pilot.pk]) + "?advice=employee"
    html = client.get(url).content.decode()
    assert "Aalders" in html and "Bakker" not in html


def test_bulk_add_without_a_reason_adds_nobody_and_keeps_the_ticks(
    client, manager, pilot, candidates
):
    a, b, _c = candidates
    client.force_login(manager)
    url = reverse("projects:members_add", args=[pilot.pk]) + "?wage_value=40-60"
    token = client.get(url).context["form"]["submission_token"].value()
    response = client.post(
        url,
        {"submission_token": token, "screened_on": "2026-01-05", f"add_{a.pk}": "on",
         f"add_{b.pk}": "on", f"reason_{a.pk}": "Geen motivatie"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not pilot.members.exists()
    assert b.full_name in response.content.decode()
    assert response.context["form"][f"add_{b.pk}"].value() is True


def _members(project, coach, team, assen, count):
    for client in ClientFactory.create_batch(count, coach=coach, team=team, municipality=assen):
        services.member_add(
            actor=coach, project=project, client=client, criteria_met=project.criteria.all(),
            group=project.groups.first(),
        )  # fmt: skip


def test_the_member_list_runs_a_constant_number_of_queries(
    client, manager, pilot, coach, team, assen, django_assert_num_queries
):
    _members(pilot, coach, team, assen, 1)
    client.force_login(manager)
    url = reverse("projects:members", args=[pilot.pk])
    client.get(url)
    # session (with its savepoint pair), user, permissions, project, members, the access log
    # (one insert for every name shown)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    _members(pilot, coach, team, assen, 9)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["members"]) == 10


def test_the_member_pages_log_each_name_they_show(client, manager, pilot, coach, team, assen):
    _members(pilot, coach, team, assen, 3)
    client.force_login(manager)
    client.get(reverse("projects:members", args=[pilot.pk]))
    listed = AccessLog.objects.filter(kind=AccessKind.LISTED, user=manager)
    assert sorted(listed.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in pilot.members.values_list("client_id", flat=True)
    )
    assert set(listed.values_list("detail", flat=True)) == {f"project {pilot.code}: deelnemers"}
    member = pilot.members.first()
    client.get(reverse("projects:member_change", args=[member.pk]))
    assert AccessLog.objects.filter(
        kind=AccessKind.LISTED, object_id=str(member.client_id), detail__endswith="wijzigen"
    ).exists()
    assert not AccessLog.objects.filter(kind=AccessKind.DOSSIER).exists()


def test_the_member_list_links_only_dossiers_the_user_may_open(
    client, coach, pilot, team, assen, other_team
):
    mine = ClientFactory(coach=coach, team=team, municipality=assen)
    stranger = ClientFactory(team=other_team, coach=None, municipality=assen)
    for c in (mine, stranger):
        services.member_add(actor=None, project=pilot, client=c, criteria_met=pilot.criteria.all())
    pilot.leaders.add(coach)
    client.force_login(coach)
    html = client.get(reverse("projects:members", args=[pilot.pk])).content.decode()
    assert reverse("clients:detail", args=[mine.pk]) in html
    assert reverse("clients:detail", args=[stranger.pk]) not in html
    assert stranger.last_name in html


def test_a_leader_corrects_a_stage_with_a_reason(client, manager, pilot, client_of_coach):
    member = services.member_add(
        actor=None, project=pilot, client=client_of_coach, criteria_met=pilot.criteria.all()
    )
    screened = pilot.stages.get(milestone=Milestone.SCREENED)
    client.force_login(manager)
    url = reverse("projects:member_change", args=[member.pk])
    missing = client.post(url, {"correct": "1", "stage": screened.pk, "on": "2026-01-05"})
    assert missing.status_code == 400
    response = client.post(
        url,
        {"correct": "1", "stage": screened.pk, "on": "2026-01-05", "reason": "Te vroeg"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.stage == screened
    group = pilot.groups.get()
    client.post(url, {"group_set": "1", "group": group.pk})
    member.refresh_from_db()
    assert member.group == group


def test_the_project_page_shows_progress_and_the_funnel_per_month(
    client, manager, pilot, client_of_coach
):
    services.member_add(
        actor=None,
        project=pilot,
        client=client_of_coach,
        criteria_met=pilot.criteria.all(),
        screened_on=datetime.date.today(),
    )
    client.force_login(manager)
    response = client.get(reverse("projects:detail", args=[pilot.pk]))
    assert response.context["monthly"].rows[-1].clients == (1, 1, 0)
    assert response.context["goal"].members == 1


def test_the_list_to_add_from_runs_a_constant_number_of_queries(
    client, manager, pilot, team, assen, django_assert_num_queries
):
    def add(count):
        for c in ClientFactory.create_batch(count, team=team, municipality=assen):
            AssessmentFactory(placement__client=c, wage_value_percent=Decimal("45"))

    add(1)
    client.force_login(manager)
    url = reverse("projects:members_add", args=[pilot.pk]) + "?wage_value=40-60"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add(9)
    with django_assert_num_queries(len(one)):
        response = client.get(url)
    assert len(response.context["rows"]) == 10
