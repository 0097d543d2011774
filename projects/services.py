"""State changes of projects: create, change and close a project with its stages, groups and
screening criteria; add clients as members (one or in bulk), correct a member's stage, set a
member's group; move members to the project's "placed" stage when a placement starts.

Every function here runs in one transaction and records its actor; a closed project and an
anonymised client are refused with a Dutch message, whoever calls.
"""

import datetime
import itertools
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clients.models import Client
from core.changelog import records_actor
from core.editing import save_versioned
from core.models import User
from placements.hooks import PLACED_KINDS
from placements.models import Placement
from projects.models import (
    MemberStatus,
    Milestone,
    Project,
    ProjectGroup,
    ProjectMember,
    ProjectStage,
    ScreeningCriterion,
    StageReached,
)

PROJECT_FIELDS = (
    "name",
    "code",
    "kind",
    "funder",
    "description",
    "goal",
    "start_date",
    "end_date",
    "target",
    "planned_size",
    "target_share",
)


def default_stages() -> list[dict]:
    """The stages a new project starts with; the manager may change them."""
    return [
        {"name": _("Screened"), "position": 1, "milestone": Milestone.SCREENED},
        {"name": _("Admitted"), "position": 2, "milestone": Milestone.ADMITTED},
        {"name": _("Placed"), "position": 3, "milestone": Milestone.PLACED},
    ]


# Projects --------------------------------------------------------------------------------------


def _check_fields(fields) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown project fields: {sorted(unknown)}")


def _clean_texts(texts: Iterable[str]) -> list[str]:
    """Lines as typed: stripped, empty ones left out, each once in its first place."""
    seen: dict[str, None] = {}
    for text in texts:
        text = " ".join(text.split())
        if text and text.casefold() not in {s.casefold() for s in seen}:
            seen[text] = None
    return list(seen)


def _set_stages(project: Project, stages: Sequence[dict]) -> None:
    """Make the project's stages these: each dict has name, position, milestone and, for an
    existing stage, its `id`; an existing stage left out is removed unless clients are in it."""
    if not stages:
        raise ValidationError(_("A project needs at least one stage."))
    names = [" ".join(s["name"].split()) for s in stages]
    if len({n.casefold() for n in names}) != len(names):
        raise ValidationError(_("Two stages have the same name."))
    positions = [s["position"] for s in stages]
    if len(set(positions)) != len(positions):
        raise ValidationError(_("Two stages have the same position."))
    milestones = [s.get("milestone") or "" for s in stages if s.get("milestone")]
    if len(set(milestones)) != len(milestones):
        raise ValidationError(_("A milestone can belong to one stage only."))
    existing = {stage.pk: stage for stage in project.stages.all()}
    kept = {s["id"] for s in stages if s.get("id")}
    if unknown := kept - set(existing):
        raise ValidationError(_("A stage of another project was sent."), params={"ids": unknown})
    removed = [stage for pk, stage in existing.items() if pk not in kept]
    in_use = [stage.name for stage in removed if stage.members_now.exists()]
    if in_use:
        raise ValidationError(
            _("Stage %(stages)s still has clients in it; move them first.")
            % {"stages": ", ".join(in_use)}
        )
    for stage in removed:
        stage.delete()
    # Positions, names and milestones are unique per project: park the kept stages out of the
    # way first, so two stages can swap places, names or milestones.
    if kept:
        for offset, pk in enumerate(sorted(kept), 1):
            ProjectStage.objects.filter(pk=pk).update(
                position=30000 + offset, name=f"\u2060{pk}\u2060", milestone=""
            )
    for data, name in zip(stages, names, strict=True):
        stage = existing.get(data.get("id")) or ProjectStage(project=project)
        stage.name, stage.position = name, data["position"]
        stage.milestone = data.get("milestone") or ""
        stage.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
        stage.save()


def _set_named(project: Project, model, field: str, texts: Sequence[str], *, in_use) -> None:
    """Make the project's groups (or criteria) these texts: new ones added, missing ones removed
    unless `in_use(row)` says members still depend on them."""
    texts = _clean_texts(texts)
    current = {getattr(row, field): row for row in model.objects.filter(project=project)}
    gone = [row for text, row in current.items() if text not in texts]
    if blocked := [str(row) for row in gone if in_use(row)]:
        raise ValidationError(
            _("%(names)s cannot be removed: members of the project are in it.")
            % {"names": ", ".join(blocked)}
        )
    for row in gone:
        row.delete()
    for position, text in enumerate(texts, 1):
        row = current.get(text)
        if row is None:
            row = model(project=project, **{field: text})
        if field == "text":
            row.position = position
        row.save()


