"""The merge pages: only the functional administrator, who sees what identifies the two clients
and their counts, confirms with a reason, and is refused next to the form on a clash."""

import uuid

import pytest
from django.urls import reverse

from audit.models import AccessLog
from clients.models import Client
from employers.models import CandidateProfile
from merging.models import Merge
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(team, assen):
    keep = ClientFactory(
        first_name="Muhammad", last_name="Elamrani", bsn="123456782", team=team, municipality=assen
    )
    merge = ClientFactory(first_name="Mohamed", last_name="El Amrani", team=team)
    ContactFactory(client=merge)
    ContactFactory(client=merge)
    return keep, merge


@pytest.fixture
def admin_http(client, functional_admin):
    client.force_login(functional_admin)
    return client


def compare(http, keep, merge):
    return http.get(reverse("merging:index"), {"keep": keep.pk, "merge": merge.pk})


def test_the_comparison_shows_identifying_data_and_counts_and_is_logged(admin_http, pair):
    keep, merge = pair
    response = compare(admin_http, keep, merge)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Muhammad Elamrani" in page and "Mohamed El Amrani" in page
    assert "*****6782" in page and "123456782" not in page
    assert ("Contactmomenten", 0, 2) in response.context["counts"]
    assert response.context["form"] is not None
    logged = AccessLog.objects.filter(detail="merge check")
    assert {entry.object_id for entry in logged} == {str(keep.pk), str(merge.pk)}


def test_confirming_with_a_reason_merges_and_lists_the_merge(admin_http, pair):
    keep, merge = pair
    form = compare(admin_http, keep, merge).context["form"]
    data = {"keep": keep.pk, "merge": merge.pk, "reason": "Zelfde persoon, BSN gecheckt"}
    data["submission_token"] = form["submission_token"].value()
    response = admin_http.post(reverse("merging:merge"), data)
    assert response.status_code == 302
    assert response.url == reverse("merging:index")
    record = Merge.objects.get()
    assert (record.kept, record.merged_client_id) == (keep, merge.pk)
    assert Client.objects.get(pk=merge.pk).is_anonymised
    listing = admin_http.get(reverse("merging:index")).content.decode()
    assert "Zelfde persoon, BSN gecheckt" in listing


def test_a_missing_reason_keeps_the_comparison_and_says_why(admin_http, pair):
    keep, merge = pair
    form = compare(admin_http, keep, merge).context["form"]
    data = {"keep": keep.pk, "merge": merge.pk, "reason": ""}
    data["submission_token"] = form["submission_token"].value()
    response = admin_http.post(reverse("merging:merge"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert response.context["keep"] == keep
    assert not Merge.objects.exists()


def test_a_clash_is_shown_and_the_merge_refused_next_to_the_form(admin_http, pair):
    keep, merge = pair
    CandidateProfile.objects.create(client=keep)
    CandidateProfile.objects.create(client=merge)
    response = compare(admin_http, keep, merge)
    assert "Beide cliënten hebben een kandidaatprofiel" in response.content.decode()
    data = {"keep": keep.pk, "merge": merge.pk, "reason": "Zelfde persoon"}
    data["submission_token"] = str(uuid.uuid4())  # no form to confirm is shown: a script
    response = admin_http.post(reverse("merging:merge"), data)
    assert response.status_code == 200
    assert "kandidaatprofiel" in " ".join(response.context["form"].non_field_errors())
    assert not Merge.objects.exists()


@pytest.mark.parametrize(
    ("keep_number", "merge_number", "message"),
    [
        (9999, None, "Er is geen cliënt met dit nummer."),
        (None, None, "Kies twee verschillende dossiers."),
    ],
)
def test_wrong_numbers_are_refused_next_to_their_field(
    admin_http, pair, keep_number, merge_number, message
):
    keep, merge = pair
    keep_number = keep_number or keep.pk
    merge_number = merge_number or keep.pk
    response = admin_http.get(
        reverse("merging:index"), {"keep": keep_number, "merge": merge_number}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context.get("clashes") is None  # no comparison shown


@pytest.mark.parametrize("role", ["coach", "manager", "diagnosis_consultant", "account_manager"])
def test_nobody_but_the_functional_administrator_may_merge(request, client, pair, role):
    keep, merge = pair
    client.force_login(request.getfixturevalue(role))
    assert compare(client, keep, merge).status_code == 403
    data = {"keep": keep.pk, "merge": merge.pk, "reason": "x"}
    assert client.post(reverse("merging:merge"), data).status_code == 403
    assert not Merge.objects.exists()


def test_the_administrators_menu_leads_to_the_merge_page(admin_http):
    page = admin_http.get(reverse("audit:access_search")).content.decode()
    assert reverse("merging:index") in page


def test_the_access_pages_show_the_merge_in_both_clients_history(admin_http, pair):
    keep, merge = pair
    form = compare(admin_http, keep, merge).context["form"]
    data = {"keep": keep.pk, "merge": merge.pk, "reason": "Zelfde persoon, BSN gecheckt"}
    data["submission_token"] = form["submission_token"].value()
    admin_http.post(reverse("merging:merge"), data)
    kept_page = admin_http.get(reverse("audit:client_access", args=[keep.pk])).content.decode()
    assert f"Dossier {merge.pk} is met dit dossier samengevoegd: Zelfde persoon" in kept_page
    merged_page = admin_http.get(reverse("audit:client_access", args=[merge.pk]))
    assert f"Samengevoegd met dossier {keep.pk}: Zelfde persoon" in merged_page.content.decode()
