from django.urls import path

from interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:import_run>/", views.run, name="run"),
    path("<int:import_run>/problemen.csv", views.report, name="report"),
    path("<int:import_run>/importeren/", views.start, name="start"),
]
