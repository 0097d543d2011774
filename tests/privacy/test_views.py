"""The privacy pages: who may use them, the BSN search, the downloads and the retention flow."""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessKind, AccessLog
from clients.models import Client
from core import roles
from privacy import services
from privacy.models import ItemState, ProposalStatus, RetentionProposal
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ROLE_FIXTURES = [
    "coach",
    "diagnosis_consultant",
    "account_manager",
    "manager",
    "functional_admin",
]


@pytest.fixture
def proposal(db):
    for n, first_name in enumerate(["Piet", "Klaas"]):
        ClientFactory(
            id=912_000 + n,  # large enough for a thousands separator, which must not show
            first_name=first_name,
            last_name="Bakker",
            registered_on=datetime.date(2005, 1, 3),
            deregistered_on=datetime.date(2015, 6, 1 + n),
            deregistration_reason="work",
        )
    return services.proposal_build(today=datetime.date(2026, 3, 1))


def _requests(client_pk, proposal):
    item = proposal.items.first()
    return [
        ("get", reverse("privacy:access_request")),
        ("post", reverse("privacy:export_pdf", args=[client_pk])),
        ("post", reverse("privacy:export_json", args=[client_pk])),
        ("post", reverse("privacy:export_zip", args=[client_pk])),
        ("get", reverse("privacy:retention")),
        ("post", reverse("privacy:retention_take_out", args=[item.pk])),
        ("post", reverse("privacy:retention_approve", args=[proposal.pk])),
    ]


