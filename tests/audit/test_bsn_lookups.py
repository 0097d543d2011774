"""A functional administrator's look-ups by BSN leave a trace in the access log."""

import pytest
from django.urls import reverse

from audit.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, functional_admin):
    client.force_login(functional_admin)
    return client


def test_finding_a_client_by_bsn_on_the_access_pages_is_logged(
    admin_client, functional_admin, client_of_coach
):
    admin_client.post(reverse("audit:access_search"), {"bsn": client_of_coach.bsn})
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.result) == ("bsn_lookup", "granted")
    assert (entry.user, entry.username) == (functional_admin, functional_admin.username)
    assert (entry.object_type, entry.object_id) == ("clients.client", str(client_of_coach.pk))


def test_finding_a_client_by_number_is_no_bsn_lookup(admin_client, client_of_coach):
    admin_client.post(reverse("audit:access_search"), {"number": client_of_coach.pk})
    assert not AccessLog.objects.filter(kind="bsn_lookup").exists()


def test_a_bsn_nobody_has_logs_no_client(admin_client, client_of_coach):
    admin_client.post(reverse("audit:access_search"), {"bsn": "123456782"})
    assert not AccessLog.objects.exists()


def test_the_right_of_access_search_by_bsn_is_logged(
    admin_client, functional_admin, client_of_coach
):
    response = admin_client.post(reverse("privacy:access_request"), {"bsn": client_of_coach.bsn})
    assert response.context["found"] == client_of_coach
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user) == ("bsn_lookup", functional_admin)
    assert entry.object_id == str(client_of_coach.pk)
