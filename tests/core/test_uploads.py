import io
import zipfile

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.uploads import ZIP, UploadField


class ImportForm(forms.Form):
    archive = UploadField(label="Bestand", max_bytes=1024, kinds=(ZIP,))


def zipped(size: int = 10) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("clients.csv", "x" * size)
    return buffer.getvalue()


def submit(name: str, content: bytes) -> ImportForm:
    form = ImportForm(data={}, files={"archive": SimpleUploadedFile(name, content)})
    with translation.override("nl"):
        form.is_valid()
    return form


def test_a_small_zip_is_accepted():
    assert submit("export.zip", zipped()).is_valid()


def test_a_file_over_the_limit_is_refused_with_its_size_and_the_limit():
    content = b"PK\x03\x04" + b"0" * 2000
    errors = submit("export.zip", content).errors["archive"]
    assert errors == ["Het bestand is 2,0\xa0KB; maximaal 1,0\xa0KB wordt geaccepteerd."]


def test_a_renamed_file_that_is_not_a_zip_is_refused():
    assert submit("export.zip", b"first_name;last_name\n").errors["archive"] == [
        "Dit is geen zip-bestand."
    ]


def test_a_zip_with_another_extension_is_refused():
    assert submit("export.exe", zipped()).errors["archive"] == ["Dit is geen zip-bestand."]


def test_the_field_tells_the_browser_which_files_to_offer():
    assert 'accept=".zip"' in str(ImportForm()["archive"])
