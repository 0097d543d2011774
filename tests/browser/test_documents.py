"""A coach, from the dossier, sends an invitation letter (read back from the stored PDF with
pdftotext), uploads a PDF with an expiry date and sees it listed, and is refused an executable
renamed to .pdf with a Dutch message and the form kept."""

import datetime
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import Document, DocumentKind, Letter
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 400


def test_coach_sends_an_invitation_and_keeps_documents_in_the_dossier(
    page, login, coach, team, assen, tmp_path
):
    client = ClientFactory(
        first_name="Fatima",
        last_name="El Amrani",
        coach=coach,
        team=team,
        municipality=assen,
        address="Brink 12",
        postcode="9401 AB",
    )
    login("coach")
    page.get_by_role("table").get_by_role("link", name="El Amrani, Fatima").click()
    expect(page.get_by_role("heading", name="Fatima El Amrani", exact=True)).to_be_visible()
    assert_accessible(page)

    # A letter: choose the kind, fill in the appointment, look at the preview, send.
    page.get_by_role("link", name="Brief versturen").click()
    assert_accessible(page)
    page.get_by_label("Soort brief").select_option(label="Uitnodiging")
    page.get_by_label("Datum van de afspraak").fill("2026-12-14")
    page.get_by_label("Tijd van de afspraak").fill("10:30")
    page.get_by_label("Duur in minuten").fill("45")
    page.get_by_label("Plaats of kanaal").fill("Kantoor Assen, Kerkstraat 1")
    page.get_by_label("Onderwerp van de afspraak").fill("Uw plan van aanpak")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = page.get_by_role("region", name="De brief zoals hij wordt verstuurd")
    expect(preview).to_contain_text("Uitnodiging voor een gesprek op 14 december 2026")
    expect(preview).to_contain_text("Beste Fatima El Amrani,")
    assert_accessible(page)
    page.get_by_role("button", name="Brief versturen").click()
    expect(page.get_by_role("status").filter(has_text="staat op de lijst")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Uitnodiging voor een gesprek")
    assert_accessible(page)

    letter = Letter.objects.get()
    with letter.document.file.open("rb") as handle:
        pdf = handle.read()
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Fatima El Amrani" in text
    assert "Brink 12" in text
    assert "gesprek op 14 december 2026 om 10:30" in text
    assert "45 minuten" in text and "Kantoor Assen, Kerkstraat 1" in text

    # A document with an expiry date within the warning weeks.
    expires = timezone.localdate() + datetime.timedelta(days=20)
    page.get_by_role("link", name="Document toevoegen").click()
    assert_accessible(page)
    scan = tmp_path / "paspoort.pdf"
    scan.write_bytes(PDF)
    page.get_by_label("Soort document").select_option(label="Identiteitsbewijs")
    page.get_by_label("Bestand").set_input_files(str(scan))
    page.get_by_label("Verloopt op").fill(expires.isoformat())
    page.get_by_label("Omschrijving").fill("Paspoort")
    page.get_by_role("button", name="Document opslaan").click()
    documents = page.locator("#documents")
    expect(documents.get_by_role("link", name="paspoort.pdf")).to_be_visible()
    expect(documents).to_contain_text("verloopt binnenkort")
    expect(documents).to_contain_text("1 document verloopt binnen 6 weken")
    assert_accessible(page)

    # An executable named .pdf: refused in Dutch, the rest of the form kept.
    page.get_by_role("link", name="Document toevoegen").click()
    fake = tmp_path / "factuur.pdf"
    fake.write_bytes(EXE)
    page.get_by_label("Soort document").select_option(label="Rapportage")
    page.get_by_label("Bestand").set_input_files(str(fake))
    page.get_by_label("Omschrijving").fill("Factuur van de cursus")
    page.get_by_role("button", name="Document opslaan").click()
    expect(
        page.get_by_text("Dit bestand is geen document dat het dossier aanneemt")
    ).to_be_visible()
    expect(page.get_by_label("Omschrijving")).to_have_value("Factuur van de cursus")
    report = DocumentKind.objects.get(code="report")
    expect(page.get_by_label("Soort document")).to_have_value(str(report.pk))
    assert_accessible(page)
    assert Document.objects.filter(client=client).count() == 2  # the letter and the passport
