from django.urls import path

from projects import event_views

urlpatterns = [
    path("", event_views.event_list, name="event_list"),
    path("<int:event_pk>/", event_views.event_detail, name="event_detail"),
    path(
        "<int:event_pk>/deelnemer/",
        event_views.event_participant,
        name="event_participant",
    ),
]
