"""The managers' dashboard, the report runs (request, follow, download, retry) and the cost
parameters of the return of route werknemer (functional administrator)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.routers import reading_from_replica
from core.editing import form_page
from reporting import report, services
from reporting.forms import CostParameterForm, DashboardYearForm, ReportRequestForm
from reporting.kpis import Period
from reporting.models import CostParameter, CostParameterKind, ReportRun, RunStatus

PERMISSION = "reporting.view_kpis"
RECENT_RUNS = 20


@permission_required(PERMISSION, raise_exception=True)
def dashboard(request):
    """The KPIs of a year (this year by default) against the year before and the targets."""
    this_year = timezone.localdate().year
    form = DashboardYearForm(request.GET or {"year": this_year})
    year = form.cleaned_data["year"] if form.is_valid() else this_year
    built, computed_at = _dashboard_report(year, fresh="fresh" in request.GET)
    context = {
        "nav": "kpis",
        "form": form,
        "year": year,
        "report": built,
        "computed_at": computed_at,
        "period_label": report.period_label(built.period),
        "previous_label": report.period_label(built.previous),
        "year_in_progress": year == this_year,
    }
    return render(request, "reporting/dashboard.html", context)


def _dashboard_report(year: int, *, fresh: bool):
    """The year's report and when it was computed: kept for KPI_DASHBOARD_CACHE_SECONDS per
    day and language (its texts and charts are in the language), or computed afresh."""
    key = f"reporting:dashboard:{year}:{get_language()}:{timezone.localdate().isoformat()}"
    kept = None if fresh else cache.get(key)
    if kept is None:
        with reading_from_replica():  # the replica when DATABASE_REPLICA_URL is set
            kept = (report.build(Period.year(year), with_projects=False), timezone.now())
        if settings.KPI_DASHBOARD_CACHE_SECONDS:
            cache.set(key, kept, settings.KPI_DASHBOARD_CACHE_SECONDS)
    return kept


def _runs():
    return ReportRun.objects.defer("pdf", "xlsx").select_related("requested_by")[:RECENT_RUNS]


@permission_required(PERMISSION, raise_exception=True)
def report_list(request):
    """Ask for a report, and see the recent ones (those the schedule made too)."""
    return form_page(
        request,
        form=ReportRequestForm(request.POST or None),
        save=lambda form: services.run_request(
            period=form.cleaned_data["period"], kind=form.cleaned_data["kind"], user=request.user
        ),
        template="reporting/report_list.html",
        context={"nav": "reports", "runs": _runs()},
        success_url=run_url,
        # No flash message: the run's page says its state itself, and a run a worker finished
        # before the redirect would read "being made" beside "ready".
        saved=None,
        fallback_url=reverse("reporting:report_list"),
    )


def run_url(run: ReportRun) -> str:
    return reverse("reporting:report_detail", args=[run.pk])


def _run(pk: int) -> ReportRun:
    return get_object_or_404(
        ReportRun.objects.defer("pdf", "xlsx").select_related("requested_by"), pk=pk
    )


@permission_required(PERMISSION, raise_exception=True)
def report_detail(request, run):
    """One run: a progress bar while it is made, the downloads when it is ready."""
    return render(request, "reporting/report_detail.html", {"nav": "reports", "run": _run(run)})


@permission_required(PERMISSION, raise_exception=True)
def report_progress(request, run):
    """The progress part of the run page, polled by htmx until the run is finished."""
    response = render(request, "reporting/_progress.html", {"run": _run(run)})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def report_retry(request, run):
    run = _run(run)
    if not services.run_retry(run):  # retried: the page shows its progress (see report_list)
        messages.info(request, _("This report did not fail; there is nothing to retry."))
    return redirect("reporting:report_detail", run=run.pk)


FILES = {
    "pdf": ("application/pdf", "pdf"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@permission_required(PERMISSION, raise_exception=True)
def report_download(request, run, kind):
    content_type, extension = FILES[kind]
    run = get_object_or_404(
        ReportRun.objects.filter(status=RunStatus.DONE).only(
            kind, "kind", "period_start", "period_end"
        ),
        pk=run,
    )
    response = HttpResponse(bytes(getattr(run, kind)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{run.file_stem}.{extension}"'
    return response


# --- The cost parameters of the return of route werknemer (functional administrator) ---------


@permission_required("reporting.view_costparameter", raise_exception=True)
def cost_parameters(request):
    """Every cost parameter with its history: the value in force today first, earlier and
    later values and corrections below it. One query, however long the history."""
    today = timezone.localdate()
    rows = list(
        CostParameter.objects.select_related("created_by").order_by("kind", "-valid_from", "-pk")
    )
    groups = []
    for kind, label in CostParameterKind.choices:
        of_kind = [row for row in rows if row.kind == kind]
        in_force = next((row for row in of_kind if row.valid_from <= today), None)
        seen_dates = set()
        entries = []
        for row in of_kind:  # newest first: a later row of the same date corrects this one
            entries.append(
                {
                    "row": row,
                    "in_force": row is in_force,
                    "corrected": row.valid_from in seen_dates,
                    "future": row.valid_from > today,
                }
            )
            seen_dates.add(row.valid_from)
        groups.append({"kind": kind, "label": label, "in_force": in_force, "entries": entries})
    return render(
        request,
        "reporting/cost_parameters.html",
        {"nav": "cost_parameters", "groups": groups, "today": today},
    )


def _cost_parameter_page(request, initial: dict, title: str):
    form = CostParameterForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        save=lambda f: services.cost_parameter_add(
            actor=request.user,
            **{name: f.cleaned_data[name] for name in ("kind", "valid_from", "amount", "source")},
        ),
        template="reporting/cost_parameter_form.html",
        success_url=lambda parameter: reverse("reporting:cost_parameters") + f"#{parameter.kind}",
        saved=lambda parameter: (
            _("Saved: %(parameter)s from %(date)s.")
            % {
                "parameter": parameter.get_kind_display(),
                "date": f"{parameter.valid_from:%d-%m-%Y}",
            }
        ),
        context={"nav": "cost_parameters", "title": title},
        fallback_url=reverse("reporting:cost_parameters"),
    )


@permission_required("reporting.add_costparameter", raise_exception=True)
def cost_parameter_create(request):
    """A value from a date: a new parameter value (the kind chosen in the list, or on the form)."""
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in CostParameterKind.values else {}
    return _cost_parameter_page(request, initial, _("New value of a cost parameter"))


@permission_required("reporting.change_costparameter", raise_exception=True)
def cost_parameter_update(request, parameter):
    """Change a value: a new row, filled in from this one (same date: a correction; another
    date: a new value from then). The row itself stays as it was, in the history."""
    row = get_object_or_404(CostParameter, pk=parameter)
    initial = {
        "kind": row.kind,
        "valid_from": row.valid_from,
        "amount": row.amount,
        "source": row.source,
    }
    return _cost_parameter_page(request, initial, _("Change a cost parameter"))