def _set_parts(project, *, stages=None, groups=None, criteria=None, leaders=None) -> None:
    if stages is not None:
        _set_stages(project, stages)
    if groups is not None:
        _set_named(project, ProjectGroup, "name", groups, in_use=lambda g: g.members.exists())
    if criteria is not None:
        # A criterion others were screened on stays while a member counts it as met.
        _set_named(
            project,
            ScreeningCriterion,
            "text",
            criteria,
            in_use=lambda c: ProjectMember.criteria_met.through.objects.filter(
                screeningcriterion=c
            ).exists(),
        )
    if leaders is not None:
        project.leaders.set(leaders)


@records_actor
@transaction.atomic
def project_create(
    *,
    actor: User | None,
    leaders: Iterable[User] = (),
    stages: Sequence[dict] | None = None,
    groups: Sequence[str] = (),
    criteria: Sequence[str] = (),
    **fields,
) -> Project:
    """Create a project with its stages (the default ones when none are given), groups and
    screening criteria; the creator is one of its leaders."""
    _check_fields(fields)
    project = Project(created_by=actor, **fields)
    project.full_clean()
    project.save()
    leaders = set(leaders) | ({actor} if actor is not None else set())
    _set_parts(
        project,
        stages=stages if stages else default_stages(),
        groups=groups,
        criteria=criteria,
        leaders=leaders,
    )
    return project


@records_actor
@transaction.atomic
def project_update(
    *,
    actor: User | None,
    project: Project,
    version: int | None = None,
    leaders: Iterable[User] | None = None,
    stages: Sequence[dict] | None = None,
    groups: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
    **changes,
) -> Project:
    """Change a project and, where given, its leaders, stages, groups and criteria; a save
    based on an older version raises ConcurrentEdit."""
    _check_fields(changes)
    for name, value in changes.items():
        setattr(project, name, value)
    project = save_versioned(project, version)
    _set_parts(project, stages=stages, groups=groups, criteria=criteria, leaders=leaders)
    return project


@records_actor
@transaction.atomic
def project_close(
    *, actor: User | None, project: Project, closed_on: datetime.date | None = None
) -> Project:
    """Close a project: it keeps its members and figures, and takes no new members."""
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.is_closed:
        raise ValidationError(_("This project is closed already."))
    project.closed_on = closed_on or timezone.localdate()
    if project.start_date and project.closed_on < project.start_date:
        raise ValidationError({"closed_on": _("A project cannot close before it starts.")})
    project.save(update_fields=["closed_on"])
    return project


@records_actor
@transaction.atomic
def project_reopen(*, actor: User | None, project: Project) -> Project:
    """Open a closed project again, so clients can be added."""
    Project.objects.filter(pk=project.pk).update(closed_on=None)
    project.refresh_from_db()
    return project


# Members ---------------------------------------------------------------------------------------


def _check_open(project: Project) -> None:
    if project.is_closed:
        raise ValidationError(
            _("%(project)s is closed; it takes no new members.") % {"project": project.name}
        )


def _milestone_stage(stages: Sequence[ProjectStage], milestone: str) -> ProjectStage | None:
    return next((stage for stage in stages if stage.milestone == milestone), None)


def _reach(
    member: ProjectMember,
    stage: ProjectStage,
    on: datetime.date,
    actor: User | None,
    *,
    stages: Sequence[ProjectStage],
    reason: str = "",
    reached: set[int] | None = None,
) -> list[StageReached]:
    """Put the member in `stage` since `on`, and record every stage up to it they had not yet
    reached (a funnel counts each stage passed). Returns the rows to write."""
    if reached is None:
        reached = set(
            StageReached.objects.filter(
                project_id=member.project_id, client_id=member.client_id
            ).values_list("stage_id", flat=True)
        )
    member.stage, member.stage_since = stage, on
    rows = [
        StageReached(
            project_id=member.project_id,
            stage=passed,
            client_id=member.client_id,
            reached_on=on,
            reason=reason if passed == stage else "",
            recorded_by=actor,
        )
        for passed in stages
        if passed.position <= stage.position and passed.pk not in reached
    ]
    reached.update(row.stage_id for row in rows)
    return rows


def _save_each(rows) -> None:
    """Saved one by one, so the change history holds each row (auditlog skips bulk_create)."""
    for row in rows:
        row.save()


