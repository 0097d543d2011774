from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from core import views as core_views
from employers import urls as employer_urls

# The admin's own login would be password-only: send it through allauth (and so through 2FA).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health", core_views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    # The language can be switched on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("clients/", include("clients.urls")),
    path("trajecten/", include("trajectories.urls")),
    path("trajecten/teams/", include("trajectories.team_urls")),
    path("verwijzingen/", include("diagnosis.urls")),
    path("projecten/", include("projects.urls")),
    path("kpis/", include("reporting.urls")),
    path("werkgevers/", include("employers.urls")),
    path(
        "shortlijst/",
        include((employer_urls.public_urlpatterns, "shortlists")),
    ),
    path("plaatsingen/", include("placements.urls")),
    path("documenten/", include("documents.urls")),
    path("schoolverlaters/", include("schools.urls")),
    path("plannen/", include("plans.urls")),
    path("agenda/", include("agenda.urls")),
    path("huishoudens/", include("households.urls")),
    path("beheer/toegang/", include("privacy.access_urls")),
    path("beheer/privacy/", include("privacy.urls")),
    path("beheer/import/", include("interchange.urls")),
    path("beheer/samenvoegen/", include("merging.urls")),
    path("beheer/", include("core.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
