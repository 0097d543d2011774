from django.urls import path

from households import views

app_name = "households"
urlpatterns = [
    path("client/<int:pk>/toevoegen/", views.add, name="add"),
    path("client/<int:pk>/koppelen/", views.link, name="link"),
    path("<int:member>/wijzigen/", views.change, name="change"),
    path("<int:member>/verwijderen/", views.remove, name="remove"),
    path("<int:member>/client-maken/", views.become_client, name="become_client"),
]
