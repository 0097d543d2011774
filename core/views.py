from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache


def home(request):
    if request.user.has_perm("clients.view_client"):
        return redirect("clients:list")
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
