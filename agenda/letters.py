"""The letters an appointment sends through documents.services.letter_send (the client's
preferred channel: e-mail when they prefer it and have an address, otherwise the post; the PDF
in the dossier and the letter on the timeline), with the appointment's merge fields."""

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from agenda.models import Appointment
from documents.models import LetterKind
from documents.services import letter_send


def merge_fields(appointment: Appointment) -> dict[str, str]:
    """The appointment as a Dutch letter writes it: "maandag 7 december 2026", "14:30",
    "45 minuten", the place (or the channel), the subject (or the kind)."""
    start = appointment.local_start
    minutes = appointment.duration_minutes
    with translation.override("nl"):
        return {
            "appointment_date": date_format(start.date(), "l j F Y"),
            "appointment_time": f"{start:%H:%M}",
            "appointment_duration": ngettext("%(count)d minute", "%(count)d minutes", minutes)
            % {"count": minutes},
            "appointment_place": appointment.where,
            "appointment_subject": appointment.subject or str(appointment.get_kind_display()),
        }


def _send(*, actor, appointment: Appointment, kind: str):
    return letter_send(
        actor=actor, client=appointment.client, kind=kind, merge=merge_fields(appointment)
    )


def invitation(*, actor, appointment: Appointment):
    return _send(actor=actor, appointment=appointment, kind=LetterKind.INVITATION)


def appointment_moved(*, actor, appointment: Appointment):
    return _send(actor=actor, appointment=appointment, kind=LetterKind.APPOINTMENT_MOVED)


def appointment_cancelled(*, actor, appointment: Appointment):
    return _send(actor=actor, appointment=appointment, kind=LetterKind.APPOINTMENT_CANCELLED)


def no_show_reminder(*, actor, appointment: Appointment):
    return _send(actor=actor, appointment=appointment, kind=LetterKind.NO_SHOW_REMINDER)
