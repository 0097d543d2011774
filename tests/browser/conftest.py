"""Playwright on the system Chromium, with axe-core run on every page a test visits."""

from pathlib import Path

import pytest

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
    """Log in through the login form, as a user would."""

    def do(username, password="welkom-demo"):
        page.goto(live_server.url + "/")
        assert_accessible(page)
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        assert_accessible(page)

    return do
