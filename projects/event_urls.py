from django.urls import path

from projects import event_views

urlpatterns = [
    path("", event_views.event_list, name="event_list"),
    path("nieuw/", event_views.event_create, name="event_create"),
    path("<int:event_pk>/", event_views.event_detail, name="event_detail"),
    path("<int:event_pk>/wijzigen/", event_views.event_update, name="event_update"),
    path("<int:event_pk>/deelnemer/", event_views.event_participant, name="event_participant"),
    path(
        "<int:event_pk>/deelnemers/",
        event_views.event_participants_bulk,
        name="event_participants_bulk",
    ),
    path(
        "deelnemer/<int:participant_pk>/resultaat/",
        event_views.event_participant_result,
        name="event_participant_result",
    ),
    path(
        "deelnemer/<int:participant_pk>/na-drie-maanden/",
        event_views.event_follow_up,
        name="event_follow_up",
    ),
    path(
        "deelnemer/<int:participant_pk>/uitnodiging/",
        event_views.event_invite,
        name="event_invite",
    ),
]
