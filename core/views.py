from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from core import roles


def home(request):
    if request.user.has_perm("clients.view_client"):
        return redirect("clients:list")
    if request.user.has_perm("reporting.view_kpis"):
        return redirect("reporting:dashboard")
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
