"""The client's address behind the trusted proxy: audit logs, axes lockouts, allauth limits.

Behind one proxy (TRUSTED_PROXY_COUNT=1) every request arrives from the proxy's address, and
the proxy appends the address it saw to whatever X-Forwarded-For the client sent. Only that
last entry is the client's; the entries before it are the client's own words.
"""

import runpy
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from audit.models import AccessLog
from config import settings as settings_module
from tests.clients.test_views import edit_form_data
from tests.core.test_settings import _import_settings

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "juist-wachtwoord-2026"
PROXY = "172.18.0.1"  # the docker network's gateway, as gunicorn sees the proxy on the host
ALICE = "10.20.0.5"  # two colleagues on the organisation's network, behind the same proxy
BOB = "10.20.0.6"
FORGED = "10.99.99.99"  # what a client writes into X-Forwarded-For itself


def through_proxy(client_address, forged=None) -> dict:
    """The request headers the proxy passes on for a client at `client_address`."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def settings_from_environment(monkeypatch, **environment) -> dict:
    """The settings config/settings.py makes with these environment variables."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    made = runpy.run_path(str(Path(settings_module.__file__)))
    return {name: value for name, value in made.items() if name.isupper()}


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    """Every setting that TRUSTED_PROXY_COUNT=1 in the environment changes, applied."""
    without = settings_from_environment(monkeypatch, TRUSTED_PROXY_COUNT="0")
    behind = settings_from_environment(monkeypatch, TRUSTED_PROXY_COUNT="1")
    derived = {name: value for name, value in behind.items() if without.get(name) != value}
    assert "TRUSTED_PROXY_COUNT" in derived
    for name, value in derived.items():
        setattr(settings, name, value)


@pytest.fixture
def coach_with_password(coach):
    coach.set_password(PASSWORD)
    coach.save()
    return coach


def login(client, password, **meta):
    client.logout()
    return client.post(LOGIN, {"login": "coach", "password": password}, **meta)


def edit_phone(client, client_of_coach, phone, **meta):
    url = reverse("clients:update", args=[client_of_coach.pk])
    form = client.get(url, **meta).context["form"]
    response = client.post(url, edit_form_data(form, phone=phone), **meta)
    assert response.status_code == 302, response.context["form"].errors
    return LogEntry.objects.filter(action=LogEntry.Action.UPDATE).latest("pk")


def test_behind_the_proxy_the_audit_logs_record_the_client_not_the_proxy(
    behind_one_proxy, coach_client, client_of_coach
):
    coach_client.get(
        reverse("clients:detail", args=[client_of_coach.pk]), **through_proxy(ALICE, FORGED)
    )
    assert AccessLog.objects.get().ip_address == ALICE
    change = edit_phone(
        coach_client, client_of_coach, "0592-123456", **through_proxy(ALICE, FORGED)
    )
    assert change.remote_addr == ALICE


def test_without_a_trusted_proxy_a_forged_header_changes_nothing(
    coach_with_password, client_of_coach
):
    # TRUSTED_PROXY_COUNT=0, the default: X-Forwarded-For is the client's word and never read.
    browser = Client()
    direct = {"REMOTE_ADDR": ALICE, "HTTP_X_FORWARDED_FOR": FORGED}
    browser.force_login(coach_with_password)
    browser.get(reverse("clients:detail", args=[client_of_coach.pk]), **direct)
    assert AccessLog.objects.get().ip_address == ALICE
    change = edit_phone(browser, client_of_coach, "0592-123456", **direct)
    assert change.remote_addr == ALICE
    assert change.remote_port is None  # X-Forwarded-Port is not read either
    # Wrong passwords under a forged header lock the real address, and another forged address
    # does not free it.
    for _ in range(5):
        login(browser, "fout", **direct)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}
    other_forgery = {"REMOTE_ADDR": ALICE, "HTTP_X_FORWARDED_FOR": "10.98.0.1"}
    assert login(browser, PASSWORD, **other_forgery).status_code == 429


def test_behind_the_proxy_a_lockout_holds_one_username_at_one_client_address(
    behind_one_proxy, client, coach_with_password
):
    for attempt in range(1, 5):
        assert login(client, "fout", **through_proxy(ALICE)).status_code == 200, attempt
    assert login(client, "fout", **through_proxy(ALICE)).status_code == 429
    assert AccessAttempt.objects.get().ip_address == ALICE
    # Alice's address stays locked, whatever she writes into the header herself...
    assert login(client, PASSWORD, **through_proxy(ALICE)).status_code == 429
    assert login(client, PASSWORD, **through_proxy(ALICE, forged=BOB)).status_code == 429
    # ...while the same username from Bob's computer, through the same proxy, logs in.
    assert login(client, PASSWORD, **through_proxy(BOB)).status_code == 302
    assert client.session["_auth_user_id"] == str(coach_with_password.pk)


def test_behind_the_proxy_allauths_login_limit_counts_each_client_apart(
    behind_one_proxy, settings, client, coach_with_password
):
    # Two logins a minute per address; the default is 30, the same count with more requests.
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    assert login(client, PASSWORD, **through_proxy(ALICE)).status_code == 302
    assert login(client, PASSWORD, **through_proxy(ALICE)).status_code == 302
    assert login(client, PASSWORD, **through_proxy(ALICE, forged=BOB)).status_code == 429
    # Bob's first login is his own first, not the organisation's third.
    assert login(client, PASSWORD, **through_proxy(BOB)).status_code == 302


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_malformed_proxy_count_stops_startup(value):
    result = _import_settings(DJANGO_DEBUG="1", TRUSTED_PROXY_COUNT=value)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


def test_a_header_shorter_than_the_proxy_chain_gives_a_login_not_an_error(
    settings, client, coach_with_password
):
    # Two proxies configured, but this request passed only one (a health check, a misrouted
    # request): allauth's own parser raises ImproperlyConfigured, a 500 on the login page.
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = login(client, PASSWORD, **through_proxy(ALICE))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coach_with_password.pk)
