import datetime

from django.urls import path, register_converter

from agenda import views


class IsoDateConverter:
    """A day as YYYY-MM-DD in the URL (agenda/dag/2026-12-07/)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # a ValueError is a 404

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "agenda"
urlpatterns = [
    path("", views.index, name="index"),
    path("week/<int:year>/<int:week>/", views.week, name="week"),
    path("dag/<isodate:day>/", views.day, name="day"),
    path("team/", views.team_index, name="team_index"),
    path("team/<int:year>/<int:week>/", views.team_week, name="team_week"),
    path("nieuw/", views.plan, name="plan"),
    path("client/<int:pk>/nieuw/", views.plan_for, name="plan_for"),
    path("<int:appointment>/", views.detail, name="detail"),
    path("<int:appointment>/verzetten/", views.move, name="move"),
    path("<int:appointment>/annuleren/", views.cancel, name="cancel"),
    path("<int:appointment>/gehouden/", views.held, name="held"),
    path("<int:appointment>/niet-verschenen/", views.no_show, name="no_show"),
    path("<int:appointment>/uitnodiging/", views.invite, name="invite"),
    path("<int:appointment>/herinnering/", views.remind, name="remind"),
    path("agenda-app/", views.feed_settings, name="feed_settings"),
    path("agenda-app/nieuwe-link/", views.feed_renew, name="feed_renew"),
    path("feed/<int:user>/<str:secret>/agenda.ics", views.feed_view, name="feed"),
]
