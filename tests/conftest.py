import os
import time
import uuid

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client as DjangoClient
from django.utils import translation

from clients.forms import coach_text
from core import roles
from tests.factories import ClientFactory, MunicipalityFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def dutch():
    """Each test starts in Dutch, the product's language, whatever an earlier test activated."""
    translation.activate("nl")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Nothing kept by an earlier test (the dashboard's figures, say) shows up in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def reference_lists(request):
    """The lists `migrate` loads (municipalities, routes, document kinds, letter templates,
    ...) are there for every database test, as on every installation. A transactional test
    (the browser tests) empties the database when it ends, data migrations' rows included, so
    a test after it would find them gone: they are loaded again then (two queries when they
    are there)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in names for name in ("transactional_db", "live_server")
    )
    if not (transactional or marker or "db" in names):
        return  # no database
    request.getfixturevalue("transactional_db" if transactional else "db")
    from core.models import Municipality
    from core.reference import REFERENCE_DATA, load_reference_data
    from trajectories.models import Route

    if not (Route.objects.exists() and Municipality.objects.exists()):
        load_reference_data()
        for load in REFERENCE_DATA:
            load()


class BrowserLikeClient(DjangoClient):
    """The test client, sending a fresh once-only token with a form as a browser would.

    Every create form carries a hidden `submission_token` (core.idempotency) and refuses a post
    without one. A test that sets the token itself (a resend, or none at all: `""`) sends it
    as given; tests/core/test_submit_once.py uses Django's plain client for a post without it.
    """

    def post(self, path, data=None, *args, **kwargs):
        if isinstance(data, dict) and "submission_token" not in data:
            data = {**data, "submission_token": str(uuid.uuid4())}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def client():
    return BrowserLikeClient()


@pytest.fixture
def team(db):
    return TeamFactory(name="Team Assen")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Team Tynaarlo")


@pytest.fixture
def assen(db):
    return MunicipalityFactory(name="Assen")


@pytest.fixture
def make_user(db):
    """A user with a role, optionally a member of teams."""

    def make(username, role=None, teams=(), **fields):
        roles.sync_roles()
        user = UserFactory(username=username, roles=[role] if role else [], **fields)
        for t in teams:
            t.members.add(user)
        return user

    return make


@pytest.fixture
def coach(make_user, team):
    return make_user(
        "coach", roles.WORK_COACH, teams=[team], first_name="Sanne", last_name="de Vries"
    )


@pytest.fixture
def diagnosis_consultant(make_user, team):
    return make_user("diagnose", roles.DIAGNOSIS_CONSULTANT, teams=[team])


@pytest.fixture
def account_manager(make_user):
    return make_user("accountmanager", roles.ACCOUNT_MANAGER)


@pytest.fixture
def manager(make_user):
    return make_user("manager", roles.MANAGER)


# The authenticator-app secret of the `functional_admin` fixture (browser tests compute codes).
ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def totp_code(secret: str = ADMIN_TOTP_SECRET) -> str:
    """The code an authenticator app shows now (RFC 6238, 30-second steps), via allauth."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def unenrolled_admin(make_user):
    """A functional administrator who has not set up two-step verification yet."""
    return make_user("beheerder", roles.FUNCTIONAL_ADMIN, is_staff=True)


@pytest.fixture
def functional_admin(unenrolled_admin):
    """A functional administrator with an authenticator app, as required for the role."""
    TOTP.activate(unenrolled_admin, ADMIN_TOTP_SECRET)
    return unenrolled_admin


@pytest.fixture
def client_of_coach(coach, team, assen):
    return ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )


@pytest.fixture
def new_client_data(assen, team, coach):
    """What a coach types to register a client."""
    return {
        "first_name": "Selam",
        "last_name": "Tesfay",
        "bsn": "123456782",
        "birth_date": "1995-07-01",
        "municipality": assen.pk,
        "target_group": "status_holder",
        "registered_on": "2026-11-01",
        "coach": coach_text(coach),
        "team": team.name,
        "postcode": "9402cd",
        "email": "selam@example.org",
    }


@pytest.fixture
def coach_client(client, coach):
    """The Django test client, logged in as the work coach."""
    client.force_login(coach)
    return client


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI nothing may be skipped: a browser or database test that cannot run fails."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("REQUIRE_NO_SKIPS") and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, but CI requires every test to run: {report.longrepr}"
