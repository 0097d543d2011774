"""Pages for the functional administrator: who accessed a dossier, denied accesses, reports.

The administrator sees no dossier contents here: who, when, what kind of access, from where,
the result, and which fields changed, never the values.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from audit import history
from audit.models import AccessKind, AccessLog, AccessReport
from audit.services import access_record
from clients.models import Client
from core.lists import ListPage, paged
from privacy.access_forms import ClientFindForm
from privacy.tables import AccessTable, ChangeTable, DeniedTable

REPORTS_SHOWN = 8


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
    """Every access to one client's dossier, and the change history of its data, each paged
    on its own (`?accesses=`, `?changes=`)."""
    client = get_object_or_404(
        Client.objects.only("pk", "first_name", "name_prefix", "last_name"), pk=pk
    )
    per_page = settings.AUDIT_PAGE_SIZE
    context = {
        "client": client,
        "accesses": paged(
            request, AccessTable(AccessLog.objects.for_object(Client, pk).for_list()), per_page
        ),
        "changes": paged(request, ChangeTable(history.changes_for_client(Client, pk)), per_page),
        "nav": "access",
    }
    return render(request, "audit/client_access.html", context)


class DeniedListView(ListPage):
    """Recent denied accesses, newest first."""

    permission_required = "core.administer"  # as core.roles.PAGES says for audit:denied
    table_class = DeniedTable
    template_name = "audit/denied.html"
    per_page_setting = "AUDIT_PAGE_SIZE"
    nav = "access"

    def get_queryset(self):
        return AccessLog.objects.denied().for_list()


denied = DeniedListView.as_view()


def reports(request):
    """The latest weekly reports of unusual access."""
    latest = AccessReport.objects.all()[:REPORTS_SHOWN]
    return render(request, "audit/reports.html", {"reports": latest, "nav": "access"})
