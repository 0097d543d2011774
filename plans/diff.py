"""What changed from one plan version to the next, computed from their snapshots.

Goals and activities are matched by their id: one only in the new version was added, one only
in the old was removed, one in both whose printed fields differ was changed (each field with
its old and new value). The agreements are compared word by word (difflib), so a page can mark
the inserted and deleted words with <ins> and <del>.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from plans.snapshot import day
from trajectories.models import ActivityStatus, GoalStatus

GOAL_FIELDS = {
    "description": _("goal"),
    "status": _("status"),
    "target_date": _("target date"),
}
ACTIVITY_FIELDS = {
    "kind": _("kind"),
    "provider": _("provider"),
    "start_date": _("start date"),
    "end_date": _("end date"),
    "status": _("status"),
}
_CHOICES = {"goal": dict(GoalStatus.choices), "activity": dict(ActivityStatus.choices)}


@dataclass(frozen=True)
class FieldChange:
    """One printed field that differs: its label, the old and the new value as text ('' for
    none)."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    """A goal or activity added, removed or changed; `name` is how the page names it."""

    kind: str  # "added", "removed", "changed"
    name: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert", "delete"
    text: str


@dataclass
class PlanDiff:
    goals: list[ItemChange] = field(default_factory=list)
    activities: list[ItemChange] = field(default_factory=list)
    agreements: list[Segment] = field(default_factory=list)
    agreements_changed: bool = False
    route: FieldChange | None = None
    coach: FieldChange | None = None
    review_on: FieldChange | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.goals
            or self.activities
            or self.agreements_changed
            or self.route
            or self.coach
            or self.review_on
        )


def _shown(kind: str, name: str, value) -> str:
    """A snapshot value as a person reads it, in the active language: a status's label, a
    date as "3 maart 2026"."""
    if value in (None, ""):
        return ""
    if name == "status":
        return str(_CHOICES[kind].get(value, value))
    if name.endswith("_date") or name == "review_on":
        return formats.date_format(day(value), "DATE_FORMAT")
    return str(value)


def _items(kind: str, old: list[dict], new: list[dict], fields: dict, name_of) -> list:
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    changes = []
    for item in new:
        if item["id"] not in before:
            changes.append(ItemChange("added", name_of(item)))
            continue
        previous = before[item["id"]]
        differences = tuple(
            FieldChange(
                str(label), _shown(kind, key, previous.get(key)), _shown(kind, key, item.get(key))
            )
            for key, label in fields.items()
            if previous.get(key) != item.get(key)
        )
        if differences:
            changes.append(ItemChange("changed", name_of(item), differences))
    changes.extend(ItemChange("removed", name_of(item)) for item in old if item["id"] not in after)
    return changes


# A word with the spaces after it: a changed run of words reads as one change, not word by word.
_TOKENS = re.compile(r"\S+\s*|\s+")


def words(old: str, new: str) -> list[Segment]:
    """`new` against `old` word by word; runs of the same operation merged."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments: list[Segment] = []

    def add(op, tokens):
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", b[j1:j2])
        else:
            add("delete", a[i1:i2])
            add("insert", b[j1:j2])
    return segments


def plan_diff(old: dict, new: dict) -> PlanDiff:
    """What changed from the snapshot `old` to the snapshot `new`."""
    diff = PlanDiff(
        goals=_items("goal", old.get("goals", []), new.get("goals", []), GOAL_FIELDS, _goal_name),
        activities=_items(
            "activity",
            old.get("activities", []),
            new.get("activities", []),
            ACTIVITY_FIELDS,
            _activity_name,
        ),
    )
    if (old.get("agreements") or "") != (new.get("agreements") or ""):
        diff.agreements_changed = True
        diff.agreements = words(old.get("agreements", ""), new.get("agreements", ""))
    old_route, new_route = old.get("route", {}).get("name"), new.get("route", {}).get("name")
    if old_route != new_route:
        diff.route = FieldChange(str(_("route")), old_route or "", new_route or "")
    if old.get("coach") != new.get("coach"):
        diff.coach = FieldChange(str(_("work coach")), old.get("coach", ""), new.get("coach", ""))
    if old.get("review_on") != new.get("review_on"):
        diff.review_on = FieldChange(
            str(_("plan looked at again on")),
            _shown("plan", "review_on", old.get("review_on")),
            _shown("plan", "review_on", new.get("review_on")),
        )
    return diff


def _goal_name(item: dict) -> str:
    return item["description"]


def _activity_name(item: dict) -> str:
    return f"{item['kind']} ({item['provider']})" if item.get("provider") else item["kind"]
