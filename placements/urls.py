from django.urls import path

from placements import views

app_name = "placements"
urlpatterns = [
    path("", views.placement_list, name="list"),
    path("nieuw/", views.placement_create, name="create"),
    path("<int:placement>/", views.placement_detail, name="detail"),
    path("<int:placement>/wijzigen/", views.placement_update, name="update"),
    path("client/<int:pk>/loonwaarde/", views.assessment_create, name="assessment_create"),
    path("loonwaarde/<int:assessment>/", views.assessment_update, name="assessment_update"),
    path("client/<int:pk>/voorziening/", views.provision_create, name="provision_create"),
    path("voorziening/<int:provision>/", views.provision_update, name="provision_update"),
    path(
        "voorziening/<int:provision>/loonkostensubsidie/",
        views.calculator,
        name="calculator",
    ),
    path("nazorg/afgehandeld/", views.follow_up_done, name="follow_up_done"),
    path("social-return/", views.sroi_overview, name="sroi_overview"),
]
