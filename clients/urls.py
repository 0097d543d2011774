from django.urls import path

from clients import views, worklist

app_name = "clients"
urlpatterns = [
    path("", views.ClientListView.as_view(), name="list"),
    path("niet-toegewezen/", worklist.UnassignedListView.as_view(), name="unassigned"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.ClientDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.client_update, name="update"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/ladder/new/", views.ladder_create, name="ladder_create"),
    path("<int:pk>/intakes/new/", views.intake_create, name="intake_create"),
    path("<int:pk>/bsn/", views.bsn_reveal, name="bsn_reveal"),
    path("<int:pk>/bsn/change/", views.bsn_change, name="bsn_change"),
]
