"""Right-of-access section (privacy.export) for the events a client took part in; registered in
ProjectsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, person
from projects.models import EventKind, EventParticipant, EventResult

history.register_owned_records(EventParticipant, "client")


def yes_no(value: bool | None) -> str:
    """Attendance as the export reads it ('' when not recorded)."""
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))


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
            ("location", _("location")),
            ("registered_on", _("registered on")),
            ("registered_by", _("registered by")),
            ("invited_on", _("invitation sent on")),
            ("attended", _("attended")),
            ("result", _("result")),
            ("followed_up_on", _("followed up on")),
            ("follow_up_result", _("result after three months")),
        ],
        records=[
            {
                "event": p.event.name,
                "date": p.event.date,
                "kind": choice_label(p.event.kind, EventKind.choices),
                "location": p.event.location,
                "registered_on": p.registered_on,
                "registered_by": person(p.registered_by),
                "invited_on": p.invited_on,
                "attended": yes_no(p.attended),
                "result": choice_label(p.result, EventResult.choices),
                "followed_up_on": p.followed_up_on,
                "follow_up_result": choice_label(p.follow_up_result, EventResult.choices),
            }
            for p in rows
        ],
    )
