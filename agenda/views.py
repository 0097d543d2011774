"""The coach's agenda: the week, the day, the team's week; planning, moving, cancelling an
appointment and recording its outcome; the calendar feed and its secret link."""

import datetime
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agenda import calendars, feed, services
from agenda.forms import AppointmentForm, participant_formset
from agenda.models import Appointment, FeedToken
from agenda.weeks import DAY, Week
from audit.models import AccessKind
from audit.services import access_record, get_or_deny
from clients import dossier
from clients.access import AnonymisedClient, refusing_anonymised, writable_client
from clients.forms import ContactForm
from clients.models import Client
from core.editing import act, form_page, with_version

logger = logging.getLogger(__name__)


def _week_url(day: datetime.date) -> str:
    week = Week.of(day)
    return reverse("agenda:week", args=[week.year, week.number])


def _day_url(day: datetime.date) -> str:
    return reverse("agenda:day", args=[day])


# The pages --------------------------------------------------------------------------------------


@permission_required("agenda.view_appointment", raise_exception=True)
def index(request):
    """The agenda in the menu: this week."""
    return redirect(_week_url(timezone.localdate()))


def _week_or_404(year: int, number: int) -> Week:
    week = Week.named(year, number)
    if week is None:
        raise Http404("No such week")
    return week


def _week_links(week: Week, name: str) -> dict:
    today = Week.of(timezone.localdate())
    return {
        "previous_url": reverse(name, args=[*week.previous]),
        "next_url": reverse(name, args=[*week.next]),
        "today_url": reverse(name, args=[*today]),
        "is_this_week": week == today,
    }


@permission_required("agenda.view_appointment", raise_exception=True)
def week(request, year, week):
    """The coach's week, Monday to Sunday, with the start page's signals beside it; on a phone
    the week becomes one day's list (today, or the Monday of another week)."""
    week = _week_or_404(year, week)
    columns = calendars.week_columns(request.user, week)
    today = timezone.localdate()
    phone_day = next((c for c in columns if c.day == today), columns[0])
    caseload = Client.objects.for_user(request.user).filter(coach=request.user)
    context = {
        "nav": "agenda",
        "week": week,
        "columns": columns,
        "phone_day": phone_day,
        "today": today,
        "start_parts": dossier.start_parts_for(request.user, caseload),
        "part_column": "col-12",  # the parts' cards stack in the column beside the week
        **_week_links(week, "agenda:week"),
    }
    return render(request, "agenda/week.html", context)


@permission_required("agenda.view_appointment", raise_exception=True)
def day(request, day):
    """One day of the coach's agenda as a list: what a phone shows."""
    appointments = list(calendars.coach_appointments(request.user, day, day))
    context = {
        "nav": "agenda",
        "day": day,
        "appointments": appointments,
        "today": timezone.localdate(),
        "previous_url": _day_url(day - DAY),
        "next_url": _day_url(day + DAY),
        "today_url": _day_url(timezone.localdate()),
        "week_url": _week_url(day),
    }
    return render(request, "agenda/day.html", context)


@permission_required("trajectories.view_team_figures", raise_exception=True)
def team_week(request, year, week):
    """The week of every member of the user's teams. Client names only of clients the user may
    open; otherwise initials and the kind of appointment (a manager sees no dossiers)."""
    week = _week_or_404(year, week)
    context = {
        "nav": "team_agenda",
        "week": week,
        "rows": calendars.team_rows(request.user, week),
        "today": timezone.localdate(),
        **_week_links(week, "agenda:team_week"),
    }
    return render(request, "agenda/team_week.html", context)


@permission_required("trajectories.view_team_figures", raise_exception=True)
def team_index(request):
    week = Week.of(timezone.localdate())
    return redirect("agenda:team_week", *week)


def _scoped(request, pk) -> Appointment:
    """The appointment if the user may see its client; a 404 logged as a denied read otherwise."""
    queryset = Appointment.objects.for_user(request.user).select_related("client", "coach")
    return get_or_deny(request, queryset, pk)


@permission_required("agenda.view_appointment", raise_exception=True)
def detail(request, appointment):
    """One appointment with what can be done with it (logged: it names the client)."""
    appointment = _scoped(request, appointment)
    access_record(request=request, kind=AccessKind.DOSSIER, obj=appointment.client)
    context = {
        "nav": "agenda",
        "appointment": appointment,
        "client": appointment.client,
        "participants": list(appointment.participants.select_related("contact_person")),
        "week_url": _week_url(appointment.local_start.date()),
    }
    return render(request, "agenda/appointment_detail.html", context)


