from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("autorisatie/", views.authorisation, name="authorisation"),
    path("werkgebied/", views.service_area, name="service_area"),
]
