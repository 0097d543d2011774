"""A coach's appointments as an iCalendar feed (RFC 5545) for their own calendar app.

A phone's calendar is outside the product: it gets no client's name, no subject and no place,
only the client's initials, the kind of appointment and its channel. Each appointment keeps
its UID, so a moved one moves in the calendar app; a cancelled one is sent as CANCELLED.
"""

import datetime
import secrets

import icalendar
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agenda.calendars import initials
from agenda.models import Appointment, AppointmentStatus, FeedToken
from agenda.services import token_hash
from core.models import User

PAST_DAYS = 30  # what a calendar app keeps of the weeks behind
UID_DOMAIN = "agenda.werk-en-ontwikkeling"


def owner(user_pk: int, token: str) -> User | None:
    """The active user whose feed secret this is, or None; compared in constant time."""
    row = FeedToken.objects.filter(user_id=user_pk, user__is_active=True).select_related("user")
    row = row.first()
    if row is None:
        # Compare anyway, so a wrong user id takes as long as a wrong secret.
        secrets.compare_digest(token_hash(token), "0" * 64)
        return None
    if not secrets.compare_digest(token_hash(token), row.token_hash):
        return None
    # Someone whose role no longer has an agenda loses the feed with it.
    if not row.user.has_perm("agenda.view_appointment"):
        return None
    return row.user


STATUSES = {
    AppointmentStatus.PLANNED: "CONFIRMED",
    AppointmentStatus.HELD: "CONFIRMED",
    AppointmentStatus.NO_SHOW: "CONFIRMED",
    AppointmentStatus.CANCELLED: "CANCELLED",
}


def calendar_for(user: User, *, now: datetime.datetime | None = None) -> bytes:
    """The user's appointments from PAST_DAYS ago on, as iCalendar bytes (one query)."""
    now = now or timezone.now()
    appointments = (
        Appointment.objects.filter(coach=user, starts_at__gte=now - datetime.timedelta(PAST_DAYS))
        .select_related("client")
        .order_by("starts_at", "pk")
    )
    with translation.override("nl"):  # the product's language; a feed has no request language
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Werk en Ontwikkeling//Agenda//NL")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("Work and Development agenda"))
        for appointment in appointments:
            calendar.add_component(_event(appointment, now))
    return calendar.to_ical()


def _event(appointment: Appointment, now: datetime.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"appointment-{appointment.pk}@{UID_DOMAIN}")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("last-modified", appointment.updated_at.astimezone(datetime.UTC))
    event.add("sequence", appointment.version % 2**31 if appointment.version else 0)
    event.add("dtstart", appointment.starts_at.astimezone(datetime.UTC))
    event.add("dtend", appointment.ends_at.astimezone(datetime.UTC))
    # Initials and kind only: the feed leaves the product (no name, subject or place).
    event.add("summary", f"{initials(appointment.client)} · {appointment.get_kind_display()}")
    event.add("location", str(appointment.get_channel_display()))
    event.add("status", STATUSES[appointment.status])
    event.add("transp", "TRANSPARENT" if appointment.status == "cancelled" else "OPAQUE")
    return event
