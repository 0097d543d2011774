from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("traject/<int:trajectory>/nieuw/", views.plan_create, name="create"),
    path("<int:plan_version>/ondertekend/", views.plan_sign, name="sign"),
]
