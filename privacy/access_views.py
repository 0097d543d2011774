"""Pages for the functional administrator: who accessed a dossier, denied accesses, reports.

The administrator sees no dossier contents here: who, when, what kind of access, from where,
the result, and which fields changed, never the values.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from audit import history
from audit.models import AccessKind, AccessLog, AccessReport
from audit.services import access_record
from clients.models import Client
from privacy.access_forms import ClientFindForm

REPORTS_SHOWN = 8


def _page(request, queryset, param: str):
    """One page of `queryset`, with links that keep the other lists' page numbers."""
    page = Paginator(queryset, settings.AUDIT_PAGE_SIZE).get_page(request.GET.get(param))

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return "?" + query.urlencode()

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else None
    page.next_url = link(page.next_page_number()) if page.has_next() else None
    return page


@require_http_methods(["GET", "POST"])
def access_search(request):
    """Find a client by BSN (posted) or by client number, then show who accessed the dossier."""
    form = ClientFindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["bsn"]:
            # The administrator now knows whose BSN it is: logged like any look-up by BSN.
            access_record(request=request, kind=AccessKind.BSN_LOOKUP, obj=form.client)
        return redirect("audit:client_access", pk=form.client.pk)
    return render(request, "audit/access_search.html", {"form": form, "nav": "access"})


def client_access(request, pk):
    """Every access to one client's dossier, and the change history of its data."""
    client = get_object_or_404(
        Client.objects.only("pk", "first_name", "name_prefix", "last_name"), pk=pk
    )
    accesses = _page(request, AccessLog.objects.for_object(Client, pk).for_list(), "accesses")
    changes = _page(request, history.changes_for_client(Client, pk), "changes")
    change_rows = [
        (
            entry,
            history.record_label(entry),
            history.action_label(entry),
            history.field_labels(entry),
        )
        for entry in changes
    ]
    context = {
        "client": client,
        "accesses": accesses,
        "changes": changes,
        "change_rows": change_rows,
        "nav": "access",
    }
    return render(request, "audit/client_access.html", context)


def denied(request):
    """Recent denied accesses, newest first."""
    accesses = _page(request, AccessLog.objects.denied().for_list(), "page")
    return render(request, "audit/denied.html", {"accesses": accesses, "nav": "access"})


def reports(request):
    """The latest weekly reports of unusual access."""
    latest = AccessReport.objects.all()[:REPORTS_SHOWN]
    return render(request, "audit/reports.html", {"reports": latest, "nav": "access"})
