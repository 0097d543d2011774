"""Projects and events leave trajectories on a database that has them: the rows, the permissions
with the groups and users they were granted to, and the change history all stay
(projects/migrations/0001-0003, trajectories/migrations/0006)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import User
from projects.models import Event, EventParticipant, Project, StageReached
from trajectories.models import Trajectory

pytestmark = pytest.mark.django_db(transaction=True)

MOVED = ["project", "projectgroup", "projectstage", "stagereached", "event", "eventparticipant"]


def migrate(targets=None):
    """Migrate to `targets` (all leaves when None); the state's apps there."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return state.apps


@pytest.fixture
def before_the_move(client_of_coach):
    """The database as it was with the models in trajectories; forward again afterwards.

    After the client and their coach exist: the coach's role gets its grants by label.
    """
    old = migrate([("projects", None)])
    yield old
    migrate()  # also when the test failed halfway, so the next test finds the schema it expects


def test_migrating_an_existing_database_keeps_rows_permissions_and_history(
    before_the_move, client_of_coach, coach
):
    old = before_the_move
    tables = connection.introspection.table_names()
    assert "trajectories_project" in tables and "projects_project" not in tables
    old_types = {
        ct.model: ct.pk
        for ct in ContentType.objects.filter(app_label="trajectories", model__in=MOVED)
    }
    assert sorted(old_types) == sorted(MOVED)

    # Rows as the old code wrote them.
    route = old.get_model("trajectories", "Route").objects.get(code="employee")
    project = old.get_model("trajectories", "Project").objects.create(
        code="pilot", name="Pilot loonwaarde", target=10
    )
    group = old.get_model("trajectories", "ProjectGroup").objects.create(
        project=project, name="met instrumenten"
    )
    stage = old.get_model("trajectories", "ProjectStage").objects.create(
        project=project, name="gescreend", position=1
    )
    reached = old.get_model("trajectories", "StageReached").objects.create(
        project=project,
        stage=stage,
        client_id=client_of_coach.pk,
        reached_on=datetime.date(2025, 1, 1),
    )
    festival = old.get_model("trajectories", "Event").objects.create(
        name="Banenfestival Assen", date=datetime.date(2026, 4, 2)
    )
    old.get_model("trajectories", "EventParticipant").objects.create(
        event=festival, client_id=client_of_coach.pk, result="work"
    )
    trajectory = old.get_model("trajectories", "Trajectory").objects.create(
        client_id=client_of_coach.pk,
        route=route,
        project=project,
        project_group=group,
        start_date=datetime.date(2025, 1, 6),
    )
    # A grant to a user and to a group of one's own, and a line of the change history.
    results = Permission.objects.get(
        content_type_id=old_types["project"], codename="view_project_results"
    )
    leader = User.objects.create_user("projectleider")
    leader.user_permissions.add(results)
    leaders = Group.objects.create(name="projectleiders")
    add_stage = Permission.objects.get(
        content_type_id=old_types["stagereached"], codename="add_stagereached"
    )
    leaders.permissions.add(add_stage)
    leader.groups.add(leaders)
    history = LogEntry.objects.create(
        content_type_id=old_types["stagereached"],
        object_pk=str(reached.pk),
        object_id=reached.pk,
        object_repr="gescreend (01-01-2025)",
        action=LogEntry.Action.CREATE,
        changes={"reached_on": ["None", "2025-01-01"]},
        actor=coach,
    )

    migrate()

    tables = connection.introspection.table_names()
    assert {f"projects_{model}" for model in MOVED} <= set(tables)
    assert not {f"trajectories_{model}" for model in MOVED} & set(tables)
    moved = Project.objects.get()
    assert (moved.pk, moved.code, moved.target) == (project.pk, "pilot", 10)
    assert [g.name for g in moved.groups.all()] == ["met instrumenten"]
    assert Trajectory.objects.get(pk=trajectory.pk).project_group.project == moved
    assert StageReached.objects.get().client == client_of_coach
    assert EventParticipant.objects.get().event == Event.objects.get()
    # The content types kept their ids under the new label, so everything on them stayed.
    new_types = {
        ct.model: ct.pk for ct in ContentType.objects.filter(app_label="projects", model__in=MOVED)
    }
    assert new_types == old_types
    assert not ContentType.objects.filter(app_label="trajectories", model__in=MOVED).exists()
    leader = User.objects.get(pk=leader.pk)  # no permission cache
    assert leader.has_perm("projects.view_project_results")
    assert leader.has_perm("projects.add_stagereached")
    assert not leader.has_perm("trajectories.view_project_results")
    coach = User.objects.get(pk=coach.pk)  # the role's grants are the same rows
    assert coach.has_perm("projects.add_eventparticipant")
    assert LogEntry.objects.get_for_object(StageReached.objects.get()).get() == history
    # The renamed tables take new rows (their id sequences came along).
    assert Project.objects.create(code="next", name="Volgende").pk > moved.pk
