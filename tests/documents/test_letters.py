"""Sending a letter: the template's fields filled in, a PDF in the dossier, by e-mail after
commit or marked for the post, refused in Dutch without writing anything."""

import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from documents import merge, services
from documents.models import Delivery, Document, Letter, LetterKind, LetterTemplate

pytestmark = pytest.mark.django_db

APPOINTMENT = {
    "appointment_date": "14 december 2026",
    "appointment_time": "10:30",
    "appointment_duration": "45 minuten",
    "appointment_place": "Kantoor Assen, Kerkstraat 1",
    "appointment_subject": "Uw plan van aanpak",
}


@pytest.fixture
def postal_client(client_of_coach):
    client_of_coach.address = "Brink 12"
    client_of_coach.postcode = "9401 AB"
    client_of_coach.save()
    return client_of_coach


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_every_letter_kind_has_a_template_after_migrate():
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == set(LetterKind.values)


def test_a_letter_by_post_is_a_pdf_in_the_dossier_with_the_fields_filled_in(
    postal_client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(
            actor=coach, client=postal_client, kind=LetterKind.INVITATION, merge=APPOINTMENT
        )
    assert letter.delivery == Delivery.POST and letter.waits_for_post
    assert mail.outbox == []
    text = pdf_text(letter.document)
    assert "Fatima El Amrani" in text
    assert "Brink 12" in text
    assert "gesprek op 14 december 2026 om 10:30 uur" in text
    assert "Kantoor Assen, Kerkstraat 1" in text
    assert "Sanne de Vries" in text  # the coach signs
    assert "{{" not in text
    assert letter.document.kind.code == "letter"
    assert letter.subject == "Uitnodiging voor een gesprek op 14 december 2026"


def test_a_client_who_prefers_email_gets_the_pdf_attached_after_commit(
    postal_client, coach, django_capture_on_commit_callbacks
):
    postal_client.correspondence = "email"
    postal_client.email = "fatima@example.org"
    postal_client.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = services.letter_send(actor=coach, client=postal_client, kind=LetterKind.AGREEMENTS)
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert letter.delivery == Delivery.EMAIL and not letter.waits_for_post
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["fatima@example.org"]
    assert sent.subject == "Bevestiging van onze afspraken"
    assert "Beste Fatima El Amrani," in sent.body
    ((name, content, mimetype),) = sent.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_email_preferred_without_an_address_goes_by_post(postal_client, coach):
    postal_client.correspondence = "email"
    postal_client.email = ""
    postal_client.save()
    letter = services.letter_send(actor=coach, client=postal_client, kind=LetterKind.AGREEMENTS)
    assert letter.delivery == Delivery.POST


def test_a_rollback_sends_no_mail(postal_client, coach, django_capture_on_commit_callbacks):
    postal_client.correspondence = "email"
    postal_client.email = "fatima@example.org"
    postal_client.save()
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.letter_send(actor=coach, client=postal_client, kind=LetterKind.AGREEMENTS)
            raise RuntimeError("the caller fails after the letter")
    assert callbacks == [] and mail.outbox == []
    assert not Letter.objects.exists()


def test_no_address_for_the_post_is_refused_and_nothing_is_written(client_of_coach, coach):
    client_of_coach.address = ""
    client_of_coach.save()
    with pytest.raises(ValidationError) as refused:
        services.letter_send(actor=coach, client=client_of_coach, kind=LetterKind.AGREEMENTS)
    assert refused.value.code == "no_address"
    assert "adres" in refused.value.messages[0]
    assert not Letter.objects.exists() and not Document.objects.exists()


def test_an_inactive_template_is_refused_in_dutch(postal_client, coach):
    LetterTemplate.objects.filter(kind=LetterKind.NO_SHOW_REMINDER).update(active=False)
    with pytest.raises(ValidationError) as refused:
        services.letter_send(actor=coach, client=postal_client, kind=LetterKind.NO_SHOW_REMINDER)
    assert refused.value.code == "no_template"
    assert "Herinnering na niet verschijnen" in refused.value.messages[0] or (
        "sjabloon" in refused.value.messages[0]
    )
    assert not Document.objects.exists()


def test_marking_a_letter_posted_happens_once(postal_client, coach):
    letter = services.letter_send(actor=coach, client=postal_client, kind=LetterKind.AGREEMENTS)
    services.letter_mark_posted(actor=coach, letter=letter)
    assert Letter.objects.to_post().count() == 0
    with pytest.raises(ValidationError):
        services.letter_mark_posted(actor=coach, letter=letter)


# --- Merge fields -------------------------------------------------------------------------------


def test_merge_fills_known_fields_and_nothing_else():
    assert merge.fill("{{ naam }} /{{naam}}/ {{ afspraak_tijd }}", {"naam": "Ali"}) == "Ali /Ali/ "


def test_a_template_naming_an_unknown_field_is_refused():
    with pytest.raises(ValidationError) as refused:
        merge.validate_text("Beste {{ client.bsn }}, {{ naam }}")
    assert "{{ client.bsn }}" in refused.value.messages[0]


@pytest.mark.parametrize("text", ["{% load static %}", "Beste {{ naam }", "{{ naam }} }}"])
def test_template_tags_and_stray_braces_are_refused(text):
    with pytest.raises(ValidationError):
        merge.validate_text(text)


def test_saving_a_template_with_an_unknown_field_changes_nothing(functional_admin):
    template = LetterTemplate.objects.get(kind=LetterKind.AGREEMENTS)
    before = template.body
    with pytest.raises(ValidationError) as refused:
        services.letter_template_save(
            actor=functional_admin, template=template, body="{{ bsn }}", subject="Brief"
        )
    assert "body" in refused.value.message_dict
    assert LetterTemplate.objects.get(pk=template.pk).body == before


def test_a_mail_server_that_is_down_keeps_the_letter_and_logs_it(
    postal_client, coach, django_capture_on_commit_callbacks, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.documents.test_letters.FailingBackend"
    postal_client.correspondence = "email"
    postal_client.email = "fatima@example.org"
    postal_client.save()
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(actor=coach, client=postal_client, kind="agreements")
    assert Letter.objects.filter(pk=letter.pk).exists()
    assert f"letter {letter.pk}: the e-mail could not be sent" in caplog.text


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
