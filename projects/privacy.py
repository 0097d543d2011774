"""Right-of-access sections (privacy.export) for projects and events: the funnel stages a client
reached and the events they took part in. One query each; registered in ProjectsConfig.ready().
Orders 60 and 61 leave 50-59 for the trajectories themselves."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, person
from projects.models import StageReached

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