# Planning and moving ----------------------------------------------------------------------------


def _plan_page(request, *, client, clients, back_url):
    initial = {}
    if "date" in request.GET:
        try:
            initial["date"] = datetime.date.fromisoformat(request.GET["date"])
        except ValueError:
            pass
    if client is None and request.GET.get("client", "").isdigit():
        initial["client"] = request.GET["client"]
    form = AppointmentForm(request.POST or None, clients=clients, initial=initial)
    formset = participant_formset(request.POST or None)

    def save(form):
        return services.appointment_plan(
            actor=request.user,
            client=client or form.cleaned_data["client"],
            participants=formset.participants(),
            **form.appointment_fields(),
        )

    def success_url(appointment):
        if client is not None:
            return reverse("clients:detail", args=[client.pk])
        return _week_url(appointment.local_start.date())

    return form_page(
        request,
        form=form,
        save=save,
        template="agenda/appointment_form.html",
        context={
            "nav": "agenda",
            "client": client,
            "participants": formset,
            "title": _("Plan an appointment"),
            "back_url": back_url,
        },
        success_url=success_url,
        saved=_("The appointment is planned."),
        fallback_url=back_url,
        valid=formset.is_valid,
    )


@permission_required("agenda.add_appointment", raise_exception=True)
def plan(request):
    """Plan an appointment from the agenda, choosing the client."""
    clients = (
        Client.objects.for_user(request.user)
        .not_anonymised()
        .active()
        .order_by("last_name", "first_name", "pk")
    )
    return _plan_page(request, client=None, clients=clients, back_url=reverse("agenda:index"))


@permission_required("agenda.add_appointment", raise_exception=True)
@refusing_anonymised
def plan_for(request, pk):
    """Plan an appointment with this client, from the dossier."""
    client = writable_client(request, pk)
    return _plan_page(
        request, client=client, clients=None, back_url=reverse("clients:detail", args=[pk])
    )


def _writable(request, pk) -> Appointment:
    appointment = _scoped(request, pk)
    if appointment.client.is_anonymised:
        raise AnonymisedClient(appointment.client)
    return appointment


@permission_required("agenda.change_appointment", raise_exception=True)
@refusing_anonymised
def move(request, appointment):
    """Move an appointment (or change its channel, place, subject, participants); the client
    is told of a new time or place. A save over someone else's change answers 409."""
    appointment = _writable(request, appointment)
    form = AppointmentForm(
        request.POST or None, instance=Appointment.objects.get(pk=appointment.pk)
    )
    formset = participant_formset(request.POST or None, appointment=appointment)

    def save(form):
        return services.appointment_move(
            actor=request.user,
            appointment=Appointment.objects.select_related("client").get(pk=appointment.pk),
            version=form.cleaned_data["version"],
            participants=formset.participants(),
            **form.appointment_fields(),
        )

    return form_page(
        request,
        form=form,
        save=save,
        template="agenda/appointment_form.html",
        context={
            "nav": "agenda",
            "client": appointment.client,
            "appointment": appointment,
            "participants": formset,
            "title": _("Move the appointment"),
            "back_url": reverse("agenda:detail", args=[appointment.pk]),
        },
        success_url=lambda saved: reverse("agenda:detail", args=[saved.pk]),
        saved=lambda moved: _told(request, moved, _("The appointment is moved.")),
        field_names=services.APPOINTMENT_FIELDS,
        rebound=lambda current: AppointmentForm(
            with_version(request.POST, "version", current.version), instance=current
        ),
        valid=formset.is_valid,
    )


# One-click actions ------------------------------------------------------------------------------


def _back(request, appointment) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("agenda:detail", args=[appointment.pk])
    return redirect(target)


@require_POST
@permission_required("agenda.change_appointment", raise_exception=True)
@refusing_anonymised
def cancel(request, appointment):
    """Cancel an appointment; the client is told."""
    appointment = _writable(request, appointment)
    act(
        request,
        lambda: services.appointment_cancel(actor=request.user, appointment=appointment),
        done=lambda cancelled: _told(request, cancelled, _("The appointment is cancelled.")),
    )
    return _back(request, appointment)


def _told(request, appointment, done: str) -> str:
    """The message after a move or a cancellation: the client is told, or a warning says why
    no letter could go."""
    if getattr(appointment, "untold", ""):
        messages.warning(
            request,
            _("No letter went to the client: %(reason)s Tell the client another way.")
            % {"reason": appointment.untold},
        )
        return done
    if getattr(appointment, "told", False):
        return _("%(done)s The client is told by letter or e-mail.") % {"done": done}
    return done


