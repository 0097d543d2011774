"""The dossier's inline forms drawn once per process ({% crispy_blank %}): the same HTML as
{% crispy %}, a fresh once-only token on every view, errors still shown."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from clients.forms import ContactForm, LadderObservationForm
from clients.templatetags import dossier_forms

TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')


def render(source: str, form) -> str:
    return Template(source).render(Context({"form": form}))


def blank(form) -> str:
    return render("{% load dossier_forms %}{% crispy_blank form %}", form)


def crispy(form) -> str:
    return render("{% load crispy_forms_tags %}{% crispy form %}", form)


@pytest.fixture(autouse=True)
def _empty_cache():
    dossier_forms._drawn.clear()


@pytest.mark.parametrize("form_class", [ContactForm, LadderObservationForm])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_blank_form_renders_what_crispy_renders_with_its_own_token(form_class, language):
    with translation.override(language):
        for _ in range(3):  # the first draws, the others come from the cache
            form = form_class()
            html = blank(form)
            assert TOKEN.findall(html) == [str(form["submission_token"].value())]
            assert TOKEN.sub("", html) == TOKEN.sub("", crispy(form_class()))


def test_each_view_gets_another_token():
    tokens = {TOKEN.search(blank(ContactForm())).group(1) for _ in range(3)}
    assert len(tokens) == 3


def test_each_view_gets_its_own_csrf_token():
    # crispy's form template writes a CSRF input even without a form tag; a kept one would be
    # another session's, and the browser posts the last one of the form (403).
    source = "{% load dossier_forms %}{% crispy_blank form %}"
    for secret in ("A" * 64, "B" * 64, "C" * 64):
        html = Template(source).render(Context({"form": ContactForm(), "csrf_token": secret}))
        assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html) == [secret]


def test_the_language_of_the_view_is_kept_apart():
    with translation.override("nl"):
        dutch = blank(ContactForm())
    with translation.override("en"):
        english = blank(ContactForm())
    assert "Kanaal" in dutch and "Channel" not in dutch
    assert "Channel" in english and "Kanaal" not in english


def test_a_bound_form_shows_its_errors_and_what_was_typed():
    blank(ContactForm())  # an empty one in the cache
    form = ContactForm(data={"date": "", "channel": "phone", "subject": "Typed"})
    html = blank(form)
    assert 'value="Typed"' in html
    assert "invalid-feedback" in html or "is-invalid" in html
    assert not dossier_forms._key(Context(), form)
