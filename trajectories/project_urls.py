from django.urls import path

from trajectories import project_views

app_name = "projects"
urlpatterns = [
    path("", project_views.project_list, name="list"),
    path("<int:project_pk>/", project_views.project_detail, name="detail"),
    path("<int:project_pk>/fase/", project_views.stage_record, name="stage_record"),
    path("evenementen/", project_views.event_list, name="event_list"),
    path("evenementen/<int:event_pk>/", project_views.event_detail, name="event_detail"),
    path(
        "evenementen/<int:event_pk>/deelnemer/",
        project_views.event_participant,
        name="event_participant",
    ),
]
