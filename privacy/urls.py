from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.access_request, name="access_request"),
    path("inzage/<int:pk>/pdf/", views.export_pdf, name="export_pdf"),
    path("inzage/<int:pk>/json/", views.export_json, name="export_json"),
    path("inzage/<int:pk>/zip/", views.export_zip, name="export_zip"),
    path("bewaartermijn/", views.retention, name="retention"),
    path(
        "bewaartermijn/voorgesteld/<int:pk>/eruit/",
        views.retention_take_out,
        name="retention_take_out",
    ),
    path("bewaartermijn/<int:pk>/goedkeuren/", views.retention_approve, name="retention_approve"),
]
