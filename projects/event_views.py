"""Event pages: the events list, creating and changing an event, an event with its outcome counts
(on the day and after three months), registering participants one by one or in bulk from the
coach's caseload, and recording each participant's result and follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.editing import act, form_page, inline_submit, save_once
from projects import event_results, event_services
from projects.event_forms import (
    ATTENDED_CHOICES,
    BulkParticipantsForm,
    CaseloadFilterForm,
    EventForm,
    EventParticipantForm,
    FollowUpForm,
    ParticipantResultForm,
)
from projects.models import Event, EventParticipant, EventResult
from projects.views import chart_image


def event_url(event: Event) -> str:
    return reverse("projects:event_detail", args=[event.pk])


def event_list(request):
    rows = Event.objects.select_related("project").annotate(n_participants=Count("participants"))
    context = {
        "events": rows,
        "may_add": request.user.has_perm("projects.add_event"),
        "nav": "events",
    }
    return render(request, "projects/event_list.html", context)


@permission_required("projects.add_event", raise_exception=True)
def event_create(request):
    return form_page(
        request,
        form=EventForm(request.POST or None),
        save=lambda form: event_services.event_create(actor=request.user, **form.cleaned_data),
        template="projects/event_form.html",
        context={"nav": "events"},
        success_url=event_url,
        saved=lambda event: _("The event %(name)s is created.") % {"name": event.name},
        fallback_url=reverse("projects:event_list"),
    )


@permission_required("projects.change_event", raise_exception=True)
def event_update(request, event_pk):
    event = get_object_or_404(Event, pk=event_pk)
    return form_page(
        request,
        form=EventForm(request.POST or None, instance=event),
        save=lambda form: event_services.event_update(
            actor=request.user, event=Event.objects.get(pk=event.pk), **form.cleaned_data
        ),
        template="projects/event_form.html",
        context={"nav": "events", "event": event},
        success_url=event_url,
        saved=lambda saved: _("The event %(name)s is saved.") % {"name": saved.name},
        field_names=event_services.EVENT_FIELDS,
    )


def _event_page(request, event, form=None, status=200):
    figures = event_results.event_figures(event)
    may_register = request.user.has_perm("projects.add_eventparticipant")
    participants = None
    if may_register:
        participants = (
            EventParticipant.objects.for_user(request.user)
            .filter(event=event)
            .select_related("client")
            .order_by("client__last_name", "client__first_name", "pk")
        )
        if form is None:
            form = EventParticipantForm(user=request.user)
        form.helper.form_action = reverse("projects:event_participant", args=[event.pk])
    rows = [
        (day, later)
        for day, later in zip(figures.on_the_day, figures.after_three_months, strict=True)
    ]
    context = {
        "event": event,
        "figures": figures,
        "rows": rows,
        "places_left": event_services.places_left(event),
        "follow_up_due": event_services.follow_up_due(event),
        "today": timezone.localdate(),
        "definitions": event_results.DEFINITIONS,
        "chart": chart_image(
            [c.label for c in figures.on_the_day],
            [c.participants for c in figures.on_the_day],
            title=_("Participants of %(event)s per result on the day") % {"event": event.name},
        ),
        "participants": participants,
        "form": form,
        "results": EventResult.choices,
        "attended_choices": ATTENDED_CHOICES,
        "may_change": request.user.has_perm("projects.change_event"),
        "nav": "events",
    }
    return render(request, "projects/event_detail.html", context, status=status)


def event_detail(request, event_pk):
    event = get_object_or_404(Event.objects.select_related("project"), pk=event_pk)
    return _event_page(request, event)


def _registered_message(request, participants, invite):
    names = ", ".join(p.client.full_name for p in participants)
    if invite:
        text = ngettext(
            "%(names)s is registered; the invitation is sent.",
            "%(names)s are registered; the invitations are sent.",
            len(participants),
        )
    else:
        text = ngettext("%(names)s is registered.", "%(names)s are registered.", len(participants))
    messages.success(request, text % {"names": names})


@require_POST
def event_participant(request, event_pk):
    """Register one client of the coach's caseload (refused when already registered or full)."""
    event = get_object_or_404(Event.objects.select_related("project"), pk=event_pk)
    form = EventParticipantForm(request.POST, user=request.user)
    if not inline_submit(
        request,
        form,
        lambda f: event_services.participant_register(
            actor=request.user,
            event=event,
            client=f.cleaned_data["client"],
            invite=f.cleaned_data["invite"],
        ),
    ):
        return _event_page(request, event, form=form, status=400)
    participant = EventParticipant.objects.select_related("client").get(
        event=event, client=form.cleaned_data["client"]
    )
    _registered_message(request, [participant], form.cleaned_data["invite"])
    return redirect(event_url(event))


