"""A client's documents leave with the anonymisation (rows and files) and are listed in the
right-of-access export."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import services
from documents.models import Document, DocumentKind, Letter
from privacy import export
from privacy.services import client_anonymise

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def documented(client_of_coach, coach):
    client_of_coach.address = "Brink 12"
    client_of_coach.save()
    upload = services.document_upload(
        actor=coach,
        client=client_of_coach,
        kind=DocumentKind.objects.get(code="identity_document"),
        file=SimpleUploadedFile("paspoort scan.pdf", PDF),
        dated_on=datetime.date(2026, 1, 5),
        expires_on=datetime.date(2031, 1, 4),
    )
    letter = services.letter_send(actor=coach, client=client_of_coach, kind="agreements")
    return client_of_coach, upload, letter


def test_anonymising_removes_the_documents_rows_and_their_files_after_commit(
    documented, django_capture_on_commit_callbacks
):
    client, upload, letter = documented
    storage = upload.file.storage
    names = [upload.file.name, letter.document.file.name]
    assert all(storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        client_anonymise(client=client, actor=None)
    assert not Document.objects.filter(client=client).exists()
    assert not Letter.objects.filter(client=client).exists()
    assert not any(storage.exists(name) for name in names)


def test_the_export_lists_every_document_and_letter(documented):
    client, upload, letter = documented
    sections = json.loads(export.as_json(export.export_build(client)))["sections"]
    names = [r["original_name"] for r in sections["documents"]["records"]]
    assert names == ["paspoort scan.pdf", letter.document.original_name]
    assert sections["documents"]["records"][0]["kind"] == "Identiteitsbewijs"
    assert sections["documents"]["records"][0]["expires_on"] == "2031-01-04"
    (sent,) = sections["letters"]["records"]
    assert sent["kind"] == "Bevestiging van afspraken"
    assert sent["delivery"] == "Per post"


def _unzipped(archive) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(archive.read()))


def test_the_zip_holds_the_overview_and_every_file_under_the_name_the_overview_gives(
    documented,
):
    client, upload, letter = documented
    built = export.export_build(client)
    zipped = _unzipped(export.as_zip(built))
    records = json.loads(zipped.read(f"{built.file_stem}.json"))["sections"]["documents"]
    paths = [r["archive_path"] for r in records["records"]]
    assert paths[0] == f"documenten/2026-01-05-{upload.pk}-paspoort-scan.pdf"
    assert zipped.read(paths[0]) == PDF
    assert zipped.read(paths[1]).startswith(b"%PDF")  # the letter as it was sent
    assert zipped.read(f"{built.file_stem}.pdf").startswith(b"%PDF")
    assert sorted(zipped.namelist()) == sorted(
        [f"{built.file_stem}.pdf", f"{built.file_stem}.json", "LEESMIJ.txt", *paths]
    )
    assert "kon niet" not in zipped.read("LEESMIJ.txt").decode()


def test_a_file_the_storage_lost_is_named_in_the_read_me_and_the_rest_still_comes(documented):
    client, upload, letter = documented
    upload.file.storage.delete(upload.file.name)
    zipped = _unzipped(export.as_zip(export.export_build(client)))
    readme = zipped.read("LEESMIJ.txt").decode()
    assert f"documenten/2026-01-05-{upload.pk}-paspoort-scan.pdf" in readme
    assert len([n for n in zipped.namelist() if n.startswith("documenten/")]) == 1
