from django.urls import path

from employers import views

app_name = "employers"

urlpatterns = [
    path("", views.start, name="start"),
    path("lijst/", views.employer_list, name="list"),
    path("nieuw/", views.employer_create, name="create"),
    path("<int:employer>/", views.employer_detail, name="detail"),
    path("<int:employer>/wijzigen/", views.employer_update, name="update"),
    path(
        "<int:employer>/contactpersoon/", views.contact_person_create, name="contact_person_create"
    ),
    path("<int:employer>/contact/", views.contact_create, name="contact_create"),
    path("<int:employer>/social-return/", views.sroi_create, name="sroi_create"),
    path("<int:employer>/vacature/", views.vacancy_create, name="vacancy_create"),
    path("vacatures/", views.vacancy_list, name="vacancy_list"),
    path("vacatures/<int:vacancy>/", views.vacancy_detail, name="vacancy_detail"),
    path("vacatures/<int:vacancy>/wijzigen/", views.vacancy_update, name="vacancy_update"),
    path(
        "vacatures/<int:vacancy>/voorstellen/<int:candidate>/",
        views.match_propose,
        name="match_propose",
    ),
    path("vacatures/<int:vacancy>/shortlist/", views.shortlist_create, name="shortlist_create"),
    path("matches/<int:match>/stap/", views.match_advance, name="match_advance"),
    path("kandidaten/", views.candidate_list, name="candidate_list"),
    path("kandidaten/<int:candidate>/", views.candidate_detail, name="candidate_detail"),
    path("kandidaten/<int:candidate>/toestemming/", views.consent_create, name="consent_create"),
    path("clienten/<int:pk>/kandidaatprofiel/", views.profile_edit, name="profile_edit"),
]

# Outside the login: the link an employer receives.
public_urlpatterns = [
    path("<str:token>/", views.shortlist, name="shortlist"),
]
