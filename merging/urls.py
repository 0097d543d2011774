from django.urls import path

from merging import views

app_name = "merging"
urlpatterns = [
    path("", views.index, name="index"),
    path("samenvoegen/", views.merge, name="merge"),
]