def _new_member(
    actor, project, stages, criteria_ids, client, criteria_met, not_admitted_reason, group,
    screened_on, reached,
) -> tuple[ProjectMember, list[StageReached]]:  # fmt: skip
    """The member row (not saved) and the stage rows of screening one client."""
    client.check_writable()
    met = {criterion.pk for criterion in criteria_met}
    if met - criteria_ids:
        raise ValidationError(_("A criterion of another project was ticked."))
    if group is not None and group.project_id != project.pk:
        raise ValidationError({"group": _("Choose a group of this project.")})
    if screened_on > timezone.localdate():
        raise ValidationError({"screened_on": _("A screening cannot be in the future.")})
    admitted = met == criteria_ids
    reason = (not_admitted_reason or "").strip()
    if not admitted and not reason:
        raise ValidationError(
            {
                "not_admitted_reason": _(
                    "Not every criterion is met: say why %(client)s is not admitted."
                )
                % {"client": client.full_name}
            }
        )
    member = ProjectMember(
        project=project,
        client=client,
        group=group,
        status=MemberStatus.ADMITTED if admitted else MemberStatus.NOT_ADMITTED,
        not_admitted_reason="" if admitted else reason,
        screened_on=screened_on,
        added_by=actor,
    )
    entry = _milestone_stage(stages, Milestone.SCREENED) or stages[0]
    rows = _reach(member, entry, screened_on, actor, stages=stages, reached=reached)
    admitted_stage = _milestone_stage(stages, Milestone.ADMITTED)
    if admitted and admitted_stage and admitted_stage.position > entry.position:
        rows += _reach(member, admitted_stage, screened_on, actor, stages=stages, reached=reached)
    return member, rows


def _add(
    actor: User | None,
    project: Project,
    entries: Sequence[dict],
) -> list[ProjectMember]:
    """Screen each entry's client into the project; all or nothing."""
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    _check_open(project)
    stages = list(project.stages.order_by("position"))
    if not stages:
        raise ValidationError(_("This project has no stages yet: add them first."))
    criteria_ids = set(project.criteria.values_list("pk", flat=True))
    client_ids = [entry["client"].pk for entry in entries]
    if len(set(client_ids)) != len(client_ids):
        raise ValidationError(_("A client was chosen twice."))
    already = {
        member.client_id: member.client
        for member in ProjectMember.objects.filter(
            project=project, client_id__in=client_ids
        ).select_related("client")
    }
    if already:
        raise ValidationError(
            _("Already in this project: %(clients)s.")
            % {"clients": ", ".join(sorted(c.full_name for c in already.values()))}
        )
    reached_by_client: dict[int, set[int]] = {pk: set() for pk in client_ids}
    for client_id, stage_id in StageReached.objects.filter(
        project=project, client_id__in=client_ids
    ).values_list("client_id", "stage_id"):
        reached_by_client[client_id].add(stage_id)
    members, rows, criteria = [], [], []
    for entry in entries:
        member, stage_rows = _new_member(
            actor,
            project,
            stages,
            criteria_ids,
            entry["client"],
            entry.get("criteria_met", ()),
            entry.get("not_admitted_reason", ""),
            entry.get("group"),
            entry.get("screened_on") or timezone.localdate(),
            reached_by_client[entry["client"].pk],
        )
        members.append(member)
        rows += stage_rows
        criteria.append(entry.get("criteria_met", ()))
    _save_each(members)
    _save_each(rows)
    through = ProjectMember.criteria_met.through
    through.objects.bulk_create(
        [
            through(projectmember_id=member.pk, screeningcriterion_id=criterion.pk)
            for member, met in zip(members, criteria, strict=True)
            for criterion in met
        ]
    )
    return members


@records_actor
@transaction.atomic
def member_add(
    *,
    actor: User | None,
    project: Project,
    client: Client,
    criteria_met: Iterable[ScreeningCriterion] = (),
    not_admitted_reason: str = "",
    group: ProjectGroup | None = None,
    screened_on: datetime.date | None = None,
) -> ProjectMember:
    """Screen a client into a project: admitted when every criterion is met, else not
    admitted with the reason (required). The member enters the screened stage (or the first),
    and an admitted one reaches the admitted stage too. Once per client and project."""
    (member,) = _add(
        actor,
        project,
        [
            {
                "client": client,
                "criteria_met": list(criteria_met),
                "not_admitted_reason": not_admitted_reason,
                "group": group,
                "screened_on": screened_on,
            }
        ],
    )
    return member


