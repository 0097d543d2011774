from django.urls import path

from interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:run>/", views.run, name="run"),
    path("<int:run>/problemen.csv", views.report, name="report"),
    path("<int:run>/importeren/", views.start, name="start"),
]
