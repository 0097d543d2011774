from django.urls import path

from trajectories import views

app_name = "trajectories"
urlpatterns = [
    path("client/<int:pk>/new/", views.trajectory_start, name="start"),
    path("<int:trajectory>/edit/", views.trajectory_update, name="update"),
    path("<int:trajectory>/end/", views.trajectory_end, name="end"),
    path("<int:trajectory>/goals/new/", views.goal_create, name="goal_create"),
    path("goals/<int:goal>/status/", views.goal_status, name="goal_status"),
    path("<int:trajectory>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:activity>/edit/", views.activity_update, name="activity_update"),
    path(
        "activities/<int:activity>/evaluations/new/",
        views.evaluation_create,
        name="evaluation_create",
    ),
    path(
        "evaluations/<int:evaluation>/correct/",
        views.evaluation_correct,
        name="evaluation_correct",
    ),
    path("evaluations/<int:evaluation>/remove/", views.evaluation_remove, name="evaluation_remove"),
]
