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
from projects.forms import StageReachedForm
from projects.models import Project
from trajectories.models import TO_WORK


def chart_image(labels, values, *, title):
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
        chart = chart_image(
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
