"""The managers' dashboard and the report runs (request, follow, download, retry)."""

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

from core.editing import form_page
from reporting import report, services
from reporting.forms import DashboardYearForm, ReportRequestForm
from reporting.kpis import Period
from reporting.models import ReportRun, RunStatus

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
