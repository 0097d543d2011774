"""Accounts: throttling, password rules, session timeout, 2FA for administrators, closed signup."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_username_from_that_address(client, coach, make_user):
    coach.set_password("juist-wachtwoord-2026")
    coach.save()
    make_user("collega", password="ander-wachtwoord-2026")
    # Attempts 1-4 are refused with the form again (200); the 5th reaches the limit (429).
    for attempt in range(1, 5):
        assert _login(client, "coach", "fout").status_code == 200, attempt
    locked = _login(client, "coach", "fout")
    assert locked.status_code == 429
    assert "Te veel inlogpogingen" in locked.content.decode()
    assert "na 5 mislukte inlogpogingen" in locked.content.decode()
    # While locked, even the right password is refused and nobody is logged in.
    right = _login(client, "coach", "juist-wachtwoord-2026")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another username from the same address may still log in.
    other = _login(client, "collega", "ander-wachtwoord-2026")
    assert other.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_same_username_from_another_address_is_not_locked(client, coach):
    coach.set_password("juist-wachtwoord-2026")
    coach.save()
    for _ in range(5):
        _login(client, "coach", "fout")
    assert _login(client, "coach", "juist-wachtwoord-2026", address="10.0.0.2").status_code == 302


def test_lockout_settings_follow_the_brief():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    # Left at axes' default: allauth passes the username to authenticate() as `username`.
    assert settings.AXES_USERNAME_FORM_FIELD == "username"


@pytest.mark.parametrize(
    ("password", "dutch"),
    [
        ("kort-1", "Het moet ten minste 12 tekens bevatten"),
        ("12345678901234", "bevat alleen cijfers"),
        ("password1234", "te algemeen"),
    ],
)
def test_weak_passwords_are_refused_with_a_dutch_message(coach, password, dutch):
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        validate_password(password, coach)
    assert any(dutch in message for message in refused.value.messages), refused.value.messages


def test_a_password_like_the_username_is_refused(make_user):
    user = make_user("jvanderberg", first_name="Jan", last_name="van der Berg")
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        validate_password("jvanderberg2026", user)
    assert any("lijkt te veel" in message for message in refused.value.messages)


def test_changing_to_a_weak_password_shows_the_rule_in_dutch(client, coach):
    coach.set_password("juist-wachtwoord-2026")
    coach.save()
    client.force_login(coach)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "juist-wachtwoord-2026", "password1": "kort-1", "password2": "kort-1"},
    )
    assert response.status_code == 200
    assert "ten minste 12 tekens" in response.content.decode()
    coach.refresh_from_db()
    assert coach.check_password("juist-wachtwoord-2026")


def test_a_long_uncommon_password_is_accepted(coach):
    validate_password("fiets-rivier-Assen-2026", coach)


def test_session_ends_after_the_idle_timeout_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 30 * 60  # SESSION_IDLE_MINUTES default 30
    # Renewed at most once a minute in production (core.middleware.SessionRenewalMiddleware;
    # tests/core/test_request_overhead.py), on every request in the test settings.
    from config import settings as production

    assert (production.SESSION_SAVE_EVERY_REQUEST, production.SESSION_RENEW_SECONDS) == (False, 60)
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_each_request_renews_the_session(coach_client):
    coach_client.get(reverse("clients:list"))
    cookie = coach_client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""  # a browser-session cookie, gone when the browser closes
    assert coach_client.session.get_expiry_age() == 30 * 60


def test_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Registreren is gesloten" in response.content.decode()
    response = client.post(
        reverse("account_signup"),
        {
            "username": "indringer",
            "password1": "fiets-rivier-Assen",
            "password2": "fiets-rivier-Assen",
        },
    )
    from core.models import User

    assert not User.objects.filter(username="indringer").exists()


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"] or response["Location"].startswith(
        reverse("account_login")
    )


def test_logout_needs_a_post(coach_client):
    coach_client.get(reverse("account_logout"))
    assert "_auth_user_id" in coach_client.session
    response = coach_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in coach_client.session


@pytest.mark.parametrize(
    "url_name",
    ["home", "core:authorisation", "admin:index", "clients:list", "account_change_password"],
)
def test_administrator_without_totp_is_sent_to_enrolment(client, unenrolled_admin, url_name):
    client.force_login(unenrolled_admin)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "daarom logt u in met twee-staps-verificatie" in page.content.decode()


@pytest.mark.parametrize("url_name", ["mfa_index", "mfa_activate_totp", "account_reauthenticate"])
def test_administrator_without_totp_may_use_the_enrolment_pages(client, unenrolled_admin, url_name):
    client.force_login(unenrolled_admin)
    response = client.get(reverse(url_name))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] != reverse("mfa_activate_totp")


def test_administrator_with_totp_works_normally(client, unenrolled_admin):
    Authenticator.objects.create(
        user=unenrolled_admin, type=Authenticator.Type.TOTP, data={"secret": "A" * 32}
    )
    client.force_login(unenrolled_admin)
    assert client.get(reverse("core:authorisation")).status_code == 200


def test_coach_needs_no_second_factor(coach_client):
    assert coach_client.get(reverse("clients:list")).status_code == 200


def test_administrator_cannot_switch_totp_off(client, unenrolled_admin, coach):
    from allauth.mfa.adapter import get_adapter

    admin_totp = Authenticator.objects.create(
        user=unenrolled_admin, type=Authenticator.Type.TOTP, data={"secret": "A" * 32}
    )
    coach_totp = Authenticator.objects.create(
        user=coach, type=Authenticator.Type.TOTP, data={"secret": "B" * 32}
    )
    assert get_adapter().can_delete_authenticator(admin_totp) is False
    assert get_adapter().can_delete_authenticator(coach_totp) is True


def test_email_addresses_are_not_self_service_for_coaches(coach_client):
    assert coach_client.get(reverse("account_email")).status_code == 403


def test_the_old_login_urls_are_gone():
    from core import roles

    assert "login" not in roles.PAGES and "logout" not in roles.PAGES
    assert settings.LOGIN_URL == "account_login"
