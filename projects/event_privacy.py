"""Right-of-access section (privacy.export) for the events a client took part in; registered in
ProjectsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, person
from projects.models import EventKind, EventParticipant, EventResult

history.register_owned_records(EventParticipant, "client")


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
