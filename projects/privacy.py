"""Right-of-access sections (privacy.export) for projects and events: the funnel stages a client
reached and the events they took part in. One query each; registered in ProjectsConfig.ready().
Orders 60 and 61 leave 50-59 for the trajectories themselves."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, person
from projects.models import EventKind, EventParticipant, EventResult, StageReached

history.register_owned_records(StageReached, "client")
history.register_owned_records(EventParticipant, "client")


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


@gdpr.register(61)
def events(client: Client) -> Section:
    rows = (
        EventParticipant.objects.filter(client=client)
        .select_related("event", "registered_by")
        .order_by("event__date", "pk")
    )
    return Section(
        key="events",
        title=_("Events taken part in"),
        fields=[
            ("event", _("event")),
            ("date", _("date")),
            ("kind", _("kind")),
            ("result", _("result")),
            ("registered_by", _("registered by")),
        ],
        records=[
            {
                "event": p.event.name,
                "date": p.event.date,
                "kind": choice_label(p.event.kind, EventKind.choices),
                "result": choice_label(p.result, EventResult.choices),
                "registered_by": person(p.registered_by),
            }
            for p in rows
        ],
    )
