"""Project pages. Figures for everyone allowed in (managers too); a project's members and the
list its clients are added from only for a manager who keeps projects or the project's own
leaders (`may_lead`); names link to a dossier only where the user may open it."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import access_record_listed
from clients.access import refusing_anonymised, writable_client
from clients.models import Client
from core.charts import as_image, bar_chart, title_of
from core.editing import act, form_page, inline_submit
from core.forms import with_version
from projects import comparison, results, services
from projects.filters import CandidateFilter, with_wage_value_and_advice
from projects.forms import (
    BulkAddForm,
    CloseForm,
    GroupSetForm,
    ProjectChoiceForm,
    ProjectCreateForm,
    ProjectForm,
    ScreeningForm,
    StageCorrectForm,
    StageReachedForm,
    stage_formset,
)
from projects.models import MemberStatus, Project, ProjectMember

CANDIDATES_SHOWN = 100


def may_lead(user, project: Project) -> bool:
    """A manager who keeps projects (projects.change_project) or a leader of this project."""
    if not user.is_authenticated:
        return False
    if user.has_perm("projects.change_project"):
        return True
    return project.leaders.filter(pk=user.pk).exists()


def _led_project(request, project_pk) -> Project:
    project = get_object_or_404(Project, pk=project_pk)
    if not may_lead(request.user, project):
        raise PermissionDenied
    return project


def chart_image(labels, values, *, title):
    """The bar chart as an image the page's CSP can show (core.charts.as_image)."""
    return as_image(bar_chart(labels, values, title=title), alt=title)


def project_list(request):
    rows = results.with_member_figures(Project.objects.all()).order_by("-start_date", "name")
    return render(
        request,
        "projects/project_list.html",
        {
            "projects": rows,
            "may_create": request.user.has_perm("projects.add_project"),
            "nav": "projects",
        },
    )


def _monthly_chart(project, monthly):
    svg = results.monthly_chart(project, monthly, width=6.5)
    return as_image(svg, alt=title_of(svg)) if svg else None


def project_detail(request, project_pk, stage_form=None, status=200):
    project = get_object_or_404(Project, pk=project_pk)
    if stage_form is None and request.user.has_perm("projects.add_stagereached"):
        stage_form = StageReachedForm(user=request.user, project=project)
    if stage_form is not None:
        stage_form.helper.form_action = reverse("projects:stage_record", args=[project.pk])
    stages = results.funnel(project)
    now = results.current_stages(project)
    monthly = results.monthly_funnel(project, results.project_months(project, timezone.localdate()))
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
        "stages_now": now,
        "chart": chart,
        "monthly": monthly,
        "monthly_chart": _monthly_chart(project, monthly),
        "goal": results.goal_progress(project),
        "stage_form": stage_form,
        "may_lead": may_lead(request.user, project),
        "comparison": comparison.compare(project),
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


# --- Creating and keeping a project ---------------------------------------------------------


@permission_required("projects.add_project", raise_exception=True)
def project_create(request):
    form = ProjectCreateForm(request.POST or None)
    stages = stage_formset(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda f: services.project_create(
            actor=request.user, stages=stages.stages(), **f.changes()
        ),
        template="projects/project_form.html",
        success_url=lambda project: reverse("projects:detail", args=[project.pk]),
        saved=lambda project: _("Project %(name)s is created.") % {"name": project.name},
        context={"stages": stages, "title": _("New project"), "nav": "projects"},
        valid=stages.is_valid,
    )


