"""Plan versions are in the right-of-access export (their PDFs in its zip, as documents) and
leave with the anonymisation, together with their PDFs."""

import json
import zipfile

import pytest
from django.utils import timezone

from plans import services
from plans.models import PlanVersion
from plans.privacy import plan_versions
from privacy import export
from privacy.services import client_anonymise

pytestmark = pytest.mark.django_db


def test_the_export_lists_every_version_with_its_dates_and_the_pdf_in_the_zip(
    make_version, client_of_coach, coach
):
    first = make_version("U zoekt elke week twee vacatures.")
    services.plan_version_sign(actor=coach, version=first, signed_on=timezone.localdate())
    second = make_version("U solliciteert elke maand drie keer.")
    built = export.export_build(client_of_coach)
    records = json.loads(export.as_json(built))["sections"]["plan_versions"]["records"]
    assert [(r["number"], r["agreements"]) for r in records] == [
        (1, "U zoekt elke week twee vacatures."),
        (2, "U solliciteert elke maand drie keer."),
    ]
    assert records[0]["signed_on"] == timezone.localdate().isoformat()
    assert records[1]["signed_on"] is None
    assert records[0]["made_by"] == "Sanne de Vries"
    archive = zipfile.ZipFile(export.as_zip(built))
    assert records[1]["archive_path"] in archive.namelist()
    assert archive.read(records[1]["archive_path"]).startswith(b"%PDF-")
    day = second.document.dated_on
    assert records[1]["archive_path"] == (
        f"documenten/{day:%Y-%m-%d}-{second.document.pk}-plan-van-aanpak-versie-2-{day:%Y-%m-%d}.pdf"
    )


@pytest.mark.parametrize("rows", [1, 5])
def test_the_export_section_reads_one_query_however_many_versions(
    make_version, client_of_coach, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_version()
    with django_assert_num_queries(1):
        section = plan_versions(client_of_coach)
    assert len(section.records) == rows


def test_anonymising_removes_the_versions_with_their_pdfs(
    make_version, client_of_coach, django_capture_on_commit_callbacks
):
    version = make_version("U zoekt elke week twee vacatures.")
    storage, name = version.document.file.storage, version.document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        client_anonymise(client=client_of_coach, actor=None)
    assert not PlanVersion.objects.exists()
    assert not storage.exists(name)
