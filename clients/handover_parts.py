"""Where the coach history and handover notes show: the dossier (the note for the coach reading
it, the history), the right-of-access export, the change history. One query each, however many
periods or notes (the dossier reads the periods with its query of the client, and the notes
only when that query found some);
imported by ClientsConfig.ready()."""

from auditlog.registry import auditlog
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from audit import history
from clients import dossier, handover
from clients.models import Client, CoachChangeReason, CoachPeriod, HandoverNote
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person

# A dismissal is a change of the note (who read it when), kept with the client's history.
auditlog.register(HandoverNote)
history.register_owned_records(HandoverNote, "client")


@dossier.register_reads(1)
def handover_note_read(queryset, user):
    """Whether notes for this coach wait: the panel reads them only then."""
    waiting = HandoverNote.objects.open().filter(client=OuterRef("pk"), to_coach=user.pk)
    return queryset.annotate(handover_notes_waiting=Exists(waiting))


@dossier.register(1)
def handover_note_panel(client: Client, user) -> dossier.Panel | None:
    """On top of the dossier, the handover notes for the coach reading it, until dismissed."""
    if not client.handover_notes_waiting:
        return None
    notes = list(
        HandoverNote.objects.open()
        .filter(client=client, to_coach=user)
        .select_related("from_coach", "written_by")
    )
    if not notes:
        return None
    return dossier.Panel("clients/_handover_note.html", {"notes": notes})


@dossier.register_start(5)
def handover_start_part(user, caseload) -> dossier.Panel | None:
    """On the coach's start page: their clients that came with a handover note not yet read."""
    notes = list(
        HandoverNote.objects.open()
        .filter(to_coach=user, client__in=caseload)
        .select_related("client", "from_coach")
        .order_by("created_at", "pk")
    )
    if not notes:
        return None
    return dossier.Panel("clients/_handover_start.html", {"notes": notes})


# CoachPeriodQuerySet.for_dossier, read with the dossier's query of the client.
PERIODS = dossier.JSONRows(
    "coach_periods", related=("coach", "team", "changed_by"), order=("-started_on", "-pk")
)
dossier.register_reads(70)(lambda queryset, user: PERIODS.annotate(queryset))


@dossier.register(70)
def coach_history_panel(client: Client, user) -> dossier.Panel:
    """Who coached the client from when to when, and why it changed."""
    return dossier.Panel("clients/_coach_history.html", {"periods": PERIODS.of(client)})


PERIOD_EXPORT = ["started_on", "ended_on", "coach", "team", "reason", "note", "changed_by"]


@gdpr.register(45)
def coach_history(client: Client) -> Section:
    rows = (
        CoachPeriod.objects.filter(client=client)
        .select_related("coach", "team", "changed_by")
        .order_by("started_on", "pk")
    )
    return Section(
        key="coach_history",
        title=_("Coach history"),
        fields=[(name, field_label(CoachPeriod, name)) for name in PERIOD_EXPORT],
        records=[
            {
                "started_on": period.started_on,
                "ended_on": period.ended_on,
                "coach": person(period.coach),
                "team": str(period.team) if period.team else "",
                "reason": choice_label(period.reason, CoachChangeReason.choices),
                "note": period.note,
                "changed_by": person(period.changed_by),
            }
            for period in rows
        ],
    )


NOTE_EXPORT = ["created_at", "from_coach", "to_coach", "text", "written_by", "dismissed_at"]


@gdpr.register(46)
def handover_notes(client: Client) -> Section:
    rows = (
        HandoverNote.objects.filter(client=client)
        .select_related("from_coach", "to_coach", "written_by")
        .order_by("created_at", "pk")
    )
    return Section(
        key="handover_notes",
        title=_("Handover notes"),
        fields=[(name, field_label(HandoverNote, name)) for name in NOTE_EXPORT],
        records=[
            {
                "created_at": note.created_at,
                "from_coach": person(note.from_coach),
                "to_coach": person(note.to_coach),
                "text": note.text,
                "written_by": person(note.written_by),
                "dismissed_at": note.dismissed_at,
            }
            for note in rows
        ],
    )


# The coach history keeps who coached when and why; the free text of periods and handover notes
# goes with the client's anonymisation (privacy.services.client_anonymise).
gdpr.register_anonymiser(30)(handover.anonymise)
