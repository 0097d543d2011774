from django.urls import include, path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("<int:project_pk>/", views.project_detail, name="detail"),
    path("<int:project_pk>/fase/", views.stage_record, name="stage_record"),
    # The event pages share this namespace (projects:event_detail ...).
    path("evenementen/", include("projects.event_urls")),
]
