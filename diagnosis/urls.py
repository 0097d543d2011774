from django.urls import path

from diagnosis import views

app_name = "diagnosis"

urlpatterns = [
    path("", views.referral_list, name="referrals"),
    path("client/<int:pk>/verwijzen/", views.referral_create, name="refer"),
    path("<int:referral>/intrekken/", views.referral_withdraw, name="withdraw"),
    path("<int:referral>/praktijkonderzoek/", views.assessment_plan, name="assessment_plan"),
    path(
        "praktijkonderzoek/<int:practical_assessment>/afronden/",
        views.assessment_finish,
        name="assessment_finish",
    ),
]
