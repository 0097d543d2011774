from django.urls import path

from households import views

app_name = "households"
urlpatterns = [
    path("client/<int:pk>/toevoegen/", views.add, name="add"),
    path("client/<int:pk>/koppelen/", views.link, name="link"),
    path("<int:pk>/wijzigen/", views.change, name="change"),
    path("<int:pk>/verwijderen/", views.remove, name="remove"),
    path("<int:pk>/client-maken/", views.become_client, name="become_client"),
]
