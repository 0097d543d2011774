"""Two-step verification as a user meets it: required for functional administrators."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_out, user_menu
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret):
    return totp_code(secret)


def _wrong_code(secret):
    return f"{(int(_code(secret)) + 1) % 1_000_000:06d}"


def test_administrator_enrols_and_then_needs_a_code(page, login, live_server, unenrolled_admin):
    login("beheerder", totp_secret=None)
    # Without TOTP every page leads to enrolment; allauth first asks for the password again.
    expect(page.get_by_role("heading", name="Toegang bevestigen")).to_be_visible()
    expect(page.get_by_text("daarom logt u in met twee-staps-verificatie")).to_be_visible()
    page.get_by_label("Wachtwoord").fill("welkom-bij-de-demo")
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", name="Activeer authenticator-app")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/beheer/autorisatie/")
    expect(page.get_by_role("heading", name="Activeer authenticator-app")).to_be_visible()
    secret = page.get_by_label("Authenticator geheim").input_value()
    page.get_by_label("Authenticator code").fill(_wrong_code(secret))
    page.get_by_role("button", name="Activeer").click()
    expect(page.get_by_text("Ongeldige code.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Authenticator code").fill(_code(secret))
    page.get_by_role("button", name="Activeer").click()
    expect(page.get_by_role("heading", name="Herstelcodes")).to_be_visible()
    assert_accessible(page)
    user_menu(page).get_by_role("link", name="Twee-staps-verificatie").click()
    expect(page.get_by_role("heading", name="Twee-staps-verificatie")).to_be_visible()
    assert_accessible(page)

    log_out(page)
    login("beheerder", totp_secret=None)
    expect(page.get_by_role("heading", name="Twee-staps-verificatie")).to_be_visible()
    page.get_by_label("Code").fill(_wrong_code(secret))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_text("Ongeldige code.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(_code(secret))
    page.get_by_role("button", name="Aanmelden").click()
    # Let the login finish before going elsewhere: a goto would cancel the form's POST.
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    page.goto(live_server.url + "/beheer/autorisatie/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Activeer authenticator-app")
    assert page.url.endswith("/beheer/autorisatie/")
    assert_accessible(page)


def test_coach_logs_in_without_a_second_factor(page, login, live_server, coach):
    login("coach")
    expect(page.get_by_role("heading", name="Mijn caseload")).to_be_visible()
    user_menu(page).get_by_role("link", name="Twee-staps-verificatie").click()
    expect(page.get_by_role("heading", name="Twee-staps-verificatie")).to_be_visible()
    assert_accessible(page)


def test_wrong_passwords_end_in_the_dutch_lockout_page(page, live_server, coach):
    page.goto(live_server.url + "/accounts/login/")
    for _ in range(5):
        page.get_by_label("Gebruikersnaam").fill("coach")
        page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Te veel inlogpogingen")).to_be_visible()
    assert_accessible(page)
