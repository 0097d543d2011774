import csv

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.editing import act, form_page
from core.exports import safe_cell
from core.middleware import allow_request_body
from interchange import services
from interchange.engine import MAX_KEPT_PROBLEMS_PER_FILE
from interchange.forms import ImportUploadForm
from interchange.models import ImportRun
from interchange.progress import read_progress

PERMISSION = "interchange.import_data"


@permission_required(PERMISSION, raise_exception=True)
# Some room above the zip's limit: a file a little too large gets the form's Dutch message,
# a body far beyond it is refused unread.
@allow_request_body(lambda: (settings.IMPORT_MAX_MEGABYTES + 10) * 1024 * 1024)
def index(request):
    """Upload a zip to check; the earlier runs, to find a running or finished one again."""
    return form_page(
        request,
        form=ImportUploadForm(request.POST or None, request.FILES or None),
        save=lambda form: services.run_create(
            actor=request.user, upload=form.cleaned_data["upload"]
        ),
        template="interchange/index.html",
        context={
            "runs": ImportRun.objects.select_related("created_by", "imported_by")[:20],
            "nav": "import",
        },
        success_url=lambda run: reverse("interchange:run", kwargs={"import_run": run.pk}),
        # No flash message: the run's page says its state itself, and "being checked" would
        # stand beside "checked" when the worker is quicker than the redirect.
        saved=None,
        fallback_url=reverse("interchange:index"),
    )


@permission_required(PERMISSION, raise_exception=True)
def run(request, import_run):
    """A run: its progress while a job works on it, then its problems or its summary."""
    run = get_object_or_404(
        ImportRun.objects.select_related("created_by", "imported_by"), pk=import_run
    )
    context = {
        "run": run,
        "progress": read_progress(services.progress_path(run)) if run.is_running else {},
        "kept_per_file": MAX_KEPT_PROBLEMS_PER_FILE,
        "nav": "import",
    }
    if request.htmx:
        return render(request, "interchange/_run_status.html", context)
    return render(request, "interchange/run.html", context)


@permission_required(PERMISSION, raise_exception=True)
def report(request, import_run):
    """The problems of a run as CSV (file, line, column, problem), to fix the files with."""
    run = get_object_or_404(ImportRun, pk=import_run)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-problemen.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # a BOM: Excel then opens the UTF-8 file with the right letters
    out = csv.writer(response, delimiter=";")  # Dutch spreadsheet programs expect semicolons
    out.writerow([_("file"), _("line"), _("column"), _("problem")])
    for file, line, column, message in run.problems:
        row = [file, "" if line is None else line, column, message]
        out.writerow([safe_cell(cell) for cell in row])
    return response


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def start(request, import_run):
    """Import a run whose check found no problem."""
    run = get_object_or_404(ImportRun, pk=import_run)
    act(request, lambda: services.run_start(actor=request.user, run=run))
    # Started: the page shows its progress and then "Imported" (see index).
    return redirect("interchange:run", import_run=run.pk)
