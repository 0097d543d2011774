"""make loadtest's simulated people read the real pages: if a template changes what they look
for, this fails here instead of as a wall of errors in a load test run."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client as DjangoClient

from clients.models import Contact
from loadtest import html
from tests.factories import ClientFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_coach_logs_in_pages_the_caseload_and_logs_a_contact_as_the_load_test_does(
    coach, team, settings
):
    settings.CASELOAD_PAGE_SIZE = 1
    own = {str(ClientFactory(coach=coach, team=team).pk) for _ in range(2)}
    browser = DjangoClient(enforce_csrf_checks=True)  # the tokens must come from the pages

    login_page = browser.get("/accounts/login/").content.decode()
    answer = browser.post(
        "/accounts/login/",
        {
            "login": "coach",
            "password": "welkom-bij-de-demo",
            "csrfmiddlewaretoken": html.csrf_token(login_page),
        },
    )
    assert answer.status_code == 302
    assert "/accounts/" not in answer["Location"]

    first = browser.get("/clients/").content.decode()
    assert html.last_page(first) == 2
    second = browser.get("/clients/?page=2").content.decode()
    found = html.client_ids(first) + html.client_ids(second)
    assert set(found) == own

    client = found[0]
    hidden = html.contact_form_fields(browser.get(f"/clients/{client}/").content.decode())
    assert hidden is not None
    assert hidden["csrfmiddlewaretoken"]
    assert hidden["submission_token"]
    answer = browser.post(
        f"/clients/{client}/contacts/new/",
        {
            **hidden,
            "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "channel": "phone",
            "subject": "Voortgangsgesprek",
            "notes": "Gesproken over de voortgang.",
        },
        headers={"hx-request": "true"},
    )
    assert answer.status_code == 200
    assert html.SAVED in answer.content.decode()
    assert Contact.objects.filter(client_id=client, subject="Voortgangsgesprek").count() == 1


def test_locust_loads_the_locustfile_and_its_three_kinds_of_people():
    """In a process of its own: locust patches the standard library with gevent."""
    listed = subprocess.run(
        [str(Path(sys.executable).parent / "locust"), "-f", "loadtest/locustfile.py", "--list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    assert sorted(listed.stdout.split()[2:]) == ["AccountManager", "Coach", "Manager"]


@pytest.mark.parametrize("counted", ["all", "started"])
def test_the_figures_start_at_the_first_login_or_once_everyone_has_started(counted):
    """LOADTEST_FROM=started (the steady state): the CPU and the seconds the requests per
    second are taken over start again when the last person has started; `all` keeps the first
    login's start. In a process of its own, as locust patches the standard library."""
    code = (
        "import time, locustfile as f; f._measure_from_here(None); first = f._cpu_at_start['wall'];"
        "time.sleep(0.05); f._measure_once_everyone_works(50);"
        "print(f._cpu_at_start['wall'] > first)"
    )
    ran = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "loadtest",
        env={**os.environ, "LOADTEST_FROM": counted},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.split()[-1] == ("True" if counted == "started" else "False")
