"""Project and event pages. Figures for everyone allowed in (managers too); names of
participants only for casework, and only of the clients they may see."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.charts import as_image, bar_chart
from core.editing import inline_submit
from projects import results, services
from projects.forms import EventParticipantForm, StageReachedForm
from projects.models import Event, EventParticipant, EventResult, Project
from trajectories.models import TO_WORK


def _chart_image(labels, values, *, title):
    """The bar chart as an image the page's CSP can show (core.charts.as_image)."""
    return as_image(bar_chart(labels, values, title=title), alt=title)


def project_list(request):
    rows = Project.objects.annotate(
        n_trajectories=Count("trajectories"),
        n_work=Count("trajectories", filter=Q(trajectories__outcome__in=TO_WORK)),
    ).order_by("-start_date", "name")
    return render(request, "projects/project_list.html", {"projects": rows, "nav": "projects"})


def project_detail(request, project_pk, stage_form=None, status=200):
    project = get_object_or_404(Project, pk=project_pk)
    if stage_form is None and request.user.has_perm("projects.add_stagereached"):
        stage_form = StageReachedForm(user=request.user, project=project)
    if stage_form is not None:
        stage_form.helper.form_action = reverse("projects:stage_record", args=[project.pk])
    stages = results.funnel(project)
    groups = results.group_comparison(project)
    totals = results.project_totals(project)
    chart = None
    if stages:
        chart = _chart_image(
            [s.name for s in stages],
            [s.clients for s in stages],
            title=_("Funnel of %(project)s: clients per stage") % {"project": project.name},
        )
    context = {
        "project": project,
        "stages": stages,
        "chart": chart,
        "groups": groups,
        "totals": totals,
        "progress": results.progress(project, totals),
        "stage_form": stage_form,
        "nav": "projects",
    }
    return render(request, "projects/project_detail.html", context, status=status)


@require_POST
def stage_record(request, project_pk):
    """Record that one of the user's clients reached a stage of this project's funnel."""
    project = get_object_or_404(Project, pk=project_pk)
    form = StageReachedForm(request.POST, user=request.user, project=project)
    if inline_submit(
        request, form, lambda f: services.stage_record(actor=request.user, **f.cleaned_data)
    ):
        messages.success(
            request,
            _("%(client)s reached %(stage)s.")
            % {
                "client": form.cleaned_data["client"].full_name,
                "stage": form.cleaned_data["stage"].name,
            },
        )
        return redirect("projects:detail", project_pk=project.pk)
    return project_detail(request, project.pk, stage_form=form, status=400)


def event_list(request):
    rows = Event.objects.annotate(n_participants=Count("participants"))
    return render(request, "projects/event_list.html", {"events": rows, "nav": "projects"})


def _event_page(request, event, form=None, status=200):
    counts = results.event_counts(event)
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
        "chart": _chart_image(
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
        lambda f: services.event_participant_register(
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
