"""Right-of-access sections (privacy.export) for projects and events: the funnel stages a client
reached and the events they took part in. One query each; registered in ProjectsConfig.ready().
Orders 60 and 61 leave 50-59 for the trajectories themselves."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, person
from projects.models import MemberStatus, ProjectMember, StageReached

history.register_owned_records(StageReached, "client")


@gdpr.register(60)
def project_stages(client: Client) -> Section:
    rows = (
        StageReached.objects.filter(client=client)
        .select_related("project", "stage", "recorded_by")
        .order_by("reached_on", "pk")
    )
    return Section(
        key="project_stages",
        title=_("Project stages reached"),
        fields=[
            ("project", _("project")),
            ("stage", _("stage")),
            ("reached_on", _("reached on")),
            ("recorded_by", _("recorded by")),
        ],
        records=[
            {
                "project": r.project.name,
                "stage": r.stage.name,
                "reached_on": r.reached_on,
                "recorded_by": person(r.recorded_by),
            }
            for r in rows
        ],
    )


history.register_owned_records(ProjectMember, "client")


@gdpr.register(62)
def project_memberships(client: Client) -> Section:
    rows = (
        ProjectMember.objects.filter(client=client)
        .select_related("project", "stage", "group", "added_by")
        .prefetch_related("criteria_met")
        .order_by("screened_on", "pk")
    )
    return Section(
        key="project_memberships",
        title=_("Projects taken part in"),
        fields=[
            ("project", _("project")),
            ("status", _("status")),
            ("screened_on", _("screened on")),
            ("criteria_met", _("criteria met")),
            ("not_admitted_reason", _("reason not admitted")),
            ("group", _("group")),
            ("stage", _("stage now")),
            ("stage_since", _("in this stage since")),
            ("added_by", _("added by")),
        ],
        records=[
            {
                "project": m.project.name,
                "status": m.get_status_display(),
                "screened_on": m.screened_on,
                "criteria_met": "; ".join(c.text for c in m.criteria_met.all()),
                "not_admitted_reason": m.not_admitted_reason,
                "group": m.group.name if m.group else "",
                "stage": m.stage.name if m.stage else "",
                "stage_since": m.stage_since,
                "added_by": person(m.added_by),
            }
            for m in rows
        ],
    )


@gdpr.register_anonymiser(60)
def anonymise(client: Client) -> None:
    """Free text about the client goes; the membership and its stages stay for the figures (a
    not-admitted member keeps a placeholder, as the database asks for a reason)."""
    ProjectMember.objects.filter(client=client, status=MemberStatus.NOT_ADMITTED).update(
        not_admitted_reason="-"
    )
    ProjectMember.objects.filter(client=client).exclude(status=MemberStatus.NOT_ADMITTED).update(
        not_admitted_reason=""
    )
    StageReached.objects.filter(client=client).exclude(reason="").update(reason="-")