def event_participants_bulk(request, event_pk):
    """Register several clients of the coach's own active caseload at once (all or nothing);
    those registered already are shown as such and cannot be ticked."""
    event = get_object_or_404(Event, pk=event_pk)
    filters = CaseloadFilterForm(request.GET or None)
    target_group = filters.cleaned_data["target_group"] if filters.is_valid() else ""
    form = BulkParticipantsForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        outcome = save_once(
            request,
            form,
            lambda f: event_services.participants_register(
                actor=request.user,
                event=event,
                clients=list(f.cleaned_data["clients"]),
                invite=f.cleaned_data["invite"],
            ),
        )
        if outcome.state == "saved":
            _registered_message(request, outcome.value, form.cleaned_data["invite"])
            return redirect(event_url(event))
        if outcome.state == "repeat":
            return redirect(event_url(event))
    if request.method == "POST":
        status = 400
    caseload = form.fields["clients"].queryset
    if target_group:
        caseload = caseload.filter(target_group=target_group)
    registered = set(
        EventParticipant.objects.filter(event=event, client__in=caseload).values_list(
            "client_id", flat=True
        )
    )
    chosen = {str(pk) for pk in (form["clients"].value() or [])}
    context = {
        "event": event,
        "form": form,
        "filters": filters,
        "caseload": [(c, c.pk in registered, str(c.pk) in chosen) for c in caseload],
        "places_left": event_services.places_left(event),
        "nav": "events",
    }
    return render(request, "projects/event_bulk.html", context, status=status)


def _participant(request, participant_pk):
    """A participant whose client the user may see (otherwise 404)."""
    return get_object_or_404(
        EventParticipant.objects.for_user(request.user).select_related("event", "client"),
        pk=participant_pk,
    )


def event_participant_result(request, participant_pk):
    """Record the result on the day and the attendance of one participant (the list's row
    posts here; a refusal shows this page with the input kept)."""
    participant = _participant(request, participant_pk)
    initial = {
        "result": participant.result,
        "attended": {True: "yes", False: "no"}.get(participant.attended, ""),
    }
    return form_page(
        request,
        form=ParticipantResultForm(request.POST or None, initial=initial),
        save=lambda form: event_services.participant_result_set(
            actor=request.user, participant=participant, **form.cleaned_data
        ),
        template="projects/event_participant_form.html",
        context={"participant": participant, "event": participant.event, "nav": "events"},
        success_url=lambda p: event_url(p.event) + "#participants",
        saved=lambda p: (
            _("%(client)s: %(result)s.")
            % {"client": p.client.full_name, "result": p.get_result_display()}
        ),
    )


def event_follow_up(request, participant_pk):
    """Record the follow-up three months after the event (from the start page or the event
    page); back to the start page when it came from there."""
    participant = _participant(request, participant_pk)
    back_to_start = request.POST.get("back") == "start" or request.GET.get("back") == "start"
    return form_page(
        request,
        form=FollowUpForm(
            request.POST or None,
            initial={"follow_up_result": participant.follow_up_result or participant.result},
        ),
        save=lambda form: event_services.participant_follow_up(
            actor=request.user, participant=participant, **form.cleaned_data
        ),
        template="projects/event_participant_form.html",
        context={
            "participant": participant,
            "event": participant.event,
            "follow_up": True,
            "back": "start" if back_to_start else "",
            "nav": "events",
        },
        success_url=lambda p: reverse("clients:list") if back_to_start else event_url(p.event),
        saved=lambda p: (
            _("Follow-up of %(client)s recorded: %(result)s.")
            % {"client": p.client.full_name, "result": p.get_follow_up_result_display()}
        ),
    )


@require_POST
@permission_required("projects.add_eventparticipant", raise_exception=True)
def event_invite(request, participant_pk):
    """Send the invitation letter to a participant registered without one."""
    participant = _participant(request, participant_pk)
    act(
        request,
        lambda: event_services.participant_invite(actor=request.user, participant=participant),
        done=_("The invitation to %(client)s is sent.") % {"client": participant.client.full_name},
    )
    return redirect(event_url(participant.event) + "#participants")
