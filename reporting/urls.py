from django.urls import path

from reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapportages/", views.report_list, name="report_list"),
    path("rapportages/<int:run>/", views.report_detail, name="report_detail"),
    path("rapportages/<int:run>/voortgang/", views.report_progress, name="report_progress"),
    path("rapportages/<int:run>/opnieuw/", views.report_retry, name="report_retry"),
    path("kostenparameters/", views.cost_parameters, name="cost_parameters"),
    path("kostenparameters/nieuw/", views.cost_parameter_create, name="cost_parameter_create"),
    path(
        "kostenparameters/<int:parameter>/wijzigen/",
        views.cost_parameter_update,
        name="cost_parameter_update",
    ),
    path(
        "rapportages/<int:run>/download.pdf",
        views.report_download,
        {"kind": "pdf"},
        name="report_pdf",
    ),
    path(
        "rapportages/<int:run>/download.xlsx",
        views.report_download,
        {"kind": "xlsx"},
        name="report_xlsx",
    ),
]
