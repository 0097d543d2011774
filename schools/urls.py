from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("", views.leaver_list, name="leaver_list"),
    path("nieuw/", views.leaver_create, name="leaver_create"),
    path("<int:leaver>/", views.leaver_detail, name="leaver_detail"),
    path("<int:leaver>/wijzigen/", views.leaver_update, name="leaver_update"),
    path("<int:leaver>/uitstroomgesprek/", views.conversation_record, name="conversation"),
    path("<int:leaver>/client-maken/", views.leaver_client, name="leaver_client"),
    path("scholen/", views.school_list, name="school_list"),
    path("scholen/nieuw/", views.school_create, name="school_create"),
    path("scholen/<int:school>/", views.school_update, name="school_update"),
    path("overzicht/", views.year_overview, name="overview"),
]
