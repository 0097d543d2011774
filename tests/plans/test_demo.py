"""The demo shows signed plan versions: version 1 and 2 signed with what changed between them,
and one client's version 3 waiting for the signature."""

import pytest
from django.core.management import call_command

from plans.diff import plan_diff
from plans.models import PlanVersion, in_force

pytestmark = pytest.mark.django_db


def test_the_demo_has_signed_versions_a_changed_goal_and_one_awaiting_signature():
    call_command("seed_demo", clients=60, seed=1, allow_without_debug=True, verbosity=0)
    by_trajectory = {}
    for version in PlanVersion.objects.order_by("trajectory_id", "number"):
        by_trajectory.setdefault(version.trajectory_id, []).append(version)
    assert by_trajectory, "the demo made no plan versions"
    shapes = sorted(
        [(v.number, v.is_signed) for v in versions] for versions in by_trajectory.values()
    )
    assert [(1, True), (2, True), (3, False)] in shapes
    assert all(shape[:2] == [(1, True), (2, True)] for shape in shapes)
    for versions in by_trajectory.values():
        first, second = versions[0], versions[1]
        assert in_force(versions) == second
        assert first.signed_on < second.made_at.date() <= second.signed_on
        diff = plan_diff(first.content, second.content)
        assert diff.agreements_changed
        assert any(change.kind == "added" for change in diff.goals)
        assert first.document.client == first.trajectory.client
        with second.document.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
