"""What changed between two plan versions, from their snapshots (no database)."""

from django.utils import translation

from plans.diff import Segment, plan_diff, words


def snapshot(**changes):
    base = {
        "route": {"code": "employee", "name": "Route werknemer"},
        "coach": "Sanne de Vries",
        "review_on": "2026-06-01",
        "goals": [
            {"id": 1, "description": "Een baan in de zorg", "status": "open",
             "target_date": "2026-09-01"},
            {"id": 2, "description": "Taalniveau B1 halen", "status": "open",
             "target_date": None},
        ],
        "activities": [
            {"id": 7, "kind": "Taalcursus", "provider": "ROC", "start_date": "2026-02-01",
             "end_date": None, "status": "running"},
        ],
        "agreements": "U komt elke twee weken op gesprek.\nWij zoeken een werkplek.",
    }  # fmt: skip
    return base | changes


def test_the_same_snapshot_has_no_changes():
    assert plan_diff(snapshot(), snapshot()).is_empty


def test_a_goal_changed_added_and_removed_is_named_with_old_and_new_values():
    old = snapshot()
    new = snapshot(
        goals=[
            {"id": 1, "description": "Een baan in de zorg", "status": "achieved",
             "target_date": "2026-10-15"},
            {"id": 3, "description": "Rijbewijs halen", "status": "open", "target_date": None},
        ]
    )  # fmt: skip
    with translation.override("nl"):
        diff = plan_diff(old, new)
    changed, added, removed = diff.goals
    assert (changed.kind, changed.name) == ("changed", "Een baan in de zorg")
    assert [(f.label, f.old, f.new) for f in changed.fields] == [
        ("status", "Open", "Behaald"),
        ("streefdatum", "1 september 2026", "15 oktober 2026"),
    ]
    assert (added.kind, added.name) == ("added", "Rijbewijs halen")
    assert (removed.kind, removed.name) == ("removed", "Taalniveau B1 halen")
    assert diff.activities == [] and not diff.agreements_changed


def test_an_activity_added_is_named_with_its_provider():
    new = snapshot()
    new["activities"] = new["activities"] + [
        {"id": 8, "kind": "Jobcoaching", "provider": "Jobcoach Noord", "start_date": "2026-03-01",
         "end_date": None, "status": "planned"}
    ]  # fmt: skip
    (added,) = plan_diff(snapshot(), new).activities
    assert (added.kind, added.name) == ("added", "Jobcoaching (Jobcoach Noord)")


def test_the_agreements_are_compared_word_by_word():
    assert words("U komt elke twee weken.", "U komt elke week.") == [
        Segment("equal", "U komt elke "),
        Segment("delete", "twee weken."),
        Segment("insert", "week."),
    ]
    diff = plan_diff(snapshot(), snapshot(agreements="U komt elke week op gesprek."))
    assert diff.agreements_changed
    assert "".join(s.text for s in diff.agreements if s.op != "delete") == (
        "U komt elke week op gesprek."
    )


def test_a_new_review_date_is_a_change():
    with translation.override("nl"):
        diff = plan_diff(snapshot(), snapshot(review_on="2026-12-01"))
    assert (diff.review_on.old, diff.review_on.new) == ("1 juni 2026", "1 december 2026")
    assert not diff.is_empty
