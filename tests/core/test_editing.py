"""core.editing.save_once: the runner's steps every create and edit page relies on."""

import uuid

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.editing import ConcurrentEdit, save_once
from core.idempotency import SubmitOnceFormMixin

pytestmark = pytest.mark.django_db


class NameForm(SubmitOnceFormMixin, forms.Form):
    name = forms.CharField()


def sent(rf, user, token):
    request = rf.post("/", {"name": "Selam", "submission_token": str(token)})
    request.user = user
    form = NameForm(request.POST)
    assert form.is_valid(), form.errors
    return request, form


def test_a_form_sent_twice_saves_once_and_the_repeat_learns_where_the_first_went(rf, coach):
    token, saves = uuid.uuid4(), []

    def save(form):
        saves.append(dict(form.cleaned_data))  # the token is taken out before the service
        return "saved"

    first = save_once(*sent(rf, coach, token), save, result_url=lambda _obj: "/clients/7/")
    second = save_once(*sent(rf, coach, token), save, result_url=lambda _obj: "/elsewhere/")
    assert first == ("saved", "saved")
    assert second == ("repeat", "/clients/7/")
    assert saves == [{"name": "Selam"}]


def test_a_service_refusal_lands_on_the_field_and_the_token_stays_usable(rf, coach):
    token = uuid.uuid4()

    def refuse(form):
        raise ValidationError({"name": "Deze naam is al in gebruik."})

    request, form = sent(rf, coach, token)
    assert save_once(request, form, refuse).state == "invalid"
    assert form.errors["name"] == ["Deze naam is al in gebruik."]
    # Nothing was saved, so correcting and sending the same form again is not a repeat.
    assert save_once(*sent(rf, coach, token), lambda form: "ok").state == "saved"


def test_a_save_over_someone_elses_change_reports_the_record_as_it_is_now(rf, coach):
    def stale(form):
        raise ConcurrentEdit(current=coach)

    assert save_once(*sent(rf, coach, uuid.uuid4()), stale) == ("conflict", coach)


def _button(rf, user):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/")
    request.user, request.session = user, {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refused_action_writes_nothing_and_says_why(rf, coach):
    from django.contrib.messages import get_messages

    from core.editing import act
    from core.models import Team

    request = _button(rf, coach)

    def half_then_refused():
        Team.objects.create(name="Half written")
        raise ValidationError("Deze match is al afgesloten.")

    assert act(request, half_then_refused, done="Gedaan.") is False
    assert not Team.objects.filter(name="Half written").exists()
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("error", "Deze match is al afgesloten.")
    ]


def test_an_action_that_ran_says_so_with_its_result(rf, coach):
    from django.contrib.messages import get_messages

    from core.editing import act

    request = _button(rf, coach)
    assert act(request, lambda: 3, done=lambda n: f"{n} gedaan.") is True
    assert [str(m) for m in get_messages(request)] == ["3 gedaan."]
