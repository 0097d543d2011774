"""Playwright on the system Chromium, with axe-core run on every page a test visits."""

import re
from pathlib import Path

import pytest

from tests.conftest import ADMIN_TOTP_SECRET, totp_code

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # A browser download is impossible here: always the Debian package.
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def page(page):
    """A page that fails the test on any Content-Security-Policy violation or script error."""
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    assert problems == []


def assert_accessible(page):
    """Run axe-core on the current page; fail on serious or critical violations.

    axe is injected with evaluate(): an added <script> tag would be inline and the
    Content-Security-Policy (rightly) blocks it.
    """
    page.evaluate(AXE_SOURCE)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
    )
    assert violations == [], f"{page.url}: " + "\n".join(violations)


@pytest.fixture
def login(page, live_server):
    """Log in through the login form, as a user would; with the app's code if it asks for one."""

    def do(username, password="welkom-bij-de-demo", totp_secret=ADMIN_TOTP_SECRET):
        page.goto(live_server.url + "/")
        assert_accessible(page)
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        # Wait for the answer to the login (the next step or the start page), not the old page.
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        assert_accessible(page)
        if totp_secret and "/2fa/authenticate/" in page.url:
            page.get_by_label("Code").fill(totp_code(totp_secret))
            page.get_by_role("button", name="Aanmelden").click()
            page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)

    return do


def user_menu(page):
    """Open the menu under the user's name (two-step verification, password, log out)."""
    page.locator("#user-menu").click()
    return page.locator("#user-menu + .dropdown-menu")


def log_out(page):
    """Log out through the user menu and wait until the login page is back."""
    user_menu(page).get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(lambda url: "/accounts/login/" in url)


def fill_registration(page, *, bsn="123456782", postcode=""):
    """Type Selam Tesfay's registration into the open 'Cliënt inschrijven' form."""
    page.get_by_label("Voornaam").fill("Selam")
    page.get_by_label("Achternaam").fill("Tesfay")
    page.get_by_label("BSN").fill(bsn)
    page.get_by_label("Geboortedatum").fill("1994-05-17")
    if postcode:
        page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Gemeente").select_option(label="Assen")
    page.get_by_role("combobox", name=re.compile(r"^Doelgroep")).select_option("status_holder")
