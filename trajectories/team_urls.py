from django.urls import path

from trajectories import team_views

app_name = "teams"
urlpatterns = [
    path("", team_views.team_list, name="list"),
    path("<slug:code>/", team_views.team_detail, name="detail"),
]