def project_edit(request, project_pk):
    project = _led_project(request, project_pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    stages = stage_formset(request.POST or None, project=project)
    return form_page(
        request,
        form=form,
        save=lambda f: services.project_update(
            actor=request.user, project=project, stages=stages.stages(), **f.changes()
        ),
        template="projects/project_form.html",
        success_url=lambda saved: reverse("projects:detail", args=[saved.pk]),
        saved=_("The project is saved."),
        context={
            "project": project,
            "stages": stages,
            "title": _("Change the project"),
            "nav": "projects",
        },
        field_names=services.PROJECT_FIELDS,
        valid=stages.is_valid,
        rebound=lambda current: ProjectForm(
            with_version(request.POST, "version", current.version),
            instance=current,
            user=request.user,
        ),
    )


def project_close(request, project_pk):
    project = _led_project(request, project_pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        act(
            request,
            lambda: services.project_close(
                actor=request.user, project=project, closed_on=form.cleaned_data["closed_on"]
            ),
            done=_("The project is closed; it takes no new members."),
        )
        return redirect("projects:detail", project_pk=project.pk)
    return render(
        request,
        "projects/project_close.html",
        {"project": project, "form": form, "nav": "projects"},
    )


# --- Members ---------------------------------------------------------------------------------


def _may_open(user, ref="client"):
    return Exists(Client.objects.for_user(user).filter(pk=OuterRef(ref)))


def members(request, project_pk):
    """The project's members: status, stage, group, coach, days in the stage."""
    project = _led_project(request, project_pk)
    rows = (
        ProjectMember.objects.filter(project=project)
        .select_related("client", "client__coach", "client__team", "stage", "group")
        .annotate(may_open=_may_open(request.user))
        .order_by("client__last_name", "client__first_name", "pk")
    )
    today = timezone.localdate()
    rows = list(rows)
    access_record_listed(
        request=request,
        model=Client,
        object_ids=[m.client_id for m in rows],
        detail=f"project {project.code}: deelnemers",
    )
    return render(
        request,
        "projects/project_members.html",
        {
            "project": project,
            "members": [(m, (today - m.stage_since).days if m.stage_since else None) for m in rows],
            "nav": "projects",
        },
    )


def members_add(request, project_pk):
    """Clients added in bulk from a filtered list: active clients with their data still held,
    whoever's caseload they are in; names, number, coach and team, a dossier link only where
    the user may open it."""
    project = _led_project(request, project_pk)
    base = with_wage_value_and_advice(
        Client.objects.active().not_anonymised().select_related("coach", "team", "municipality")
    ).annotate(
        may_open=_may_open(request.user, "pk"),
        is_member=Exists(ProjectMember.objects.filter(project=project, client=OuterRef("pk"))),
    )
    filterset = CandidateFilter(request.GET or None, queryset=base, request=request)
    filtered = bool(request.GET)
    candidates = []
    if filtered:
        ordered = filterset.qs.order_by("last_name", "first_name", "pk")
        candidates = list(ordered[: CANDIDATES_SHOWN + 1])
    more = len(candidates) > CANDIDATES_SHOWN
    candidates = candidates[:CANDIDATES_SHOWN]
    if candidates and request.method == "GET":
        access_record_listed(
            request=request,
            model=Client,
            object_ids=[c.pk for c in candidates],
            detail=f"project {project.code}: cliënten om toe te voegen",
        )
    form = BulkAddForm(request.POST or None, project=project, candidates=candidates)
    fields = form.rows()
    if project.is_closed:
        messages.warning(request, _("This project is closed; it takes no new members."))
    return form_page(
        request,
        form=form,
        save=lambda f: services.members_add_bulk(
            actor=request.user, project=project, entries=f.entries()
        ),
        template="projects/project_members_add.html",
        success_url=lambda added: reverse("projects:members", args=[project.pk]),
        saved=lambda added: (
            _("%(count)s clients are added to the project.") % {"count": len(added)}
        ),
        context={
            "project": project,
            "filter": filterset,
            "filtered": filtered,
            "rows": [(c, fields.get(c.pk)) for c in candidates],
            "criteria": form.criteria,
            "more": more,
            "shown": CANDIDATES_SHOWN,
            "nav": "projects",
        },
    )


@permission_required("projects.add_projectmember", raise_exception=True)
@refusing_anonymised
def member_join(request, pk):
    """From the dossier: screen this client for a project (first choose it, then the criteria)."""
    client = writable_client(request, pk)
    choice = ProjectChoiceForm(request.GET or None, exclude_client=client)
    if not choice.is_valid():
        return render(
            request,
            "projects/member_join.html",
            {"client": client, "choice": choice, "nav": "clients"},
        )
    project = choice.cleaned_data["project"]
    form = ScreeningForm(request.POST or None, project=project)
    return form_page(
        request,
        form=form,
        save=lambda f: services.member_add(
            actor=request.user, project=project, client=client, **f.changes()
        ),
        template="projects/member_join.html",
        success_url=lambda member: reverse("clients:detail", args=[client.pk]) + "#projects",
        saved=lambda member: (
            (
                _("%(client)s is admitted to %(project)s.")
                if member.status == MemberStatus.ADMITTED
                else _("%(client)s is screened for %(project)s and not admitted.")
            )
            % {"client": client.full_name, "project": project.name}
        ),
        context={"client": client, "project": project, "choice": choice, "nav": "clients"},
    )


def _member(request, member_pk) -> ProjectMember:
    member = get_object_or_404(
        ProjectMember.objects.select_related("project", "client", "stage", "group"),
        pk=member_pk,
    )
    if not may_lead(request.user, member.project):
        raise PermissionDenied
    return member


def member_change(request, member_pk):
    """Correct a member's stage (with a reason) or set their group."""
    member = _member(request, member_pk)
    stage_form = StageCorrectForm(
        request.POST if "correct" in request.POST else None, member=member
    )
    group_form = GroupSetForm(request.POST if "group_set" in request.POST else None, member=member)
    back = reverse("projects:members", args=[member.project_id])
    if request.method == "POST":
        if "correct" in request.POST and stage_form.is_valid():
            if act(
                request,
                lambda: services.member_stage_correct(
                    actor=request.user, member=member, **stage_form.cleaned_data
                ),
                done=_("The stage is corrected."),
            ):
                return redirect(back)
        elif "group_set" in request.POST and group_form.is_valid():
            if act(
                request,
                lambda: services.member_group_set(
                    actor=request.user, member=member, group=group_form.cleaned_data["group"]
                ),
                done=_("The group is set."),
            ):
                return redirect(back)
    access_record_listed(
        request=request,
        model=Client,
        object_ids=[member.client_id],
        detail=f"project {member.project.code}: deelnemer wijzigen",
    )
    return render(
        request,
        "projects/member_change.html",
        {
            "member": member,
            "project": member.project,
            "stage_form": stage_form,
            "group_form": group_form,
            "may_open": Client.objects.for_user(request.user).filter(pk=member.client_id).exists(),
            "nav": "projects",
        },
        status=400 if request.method == "POST" else 200,
    )