@records_actor
@transaction.atomic
def members_add_bulk(
    *, actor: User | None, project: Project, entries: Sequence[dict]
) -> list[ProjectMember]:
    """Screen several clients at once (each entry as member_add's arguments): all are added,
    or none, with a message naming what stopped it."""
    if not entries:
        raise ValidationError(_("Choose at least one client."))
    try:
        return _add(actor, project, entries)
    except ValidationError as refused:
        if hasattr(refused, "error_dict"):  # a field's message, said for the whole list
            raise ValidationError(refused.messages) from None
        raise


def _locked_member(member: ProjectMember) -> ProjectMember:
    return (
        ProjectMember.objects.select_for_update(of=("self",))
        .select_related("project", "client", "stage")
        .get(pk=member.pk)
    )


def _check_matches_status(
    member: ProjectMember, stage: ProjectStage, stages: Sequence[ProjectStage]
) -> None:
    """A client the screening did not admit stays before "admitted": a correction cannot
    admit them (that is a new screening)."""
    admitted = _milestone_stage(stages, Milestone.ADMITTED)
    if admitted is None:
        return
    if member.status == MemberStatus.NOT_ADMITTED and stage.position >= admitted.position:
        raise ValidationError(
            {
                "stage": _("%(client)s was not admitted: choose a stage before %(admitted)s.")
                % {"client": member.client.full_name, "admitted": admitted.name}
            }
        )


