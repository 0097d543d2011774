from django.urls import path

from clients import handover_views, views, worklist

app_name = "clients"
urlpatterns = [
    path("", views.ClientListView.as_view(), name="list"),
    path("niet-toegewezen/", worklist.UnassignedListView.as_view(), name="unassigned"),
    path("caseloads/", handover_views.CaseloadOverviewView.as_view(), name="caseloads"),
    path(
        "caseloads/<int:team>/<int:coach>/handover/",
        handover_views.caseload_handover,
        name="handover",
    ),
    path(
        "handover-notes/<int:pk>/dismiss/",
        handover_views.handover_note_dismiss,
        name="handover_note_dismiss",
    ),
    path("new/", views.client_create, name="create"),
    path("suggesties/", views.suggest, name="suggest"),
    path("<int:pk>/", views.ClientDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.client_update, name="update"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/ladder/new/", views.ladder_create, name="ladder_create"),
    path("<int:pk>/intakes/new/", views.intake_create, name="intake_create"),
    path("<int:pk>/timeline/", views.timeline_page, name="timeline"),
    path("contacts/<int:contact>/correct/", views.contact_correct, name="contact_correct"),
    path("contacts/<int:contact>/remove/", views.contact_remove, name="contact_remove"),
    path("ladder/<int:observation>/correct/", views.ladder_correct, name="ladder_correct"),
    path("ladder/<int:observation>/remove/", views.ladder_remove, name="ladder_remove"),
    path("intakes/<int:intake>/correct/", views.intake_correct, name="intake_correct"),
    path("intakes/<int:intake>/remove/", views.intake_remove, name="intake_remove"),
    path("removed/", views.removed_records, name="removed"),
    path("<int:pk>/bsn/", views.bsn_reveal, name="bsn_reveal"),
    path("<int:pk>/bsn/change/", views.bsn_change, name="bsn_change"),
]
