"""The demo shows what the documents part is for: documents expiring soon on the main coach's
start page, letters sent by e-mail and letters waiting for the post."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from documents.models import Delivery, Document, Letter

pytestmark = pytest.mark.django_db


def test_the_demo_has_expiring_documents_and_letters_by_both_channels():
    call_command("seed_demo", clients=60, seed=1, allow_without_debug=True, verbosity=0)
    today = timezone.localdate()
    expiring = Document.objects.filter(
        client__coach__username="coach", kind__code="identity_document"
    ).expiring(today=today, weeks=6)
    # The main coach's 12 clients take EXPIRIES of documents/demo.py in turn (20, 38, -7, 900,
    # 1400, 2100 days): twice each of the three within six weeks or past.
    assert sorted((d.expires_on - today).days for d in expiring) == [-7, -7, 20, 20, 38, 38]
    assert Letter.objects.filter(delivery=Delivery.EMAIL).exists()
    assert Letter.objects.to_post().exists()
    assert Letter.objects.filter(posted_at__isnull=False).exists()
    letter = Letter.objects.first()
    with letter.document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert all(d.expires_on is None or d.expires_on >= d.dated_on for d in Document.objects.all())
