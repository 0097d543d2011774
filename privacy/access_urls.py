from django.urls import path

from privacy import access_views as views

# The pages over the audit trail keep the namespace "audit" (audit:access_search, ...).
app_name = "audit"
urlpatterns = [
    path("", views.access_search, name="access_search"),
    path("clients/<int:pk>/", views.client_access, name="client_access"),
    path("geweigerd/", views.denied, name="denied"),
    path("rapporten/", views.reports, name="reports"),
]
