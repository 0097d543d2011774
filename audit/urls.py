from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("", views.access_search, name="access_search"),
    path("clients/<int:pk>/", views.client_access, name="client_access"),
    path("geweigerd/", views.denied, name="denied"),
    path("rapporten/", views.reports, name="reports"),
]
