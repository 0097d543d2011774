"""A request body above the limit is refused before anything reads it; the import may be large."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients.models import Client

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def test_a_form_post_above_the_limit_is_refused_unread(coach_client, new_client_data):
    assert coach_client.get(reverse("clients:create")).status_code == 200
    big = SimpleUploadedFile("x.bin", b"0" * (3 * MB))  # above 2.5 MB
    response = coach_client.post(reverse("clients:create"), {**new_client_data, "file": big})
    assert response.status_code == 413
    assert not Client.objects.exists()


def test_the_import_upload_may_be_larger_than_the_site_wide_limit(
    client, functional_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(functional_admin)
    zip_like = SimpleUploadedFile("export.zip", b"PK\x03\x04" + b"0" * (3 * MB))
    response = client.post(reverse("interchange:index"), {"upload": zip_like})
    assert response.status_code in (200, 302)  # the form took it (and judges the zip itself)


def test_far_beyond_the_import_limit_is_refused_unread(client, functional_admin, settings):
    settings.IMPORT_MAX_MEGABYTES = 1
    client.force_login(functional_admin)
    zip_like = SimpleUploadedFile("export.zip", b"PK\x03\x04" + b"0" * (12 * MB))
    response = client.post(reverse("interchange:index"), {"upload": zip_like})
    assert response.status_code == 413
