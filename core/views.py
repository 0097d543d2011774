from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import roles, services
from core.forms import ServiceAreaForm
from core.models import Municipality


def home(request):
    if request.user.has_perm("clients.view_client"):
        return redirect("clients:list")
    if request.user.has_perm("reporting.view_kpis"):
        return redirect("reporting:dashboard")
    if request.user.has_perm("employers.view_employer"):
        return redirect("employers:start")
    return render(request, "core/home.html")


@login_not_required
@never_cache
def health(request):
    """For the load balancer and the compose health check: no data, only whether we can serve."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def authorisation(request):
    """The authorisation matrix as the middleware enforces it, for the functional administrator."""
    context = {
        "roles": [(code, label, roles.SCOPES[code]) for code, label in roles.LABELS.items()],
        "rows": roles.matrix(),
        "PUBLIC": roles.PUBLIC,
        "SIGNED_IN": roles.SIGNED_IN,
    }
    context["nav"] = "authorisation"
    return render(request, "core/authorisation.html", context)


def service_area(request):
    """The functional administrator chooses the municipalities the company works for."""
    initial = {
        "municipalities": list(Municipality.objects.service_area().values_list("pk", flat=True))
    }
    # Not `request.POST or None`: unticking every box posts nothing, and that is a choice too.
    form = ServiceAreaForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        added, removed = services.service_area_set(
            actor=request.user, municipalities=form.cleaned_data["municipalities"]
        )
        messages.success(
            request,
            _("Service area saved: %(added)d added, %(removed)d removed.")
            % {"added": added, "removed": removed},
        )
        return redirect("core:service_area")
    return render(request, "core/service_area.html", {"form": form, "nav": "service_area"})