@pytest.mark.parametrize("role", ROLE_FIXTURES)
def test_only_the_functional_administrator_may_use_the_privacy_pages(
    role, request, client, client_of_coach, proposal
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    expected_ok = role == "functional_admin"
    for method, url in _requests(client_of_coach.pk, proposal):
        response = getattr(client, method)(url)
        if expected_ok:
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == 403, (role, url)


def test_anonymous_users_are_sent_to_log_in(client, client_of_coach, proposal):
    for method, url in _requests(client_of_coach.pk, proposal):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_every_privacy_url_is_in_the_authorisation_matrix():
    names = [n for n in roles.PAGES if n.startswith("privacy:")]
    assert names == [
        "privacy:access_request",
        "privacy:export_pdf",
        "privacy:export_json",
        "privacy:export_zip",
        "privacy:retention",
        "privacy:retention_take_out",
        "privacy:retention_approve",
    ]
    for name in names:
        assert roles.PAGES[name].allows_role(roles.FUNCTIONAL_ADMIN)
        assert not roles.PAGES[name].allows_role(roles.WORK_COACH)


def test_downloads_refuse_get(client, functional_admin, client_of_coach):
    client.force_login(functional_admin)
    assert client.get(reverse("privacy:export_pdf", args=[client_of_coach.pk])).status_code == 405


@pytest.fixture
def admin_client(client, functional_admin):
    client.force_login(functional_admin)
    return client


def test_search_by_bsn_finds_the_client_and_keeps_the_bsn_out_of_urls(
    admin_client, client_of_coach
):
    page = admin_client.get(reverse("privacy:access_request"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Inzageverzoek" in body and 'method="post"' in body
    bsn = client_of_coach.bsn
    response = admin_client.post(reverse("privacy:access_request"), {"bsn": f"{bsn[:4]} {bsn[4:]}"})
    body = response.content.decode()
    assert "Fatima El Amrani" in body
    assert reverse("privacy:export_pdf", args=[client_of_coach.pk]) in body
    assert bsn not in body  # not echoed into the page or any link
    assert "gewone cliëntformulier" in body  # rectification is explained


@pytest.mark.parametrize(
    "typed, message",
    [
        ("123456789", "Dit is geen geldig BSN"),
        ("12345678901", "Een BSN heeft negen cijfers."),
        ("123456782", "Er is geen cliënt met dit BSN ingeschreven."),
    ],
)
def test_search_explains_a_wrong_or_unknown_bsn(admin_client, client_of_coach, typed, message):
    response = admin_client.post(reverse("privacy:access_request"), {"bsn": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert f'value="{typed}"' in body  # what was typed stays


def test_pdf_download_is_logged_and_named_without_bsn_or_name(admin_client, client_of_coach):
    response = admin_client.post(reverse("privacy:export_pdf", args=[client_of_coach.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="inzage-client-{client_of_coach.pk}-{today:%Y-%m-%d}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    log = AccessLog.objects.get()
    assert (log.kind, log.object_id, log.username) == (
        AccessKind.EXPORT,
        str(client_of_coach.pk),
        "beheerder",
    )


def test_json_download_holds_the_data_and_is_logged(admin_client, client_of_coach):
    response = admin_client.post(reverse("privacy:export_json", args=[client_of_coach.pk]))
    assert response["Content-Disposition"].endswith('.json"')
    document = json.loads(response.content)
    assert document["client_id"] == client_of_coach.pk
    person = document["sections"]["personal_data"]["records"][0]
    assert person["bsn"] == client_of_coach.bsn
    # This very export is in the access log it contains.
    [read] = document["sections"]["access_log"]["records"]
    assert read["by"] == str(AccessLog.objects.get().user)
    assert AccessLog.objects.filter(kind=AccessKind.EXPORT).count() == 1


def test_zip_download_holds_pdf_and_json_is_streamed_and_logged(admin_client, client_of_coach):
    response = admin_client.post(reverse("privacy:export_zip", args=[client_of_coach.pk]))
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate()
    stem = f"inzage-client-{client_of_coach.pk}-{today:%Y-%m-%d}"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.zip"'
    assert response["Cache-Control"] == "no-store"
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert {f"{stem}.pdf", f"{stem}.json", "LEESMIJ.txt"} <= set(zipped.namelist())
    assert AccessLog.objects.filter(kind=AccessKind.EXPORT).count() == 1


def test_download_of_an_unknown_client_is_404(admin_client):
    assert admin_client.post(reverse("privacy:export_json", args=[999])).status_code == 404


def test_retention_page_shows_only_number_name_date_and_reason(admin_client, proposal):
    response = admin_client.get(reverse("privacy:retention"))
    body = response.content.decode()
    piet = Client.objects.get(first_name="Piet")
    assert "Bakker, Piet" in body and "Bakker, Klaas" in body
    assert "1 juni 2015" in body and "Werk" in body
    assert "<td>912000</td>" in body and piet.pk == 912_000
    assert piet.bsn not in body and "9401 AB" not in body and "1985" not in body


def test_retention_page_queries_do_not_grow_with_clients(
    admin_client, functional_admin, proposal, django_assert_num_queries
):
    url = reverse("privacy:retention")
    admin_client.get(url)
    # session, user, permissions(2: user, group), open proposals, their items, approved ones
    with django_assert_num_queries(11) as small:
        admin_client.get(url)
    for n in range(10):
        ClientFactory(
            registered_on=datetime.date(2005, 1, 3),
            deregistered_on=datetime.date(2016, 1, 1 + n),
            deregistration_reason="moved",
        )
    services.proposal_build(today=datetime.date(2026, 3, 1))
    services.proposal_approve(proposal=proposal, actor=functional_admin)
    with django_assert_num_queries(len(small.captured_queries)):
        admin_client.get(url)


def test_take_out_then_approve(admin_client, functional_admin, proposal):
    klaas = proposal.items.get(client__first_name="Klaas")
    response = admin_client.post(reverse("privacy:retention_take_out", args=[klaas.pk]))
    assert response.status_code == 302
    klaas.refresh_from_db()
    assert klaas.state == ItemState.TAKEN_OUT and klaas.taken_out_by == functional_admin

    url = reverse("privacy:retention_approve", args=[proposal.pk])
    refused = admin_client.post(url, follow=True)  # the box not ticked
    assert "Vink het vakje aan" in refused.content.decode()
    assert RetentionProposal.objects.get().status == ProposalStatus.OPEN

    admin_client.post(url, {"confirm": "on"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.approved_by == functional_admin
    again = admin_client.post(url, {"confirm": "on"}, follow=True)
    assert "Dit voorstel is al goedgekeurd." in again.content.decode()


def test_home_page_links_the_privacy_pages_for_the_functional_administrator(
    admin_client,
):
    body = admin_client.get(reverse("home")).content.decode()
    assert reverse("privacy:access_request") in body
    assert reverse("privacy:retention") in body


def test_the_functional_administrator_sets_the_retention_period_in_the_administration(
    admin_client,
):
    from privacy.models import RetentionPeriod
    from privacy.retention import retention_years

    url = reverse("admin:privacy_retentionperiod_add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"dossier_kind": "client", "years": "10"})
    assert response.status_code == 302
    assert RetentionPeriod.objects.get().years == 10
    assert retention_years() == 10
