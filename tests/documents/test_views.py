"""The documents pages: upload checked by content, download only in scope and logged, letters
sent from the dossier, the list to post, the templates the administrator keeps; the dossier and
the start page keep their number of queries with 1 and 50 documents and letters."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog, AccessResult
from documents import services
from documents.models import Document, DocumentKind, Letter, LetterTemplate
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def office_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = office_zip(
    {
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
    }
)
ODT = office_zip(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
)


def kind(code="identity_document"):
    return DocumentKind.objects.get(code=code)


def upload_data(name, content, **extra):
    return {
        "kind": kind().pk,
        "file": SimpleUploadedFile(name, content),
        "dated_on": "2026-11-02",
        "expires_on": "2031-11-01",
        "description": "Paspoort",
        **extra,
    }


def test_a_coach_uploads_a_pdf_stored_under_a_random_name(coach_client, client_of_coach):
    url = reverse("documents:upload", args=[client_of_coach.pk])
    response = coach_client.post(url, upload_data("paspoort Fatima.pdf", PDF))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clients/{client_of_coach.pk}/#documents")
    document = Document.objects.get()
    assert document.original_name == "paspoort Fatima.pdf"
    assert document.expires_on == datetime.date(2031, 11, 1)
    assert "Fatima" not in document.file.name and "paspoort" not in document.file.name
    assert document.file.name.endswith(".pdf")
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize(
    "name, content",
    [("paspoort.docx", DOCX), ("verslag.odt", ODT), ("foto.png", PNG)],
)
def test_office_documents_and_images_are_accepted(coach_client, client_of_coach, name, content):
    url = reverse("documents:upload", args=[client_of_coach.pk])
    assert coach_client.post(url, upload_data(name, content)).status_code == 302
    assert Document.objects.get().original_name == name


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("paspoort.pdf", EXE, "geen document dat het dossier aanneemt"),
        ("brief.docx", office_zip({"evil.exe": EXE}), "geen document dat het dossier aanneemt"),
        ("brief.odt", office_zip({"mimetype": b"text/plain", "content.xml": b"x"}), "geen doc"),
        ("foto.pdf", PNG, "eindigt op .pdf, maar het is een PNG-bestand"),
        ("leeg.pdf", b"", "leeg"),
    ],
)
def test_a_file_whose_content_is_not_allowed_is_refused_with_the_form_kept(
    coach_client, client_of_coach, name, content, message
):
    url = reverse("documents:upload", args=[client_of_coach.pk])
    response = coach_client.post(url, upload_data(name, content, description="Mijn scan"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="Mijn scan"' in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_above_the_limit_is_refused(coach_client, client_of_coach, settings):
    settings.DOCUMENT_MAX_MEGABYTES = 1
    big = PDF + b"0" * (1024 * 1024)
    url = reverse("documents:upload", args=[client_of_coach.pk])
    response = coach_client.post(url, upload_data("groot.pdf", big))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Het bestand is 1,0\xa0MB; maximaal 1,0\xa0MB wordt geaccepteerd." in page
    assert not Document.objects.exists()


def test_an_expiry_before_the_date_is_refused(coach_client, client_of_coach):
    url = reverse("documents:upload", args=[client_of_coach.pk])
    response = coach_client.post(url, upload_data("p.pdf", PDF, expires_on="2020-01-01"))
    assert "kan niet verlopen vóór zijn datum" in response.content.decode()
    assert not Document.objects.exists()


def _document(client, user, name="scan.pdf", expires_on=None):
    return services.document_upload(
        actor=user,
        client=client,
        kind=kind(),
        file=SimpleUploadedFile(name, PDF),
        dated_on=datetime.date(2026, 1, 5),
        expires_on=expires_on,
    )


def test_the_download_is_logged_and_never_sniffed(coach_client, client_of_coach, coach):
    document = _document(client_of_coach, coach, name="paspoort.pdf")
    response = coach_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="paspoort.pdf"' in response["Content-Disposition"]
    log = AccessLog.objects.get(detail=f"document {document.pk}")
    assert log.object_type == "clients.client" and log.object_id == str(client_of_coach.pk)
    assert log.result == AccessResult.GRANTED and log.user == coach


def test_an_office_document_is_an_attachment(coach_client, client_of_coach, coach):
    document = services.document_upload(
        actor=coach,
        client=client_of_coach,
        kind=kind(),
        file=SimpleUploadedFile("verslag.docx", DOCX),
        dated_on=datetime.date(2026, 1, 5),
    )
    response = coach_client.get(reverse("documents:download", args=[document.pk]))
    assert response["Content-Disposition"].startswith("attachment")


def test_a_document_of_a_client_out_of_scope_is_a_404_logged_as_denied(
    coach_client, other_team, coach
):
    stranger = ClientFactory(team=other_team)
    document = _document(stranger, None)
    response = coach_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404
    denied = AccessLog.objects.get(result=AccessResult.DENIED)
    assert denied.object_type == "documents.document" and denied.object_id == str(document.pk)
    response = coach_client.get(reverse("documents:upload", args=[stranger.pk]))
    assert response.status_code == 404


def test_an_anonymised_client_gets_no_new_document(coach_client, client_of_coach):
    client_of_coach.anonymised_at = timezone.now()
    client_of_coach.save()
    url = reverse("documents:upload", args=[client_of_coach.pk])
    response = coach_client.post(url, upload_data("p.pdf", PDF))
    assert response.status_code == 302
    assert not Document.objects.exists()


# --- Letters ------------------------------------------------------------------------------------


@pytest.fixture
def postal(client_of_coach):
    client_of_coach.address = "Brink 12"
    client_of_coach.save()
    return client_of_coach


LETTER = {
    "kind": "invitation",
    "appointment_date": "2026-12-14",
    "appointment_time": "10:30",
    "appointment_duration": "45",
    "appointment_place": "Kantoor Assen",
    "appointment_subject": "Uw plan",
}


def test_the_preview_shows_the_letter_filled_in_and_sends_nothing(coach_client, postal):
    url = reverse("documents:letter_send", args=[postal.pk])
    response = coach_client.post(url, {**LETTER, "action": "preview"})
    page = response.content.decode()
    assert "Uitnodiging voor een gesprek op 14 december 2026" in page
    assert "om 10:30 uur" in page and "45 minuten" in page
    assert "Verstuur de brief" in page or "Brief versturen" in page
    assert not Letter.objects.exists()


def test_the_pdf_preview_is_a_pdf_and_stores_nothing(coach_client, postal):
    url = reverse("documents:letter_preview", args=[postal.pk])
    response = coach_client.post(url, LETTER)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert not Document.objects.exists()


def test_an_invitation_without_its_appointment_is_refused_next_to_the_field(coach_client, postal):
    url = reverse("documents:letter_send", args=[postal.pk])
    response = coach_client.post(url, {"kind": "invitation", "appointment_place": "Assen"})
    assert response.status_code == 200
    assert "Deze brief noemt het; vul het in." in response.content.decode()
    assert 'value="Assen"' in response.content.decode()
    assert not Letter.objects.exists()


def test_sending_stores_the_letter_once_and_lists_it_to_post(coach_client, postal):
    url = reverse("documents:letter_send", args=[postal.pk])
    data = {**LETTER, "action": "send", "submission_token": "6b4f6c4e-3c7a-4d4e-9d51-0c1b5c2b7a10"}
    first = coach_client.post(url, data)
    again = coach_client.post(url, data)
    assert first.status_code == again.status_code == 302
    letter = Letter.objects.get()
    assert letter.waits_for_post
    to_post = coach_client.get(reverse("documents:to_post")).content.decode()
    assert "Fatima" in to_post and "Brink 12" in to_post
    coach_client.post(reverse("documents:letter_posted", args=[letter.pk]))
    assert not Letter.objects.get().waits_for_post


def test_a_letter_without_an_address_is_refused_with_the_form_kept(coach_client, client_of_coach):
    client_of_coach.address = ""
    client_of_coach.save()
    url = reverse("documents:letter_send", args=[client_of_coach.pk])
    response = coach_client.post(url, {**LETTER, "action": "send"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "adres van de cliënt is onvolledig" in page
    assert 'value="Kantoor Assen"' in page
    assert not Letter.objects.exists()


# --- Templates ----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, functional_admin):
    client.force_login(functional_admin)
    return client


def test_the_administrator_edits_a_template_and_sees_the_fields(admin_client):
    template = LetterTemplate.objects.get(kind="agreements")
    url = reverse("documents:template_edit", args=[template.pk])
    page = admin_client.get(url).content.decode()
    assert "{{ afspraak_datum }}" in page and "{{ coach_email }}" in page
    form = admin_client.get(url).context["form"]
    data = {
        "subject": "Onze afspraken van {{ datum }}",
        "body": "{{ aanhef }},\n\nZoals besproken.",
        "active": "on",
        "version": form["version"].value(),
    }
    assert admin_client.post(url, data).status_code == 302
    assert LetterTemplate.objects.get(pk=template.pk).subject == "Onze afspraken van {{ datum }}"


def test_an_unknown_merge_field_is_refused_in_dutch_with_the_text_kept(admin_client):
    template = LetterTemplate.objects.get(kind="agreements")
    url = reverse("documents:template_edit", args=[template.pk])
    form = admin_client.get(url).context["form"]
    data = {
        "subject": "Afspraken",
        "body": "Uw BSN is {{ client.bsn }}",
        "active": "on",
        "version": form["version"].value(),
    }
    response = admin_client.post(url, data)
    page = response.content.decode()
    assert "Onbekend samenvoegveld: {{ client.bsn }}" in page
    assert "Uw BSN is {{ client.bsn }}" in page
    assert LetterTemplate.objects.get(pk=template.pk).body != data["body"]


# --- Queries ------------------------------------------------------------------------------------


def _fill(client, user, n, start=0):
    for i in range(start, start + n):
        Document.objects.create(
            client=client,
            kind=kind(),
            original_name=f"scan-{i}.pdf",
            file=f"aa/{i}.pdf",
            content_type="application/pdf",
            size=10,
            dated_on=datetime.date(2026, 1, 5),
            expires_on=timezone.localdate() + datetime.timedelta(days=i),
            uploaded_by=user,
        )
        letter_document = Document.objects.create(
            client=client,
            kind=kind("letter"),
            original_name=f"brief-{i}.pdf",
            file=f"bb/{i}.pdf",
            content_type="application/pdf",
            size=10,
            dated_on=datetime.date(2026, 1, 5),
        )
        Letter.objects.create(
            client=client,
            kind="agreements",
            subject="Afspraken",
            document=letter_document,
            delivery="post",
            sent_by=user,
        )


def _count(coach_client, url):
    with CaptureQueriesContext(connection) as queries:
        response = coach_client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_dossier_and_the_start_page_run_as_many_queries_for_1_as_for_50(
    coach_client, client_of_coach, coach, team
):
    dossier = reverse("clients:detail", args=[client_of_coach.pk])
    start = reverse("clients:list")
    _fill(client_of_coach, coach, 1)
    one_dossier, page = _count(coach_client, dossier)
    assert "scan-0.pdf" in page
    one_start, page = _count(coach_client, start)
    assert "Documenten die verlopen" in page
    _fill(client_of_coach, coach, 49, start=1)
    many_dossier, page = _count(coach_client, dossier)
    assert "scan-49.pdf" in page
    many_start, page = _count(coach_client, start)
    assert (one_dossier, one_start) == (many_dossier, many_start)


def test_the_to_post_list_runs_as_many_queries_for_1_as_for_25(coach_client, client_of_coach):
    url = reverse("documents:to_post")
    _fill(client_of_coach, None, 1)
    one, _page = _count(coach_client, url)
    _fill(client_of_coach, None, 24, start=1)
    many, page = _count(coach_client, url)
    assert page.count("Gepost") >= 25
    assert one == many


def test_a_body_far_above_the_limit_is_refused_unread(coach_client, client_of_coach, settings):
    settings.DOCUMENT_MAX_MEGABYTES = 1
    url = reverse("documents:upload", args=[client_of_coach.pk])
    big = PDF + b"0" * (3 * 1024 * 1024)
    response = coach_client.post(url, upload_data("groot.pdf", big))
    assert response.status_code == 413
    assert not Document.objects.exists()


def test_a_template_saved_over_someone_elses_change_answers_409_with_the_text_kept(
    admin_client, functional_admin
):
    template = LetterTemplate.objects.get(kind="agreements")
    url = reverse("documents:template_edit", args=[template.pk])
    form = admin_client.get(url).context["form"]
    services.letter_template_save(
        actor=functional_admin,
        template=LetterTemplate.objects.get(pk=template.pk),
        subject="Intussen gewijzigd",
    )
    data = {
        "subject": "Mijn onderwerp",
        "body": "{{ aanhef }},\n\nMijn tekst.",
        "active": "on",
        "version": form["version"].value(),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Intussen gewijzigd" in page and "Mijn tekst." in page
    assert LetterTemplate.objects.get(pk=template.pk).subject == "Intussen gewijzigd"


def test_a_document_above_the_sites_body_limit_but_within_its_own_is_stored(
    coach_client, client_of_coach, settings
):
    # Any other form stops at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB); the upload takes 20 MB.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < 4 * 1024 * 1024
    url = reverse("documents:upload", args=[client_of_coach.pk])
    scan = PDF + b"0" * (4 * 1024 * 1024)
    assert coach_client.post(url, upload_data("scan.pdf", scan)).status_code == 302
    assert Document.objects.get().size == len(scan)


def test_letters_of_a_client_out_of_scope_are_a_404_logged_as_denied(
    coach_client, other_team, coach
):
    stranger = ClientFactory(team=other_team, address="Brink 1")
    letter = services.letter_send(actor=None, client=stranger, kind="agreements")
    response = coach_client.post(reverse("documents:letter_posted", args=[letter.pk]))
    assert response.status_code == 404
    assert Letter.objects.get().waits_for_post
    denied = AccessLog.objects.get(result=AccessResult.DENIED)
    assert denied.object_type == "documents.letter" and denied.object_id == str(letter.pk)
    url = reverse("documents:letter_send", args=[stranger.pk])
    assert coach_client.post(url, {**LETTER, "action": "send"}).status_code == 404
    assert Letter.objects.count() == 1
    to_post = coach_client.get(reverse("documents:to_post")).content.decode()
    assert stranger.sort_name not in to_post


def test_the_administrator_keeps_the_kinds_of_document_in_the_product(
    functional_admin, coach_client, client_of_coach
):
    from tests.conftest import BrowserLikeClient

    admin_client = BrowserLikeClient()  # the `client` fixture is the coach's here
    admin_client.force_login(functional_admin)
    listed = admin_client.get(reverse("documents:kind_list"))
    assert "Identiteitsbewijs" in listed.content.decode()
    created = admin_client.post(
        reverse("documents:kind_create"),
        {"name": "Verklaring omtrent gedrag", "code": "vog", "active": "on"},
    )
    assert created.status_code == 302
    vog = DocumentKind.objects.get(code="vog")
    # A duplicate code is refused next to its field, the name kept.
    again = admin_client.post(
        reverse("documents:kind_create"), {"name": "VOG (dubbel)", "code": "vog", "active": "on"}
    )
    assert again.status_code == 200
    assert again.context["form"].errors["code"]
    assert 'value="VOG (dubbel)"' in again.content.decode()
    # A coach now files a document under it; taken out of use, it is no longer offered.
    upload = reverse("documents:upload", args=[client_of_coach.pk])
    assert "Verklaring omtrent gedrag" in coach_client.get(upload).content.decode()
    edited = admin_client.post(
        reverse("documents:kind_edit", args=[vog.pk]), {"name": "Verklaring omtrent gedrag"}
    )
    assert edited.status_code == 302
    vog.refresh_from_db()
    assert (vog.active, vog.code) == (False, "vog")
    assert "Verklaring omtrent gedrag" not in coach_client.get(upload).content.decode()
    # Casework cannot change the list.
    assert coach_client.get(reverse("documents:kind_list")).status_code == 403
