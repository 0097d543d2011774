from django.urls import include, path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("nieuw/", views.project_create, name="create"),
    path("<int:project_pk>/", views.project_detail, name="detail"),
    path("<int:project_pk>/wijzigen/", views.project_edit, name="edit"),
    path("<int:project_pk>/sluiten/", views.project_close, name="close"),
    path("<int:project_pk>/fase/", views.stage_record, name="stage_record"),
    path("<int:project_pk>/deelnemers/", views.members, name="members"),
    path("<int:project_pk>/deelnemers/toevoegen/", views.members_add, name="members_add"),
    path("deelnemer/<int:member_pk>/", views.member_change, name="member_change"),
    path("client/<int:pk>/aanmelden/", views.member_join, name="member_join"),
    # The event pages share this namespace (projects:event_detail ...).
    path("evenementen/", include("projects.event_urls")),
]
