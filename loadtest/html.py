"""What a simulated person reads off a page: links to follow and the hidden fields of a form.

Kept apart from the locustfile (which imports locust, and with it gevent's patching) so that
tests/loadtest checks these against the real pages.
"""

import re

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')
CONTACT_PANEL = re.compile(r'<div id="contact-panel">(.*?)</form>', re.S)
CLIENT_LINK = re.compile(r'href="/clients/(\d+)/"')
VACANCY_LINK = re.compile(r'href="/werkgevers/vacatures/(\d+)/"')
PAGE_LINK = re.compile(r"[?&](?:amp;)?page=(\d+)")
SAVED = 'role="status"'


def csrf_token(text: str) -> str:
    found = CSRF.search(text or "")
    return found.group(1) if found else ""


def contact_form_fields(dossier: str) -> dict[str, str] | None:
    """The hidden fields of the dossier's contact form, or None when the form is missing."""
    panel = CONTACT_PANEL.search(dossier or "")
    if not panel:
        return None
    once = SUBMISSION_TOKEN.search(panel.group(1))
    return {
        "csrfmiddlewaretoken": csrf_token(panel.group(1)),
        "submission_token": once.group(1) if once else "",
    }


def client_ids(text: str) -> list[str]:
    return list(dict.fromkeys(CLIENT_LINK.findall(text or "")))


def vacancy_ids(text: str) -> list[str]:
    return list(dict.fromkeys(VACANCY_LINK.findall(text or "")))


def last_page(text: str) -> int:
    return max([1, *map(int, PAGE_LINK.findall(text or ""))])
