"""What a request costs beyond its page with the production settings: the user's permissions
from the cache until they change (core.permission_cache), the session renewed at most once a
minute (core.middleware.SessionRenewalMiddleware) and, with Redis, read from the cache
(cached_db). The test settings keep the worst case (every request reads permissions and saves
the session) for the view tests' budgets; these tests switch to production's."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config import settings as production
from core import middleware, permission_cache, roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_in_production(settings):
    settings.AUTHENTICATION_BACKENDS = WITH_REDIS
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    assert production.SESSION_SAVE_EVERY_REQUEST is False


WITH_REDIS = [
    "axes.backends.AxesStandaloneBackend",
    "core.permission_cache.CachedPermissionsBackend",
]


def test_permissions_are_cached_only_in_a_cache_every_process_shares():
    cached = "core.permission_cache.CachedPermissionsBackend" in production.AUTHENTICATION_BACKENDS
    assert cached == bool(production.REDIS_URL)


def _tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_a_page_viewed_again_reads_no_permissions_and_no_session(as_in_production, client, coach):
    client.force_login(coach)
    url = reverse("clients:list")
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    sql = _tables(again.captured_queries)
    assert "auth_permission" not in sql
    assert "django_session" not in sql


def test_a_role_granted_or_taken_counts_from_the_next_request(as_in_production, client, coach):
    """The cached permissions are forgotten when a user's groups change."""
    client.force_login(coach)
    dashboard = reverse("reporting:dashboard")
    assert client.get(dashboard).status_code == 403
    managers = Group.objects.get(name=roles.MANAGER)
    coach.groups.add(managers)
    assert client.get(dashboard).status_code == 200
    coach.groups.remove(managers)
    assert client.get(dashboard).status_code == 403


def test_a_permission_taken_from_a_group_counts_from_the_next_request(
    as_in_production, client, coach
):
    client.force_login(coach)
    url = reverse("clients:list")
    assert client.get(url).status_code == 200
    view = Permission.objects.get(codename="view_client", content_type__app_label="clients")
    group = Group.objects.get(name=roles.WORK_COACH)
    group.permissions.remove(view)
    assert client.get(url).status_code == 403
    group.permissions.add(view)
    user_permission = Permission.objects.get(codename="view_kpis")
    coach.user_permissions.add(user_permission)
    assert client.get(reverse("reporting:dashboard")).status_code == 200


def test_the_session_is_renewed_once_a_minute_not_on_every_request(
    as_in_production, client, coach, monkeypatch
):
    clock = [1_000_000]
    monkeypatch.setattr(middleware, "time", SimpleNamespace(time=lambda: clock[0]))
    client.force_login(coach)
    url = reverse("clients:list")
    client.get(url)  # renewed: the first request after logging in

    def expires():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    first = expires()
    clock[0] += 59
    client.get(url)
    assert expires() == first  # within the minute: nothing written
    clock[0] += 1
    client.get(url)
    assert expires() > first  # a minute on: the idle timeout moves on
    assert client.session[middleware.SessionRenewalMiddleware.RENEWED] == clock[0]


def test_logging_out_leaves_no_session_behind(as_in_production, client, coach):
    client.force_login(coach)
    client.get(reverse("clients:list"))
    client.post(reverse("account_logout"))
    assert not Session.objects.exists()
    assert client.get(reverse("clients:list")).status_code == 302  # to the login page


def test_the_dossier_runs_six_queries_less_than_the_worst_case(
    settings, client, coach, client_of_coach
):
    """Of the dossier's queries in the test settings, production saves the permissions (2), the
    session's read (1) and its save with the savepoint pair around it (3)."""
    url = reverse("clients:detail", args=[client_of_coach.pk])
    client.force_login(coach)
    client.get(url)
    with CaptureQueriesContext(connection) as worst:
        assert client.get(url).status_code == 200
    worst = [q["sql"] for q in worst.captured_queries]  # the next request empties the log
    settings.AUTHENTICATION_BACKENDS = WITH_REDIS
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    browser = Client()  # a new handler: its session middleware reads the engine set now
    browser.force_login(coach)
    browser.get(url)
    with CaptureQueriesContext(connection) as produced:
        assert browser.get(url).status_code == 200
    produced = [q["sql"] for q in produced.captured_queries]
    assert len(worst) - len(produced) == 6, "\n".join(sql[:80] for sql in produced)
    assert not [sql for sql in produced if "django_session" in sql or "auth_permission" in sql]


def test_a_change_moves_the_generation_on_again_when_it_commits(
    coach, django_capture_on_commit_callbacks
):
    """A request between the change and its commit may cache the old rows under the new
    generation; the second move on the commit leaves them unread."""
    before = permission_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        coach.groups.add(Group.objects.get(name=roles.MANAGER))
        during = permission_cache.generation()
    assert before < during < permission_cache.generation()


def test_without_the_cache_permissions_are_read_from_the_database(coach, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(permission_cache.cache, "get", down)
    monkeypatch.setattr(permission_cache.cache, "set", down)
    backend = permission_cache.CachedPermissionsBackend()
    assert backend.has_perm(coach, "clients.view_client")
    assert not backend.has_perm(coach, "reporting.view_kpis")