@require_POST
@permission_required("agenda.change_appointment", raise_exception=True)
@refusing_anonymised
def no_show(request, appointment):
    """Record that the client did not come (once)."""
    appointment = _writable(request, appointment)
    act(
        request,
        lambda: services.appointment_no_show(actor=request.user, appointment=appointment),
        done=_("Recorded: the client did not come."),
    )
    return _back(request, appointment)


@require_POST
@permission_required("agenda.change_appointment", raise_exception=True)
@refusing_anonymised
def invite(request, appointment):
    """Send the client the invitation letter (by e-mail or post, as they prefer)."""
    appointment = _writable(request, appointment)
    act(
        request,
        lambda: services.appointment_invite(actor=request.user, appointment=appointment),
        done=_("The invitation letter is sent; it is on the timeline."),
    )
    return _back(request, appointment)


@require_POST
@permission_required("agenda.change_appointment", raise_exception=True)
@refusing_anonymised
def remind(request, appointment):
    """Send the client the reminder letter after a no-show (by e-mail or post, as they prefer)."""
    appointment = _writable(request, appointment)
    act(
        request,
        lambda: services.appointment_remind(actor=request.user, appointment=appointment),
        done=_("The reminder letter is sent; it is on the timeline."),
    )
    return _back(request, appointment)


@permission_required("agenda.change_appointment", raise_exception=True)
@refusing_anonymised
def held(request, appointment):
    """Record that the appointment was held: the contact form, filled in from the appointment;
    saving it logs the contact moment and marks the appointment held."""
    appointment = _writable(request, appointment)
    initial = {
        "date": min(appointment.local_start.date(), timezone.localdate()),
        "channel": appointment.channel,
        "subject": appointment.subject or appointment.get_kind_display(),
    }
    return form_page(
        request,
        form=ContactForm(request.POST or None, initial=initial),
        save=lambda form: services.appointment_held(
            actor=request.user, appointment=appointment, **form.cleaned_data
        ),
        template="agenda/held_form.html",
        context={"nav": "agenda", "appointment": appointment, "client": appointment.client},
        success_url=lambda saved: reverse("clients:detail", args=[saved.client_id]),
        saved=_("The appointment is recorded as held; the contact moment is logged."),
        fallback_url=reverse("agenda:detail", args=[appointment.pk]),
    )


# The calendar feed ------------------------------------------------------------------------------

FEED_TOKEN_SHOWN = "agenda.feed_token"  # session key: the new secret, shown once


@never_cache
@permission_required("agenda.view_appointment", raise_exception=True)
def feed_settings(request):
    """ "Agenda in your own calendar app": the secret link (shown once, right after making it)
    and a button to make a new one."""
    token = request.session.pop(FEED_TOKEN_SHOWN, None)
    link = None
    if token:
        link = request.build_absolute_uri(reverse("agenda:feed", args=[request.user.pk, token]))
    context = {
        "nav": "agenda",
        "feed": FeedToken.objects.filter(user=request.user).first(),
        "link": link,
    }
    return render(request, "agenda/feed_settings.html", context)


@require_POST
@permission_required("agenda.view_appointment", raise_exception=True)
def feed_renew(request):
    """Make a new secret link; the old one stops working at once."""
    request.session[FEED_TOKEN_SHOWN] = services.feed_token_renew(user=request.user)
    messages.success(request, _("Your new link is made; the old one no longer works."))
    return redirect("agenda:feed_settings")


FEED_REQUESTS_PER_HOUR = 120  # a calendar app asks every 15 minutes or so


@login_not_required
@never_cache
def feed_view(request, user, secret):
    """The coach's appointments as iCalendar, for a calendar app that cannot log in: the secret
    in the link is the key. Initials and kinds only, never names. Every request is logged; more
    than FEED_REQUESTS_PER_HOUR from one link in an hour are refused (429)."""
    address = request.META.get("REMOTE_ADDR", "")
    found = feed.owner(user, secret)
    if found is None:
        logger.warning("agenda feed: refused link for user %s from %s", user, address)
        raise Http404("No such feed")
    key = f"agenda-feed:{found.pk}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > FEED_REQUESTS_PER_HOUR:
        logger.warning("agenda feed: too many requests for user %s from %s", user, address)
        return HttpResponse(status=429, headers={"Retry-After": "3600"})
    logger.info("agenda feed: read for user %s from %s", user, address)
    FeedToken.objects.filter(user_id=found.pk).update(last_used_at=timezone.now())
    response = HttpResponse(feed.calendar_for(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