@records_actor
@transaction.atomic
def member_stage_correct(
    *,
    actor: User | None,
    member: ProjectMember,
    stage: ProjectStage,
    reason: str,
    on: datetime.date | None = None,
) -> ProjectMember:
    """Put a member in another stage by hand, with the reason: the stages after it are no
    longer reached, and the correction is recorded with its reason on the stage."""
    member = _locked_member(member)
    member.client.check_writable()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the stage is corrected.")})
    if stage.project_id != member.project_id:
        raise ValidationError({"stage": _("Choose a stage of this project.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("A stage cannot be reached in the future.")})
    stages = list(member.project.stages.order_by("position"))
    _check_matches_status(member, stage, stages)
    reached = StageReached.objects.filter(project_id=member.project_id, client_id=member.client_id)
    reached.filter(stage__position__gt=stage.position).delete()
    kept = reached.filter(stage=stage).first()
    rows = _reach(
        member,
        stage,
        on,
        actor,
        stages=stages,
        reason=reason,
        reached=set(reached.values_list("stage_id", flat=True)),
    )
    if kept is not None:  # back to a stage reached before: its date stays, the reason is new
        kept.reason, kept.recorded_by = reason[:300], actor
        kept.save(update_fields=["reason", "recorded_by"])
    for row in rows:
        row.reason = row.reason[:300]
    _save_each(rows)
    member.save(update_fields=["stage", "stage_since"])
    return member


@records_actor
@transaction.atomic
def member_group_set(
    *, actor: User | None, member: ProjectMember, group: ProjectGroup | None
) -> ProjectMember:
    """Put a member in a group of the project (or in none)."""
    member = _locked_member(member)
    member.client.check_writable()
    if group is not None and group.project_id != member.project_id:
        raise ValidationError({"group": _("Choose a group of this project.")})
    member.group = group
    member.save(update_fields=["group"])
    return member


def members_placed(
    *,
    actor: User | None,
    client: Client,
    on: datetime.date,
    ended: datetime.date | None = None,
) -> list[ProjectMember]:
    """A placement of this client started on `on`: each admitted membership of an open project
    with a "placed" stage moves there, unless the member is at or past it already. A placement
    that started before the client was screened counts from the screening, so the funnel of
    every month stays a funnel (no one placed before admitted). Runs in the placement's
    transaction (projects.hooks)."""
    members = list(
        ProjectMember.objects.select_for_update(of=("self",))
        .filter(
            client=client,
            # A placement that ended before the screening is no result of the project.
            **({"screened_on__lte": ended} if ended else {}),
            status=MemberStatus.ADMITTED,
            project__closed_on__isnull=True,
            project__stages__milestone=Milestone.PLACED,
        )
        .select_related("stage")
    )
    if not members:
        return []
    stages_of: dict[int, list[ProjectStage]] = {}
    for stage in ProjectStage.objects.filter(
        project_id__in=[m.project_id for m in members]
    ).order_by("position"):
        stages_of.setdefault(stage.project_id, []).append(stage)
    reached: dict[int, set[int]] = {m.project_id: set() for m in members}
    for project_id, stage_id in StageReached.objects.filter(
        client=client, project_id__in=reached
    ).values_list("project_id", "stage_id"):
        reached[project_id].add(stage_id)
    moved, rows = [], []
    for member in members:
        stages = stages_of[member.project_id]
        placed = _milestone_stage(stages, Milestone.PLACED)
        if member.stage is not None and member.stage.position >= placed.position:
            continue
        day = max(on, member.screened_on)
        done = reached[member.project_id]
        rows += _reach(member, placed, day, actor, stages=stages, reached=done)
        moved.append(member)
    _save_each(rows)
    for member in moved:
        member.save(update_fields=["stage", "stage_since"])
    return moved


def members_placed_since(*, days: int, today: datetime.date | None = None) -> int:
    """Move to "placed" the members whose placement of a job kind started in the last `days`
    days up to today (the morning task: placements entered ahead of their start). Safe to run
    twice: a member at or past "placed" stays where they are. Returns how many moved."""
    today = today or timezone.localdate()
    started = (
        Placement.objects.filter(
            kind__in=PLACED_KINDS,
            start_date__gt=today - datetime.timedelta(days=days),
            start_date__lte=today,
            client__project_memberships__status=MemberStatus.ADMITTED,
            client__anonymised_at__isnull=True,
        )
        .select_related("client")
        .distinct()
        .order_by("start_date", "pk")
    )
    moved = 0
    for placement in started:
        with transaction.atomic():
            moved += len(
                members_placed(
                    actor=None,
                    client=placement.client,
                    on=placement.start_date,
                    ended=placement.end_date,
                )
            )
    return moved


def members_from_trajectories(trajectories) -> int:
    """Make each client whose trajectory names a project (an imported trajectory: the
    interchange format's `project` and `project_group`) an admitted member of it, screened on
    the day that trajectory started, in its group; clients already members stay as they are.
    Set-wise in batches, whatever the number of trajectories. Returns how many were made."""
    pairs = (
        trajectories.filter(project__isnull=False)
        .exclude(
            Exists(
                ProjectMember.objects.filter(project=OuterRef("project"), client=OuterRef("client"))
            )
        )
        .values("project", "client")
        .annotate(since=Min("start_date"), group=Min("project_group"))
        .order_by("project", "client")
    )
    made = 0
    rows = (
        ProjectMember(
            project_id=row["project"],
            client_id=row["client"],
            group_id=row["group"],
            status=MemberStatus.ADMITTED,
            screened_on=row["since"],
        )
        for row in pairs.iterator(chunk_size=2000)
    )
    while batch := list(itertools.islice(rows, 2000)):
        ProjectMember.objects.bulk_create(batch)
        made += len(batch)
    return made


# A coach moves an own client on in a project's funnel ----------------------------------------


@records_actor
@transaction.atomic
def stage_record(
    *, actor: User | None, stage: ProjectStage, client: Client, reached_on: datetime.date
) -> ProjectMember:
    """Record that an admitted member of an open project reached a further stage: the member
    moves there, and each stage before it that they had not reached is recorded on the same
    day (a funnel counts every stage passed). Only forward: putting a member back is a
    correction with a reason (`member_stage_correct`), for the project's leaders."""
    client.check_writable()
    if actor is not None and client.coach_id != actor.pk:
        raise ValidationError(
            {
                "client": _(
                    "%(client)s is not in your caseload: their coach or a project leader "
                    "moves them on."
                )
                % {"client": client.full_name}
            }
        )
    project = stage.project
    if project.is_closed:
        raise ValidationError(
            _("%(project)s is closed; its members' stages no longer change.")
            % {"project": project.name}
        )
    member = (
        ProjectMember.objects.select_for_update(of=("self",))
        .select_related("stage")
        .filter(project=project, client=client, status=MemberStatus.ADMITTED)
        .first()
    )
    if member is None:
        raise ValidationError(
            {
                "client": _(
                    "%(client)s is not an admitted member of this project: screen them for it "
                    "from their dossier first."
                )
                % {"client": client.full_name}
            }
        )
    if member.stage is not None and stage.position <= member.stage.position:
        raise ValidationError(
            {
                "stage": _(
                    "%(client)s is in %(current)s already, at or past this stage; a project "
                    "leader corrects a stage back, with the reason."
                )
                % {"client": client.full_name, "current": member.stage.name}
            }
        )
    since = max(filter(None, (member.screened_on, member.stage_since)), default=None)
    if since is not None and reached_on < since:
        raise ValidationError(
            {
                "reached_on": _(
                    "A further stage cannot be reached before %(day)s, when the current one was."
                )
                % {"day": date_format(since, "SHORT_DATE_FORMAT")}
            }
        )
    rows = _reach(
        member, stage, reached_on, actor, stages=list(project.stages.order_by("position"))
    )
    _save_each(rows)
    member.save(update_fields=["stage", "stage_since"])
    return member
