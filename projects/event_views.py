"""Event pages: the events list, an event with its outcome counts, registering participants."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import inline_submit
from projects import event_results, event_services
from projects.event_forms import EventParticipantForm
from projects.models import Event, EventParticipant, EventResult
from projects.views import chart_image


def event_list(request):
    rows = Event.objects.annotate(n_participants=Count("participants"))
    return render(request, "projects/event_list.html", {"events": rows, "nav": "projects"})


def _event_page(request, event, form=None, status=200):
    counts = event_results.event_counts(event)
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
    context = {
        "event": event,
        "counts": counts,
        "total": sum(c.participants for c in counts),
        "chart": chart_image(
            [c.label for c in counts],
            [c.participants for c in counts],
            title=_("Participants of %(event)s per result") % {"event": event.name},
        ),
        "participants": participants,
        "form": form,
        "results": EventParticipant._meta.get_field("result").choices,
        "nav": "projects",
    }
    return render(request, "projects/event_detail.html", context, status=status)


def event_detail(request, event_pk):
    event = get_object_or_404(Event, pk=event_pk)
    return _event_page(request, event)


@require_POST
def event_participant(request, event_pk):
    """Register a participant, or change the result of one (the same form, the same service)."""
    event = get_object_or_404(Event, pk=event_pk)
    form = EventParticipantForm(request.POST, user=request.user)
    if not inline_submit(
        request,
        form,
        lambda f: event_services.event_participant_register(
            actor=request.user, event=event, **f.cleaned_data
        ),
    ):
        return _event_page(request, event, form=form, status=400)
    client, result = form.cleaned_data["client"], form.cleaned_data["result"]
    messages.success(
        request,
        _("%(client)s: %(result)s.")
        % {"client": client.full_name, "result": EventResult(result).label},
    )
    return redirect("projects:event_detail", event_pk=event.pk)
