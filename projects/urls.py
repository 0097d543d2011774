from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:project_pk>/", views.project_detail, name="detail"),
    path("<int:project_pk>/fase/", views.stage_record, name="stage_record"),
    path("evenementen/", views.event_list, name="event_list"),
    path("evenementen/<int:event_pk>/", views.event_detail, name="event_detail"),
    path(
        "evenementen/<int:event_pk>/deelnemer/",
        views.event_participant,
        name="event_participant",
    ),
]
