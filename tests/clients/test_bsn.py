"""The BSN is masked on the edit form and its 409 page; changing it is a logged action apart."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from audit.models import AccessLog
from clients import services
from clients.models import Client
from tests.clients.test_views import edit_form_data
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

BSN = "111222333"  # passes the eleven-test; its digits are easy to find in a page
NEW_BSN = "123456782"


@pytest.fixture
def fatima(coach, team, assen):
    return ClientFactory(
        first_name="Fatima",
        last_name="El Amrani",
        bsn=BSN,
        coach=coach,
        team=team,
        municipality=assen,
    )


def test_the_edit_form_shows_the_bsn_masked_and_has_no_bsn_field(coach_client, fatima):
    response = coach_client.get(reverse("clients:update", args=[fatima.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert BSN not in page
    assert "*****2333" in page
    assert 'name="bsn"' not in page
    assert "bsn" not in response.context["form"].fields
    assert reverse("clients:bsn_change", args=[fatima.pk]) in page
    assert not AccessLog.objects.filter(kind="full_bsn").exists()


def test_saving_the_edit_form_keeps_the_bsn(coach_client, fatima):
    url = reverse("clients:update", args=[fatima.pk])
    data = edit_form_data(coach_client.get(url).context["form"], phone="0592-123456")
    response = coach_client.post(url, {**data, "bsn": NEW_BSN})  # a forged field is ignored
    assert response.status_code == 302
    fatima.refresh_from_db()
    assert (fatima.bsn, fatima.phone) == (BSN, "0592-123456")


def test_the_conflict_page_shows_no_full_bsn(coach_client, fatima, make_user):
    url = reverse("clients:update", args=[fatima.pk])
    form = coach_client.get(url).context["form"]
    colleague = make_user("collega")
    current = Client.objects.get(pk=fatima.pk)
    services.client_update(actor=colleague, client=current, phone="0592-111111")
    # The colleague also corrected the BSN: the difference table must not show either one.
    services.client_bsn_change(actor=colleague, client=current, bsn=NEW_BSN, reason="Typefout")

    response = coach_client.post(url, edit_form_data(form, phone="06-22222222"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft deze cliënt gewijzigd" in page
    assert BSN not in page
    assert NEW_BSN not in page
    assert "*****6782" in page  # the BSN as it is now, masked
    labels = [str(label) for label, _theirs, _yours in response.context["conflict"]["differences"]]
    assert labels == ["Telefoonnummer"]


def test_changing_the_bsn_needs_a_reason_and_is_logged_twice(coach_client, coach, fatima):
    url = reverse("clients:bsn_change", args=[fatima.pk])
    form_page = coach_client.get(url)
    assert form_page.status_code == 200
    assert BSN not in form_page.content.decode()
    assert "*****2333" in form_page.content.decode()

    refused = coach_client.post(url, {"bsn": NEW_BSN, "reason": " "})
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    fatima.refresh_from_db()
    assert fatima.bsn == BSN

    response = coach_client.post(
        url, {"bsn": "1234.56.782", "reason": "Typefout bij inschrijving, paspoort gezien"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[fatima.pk])
    fatima.refresh_from_db()
    assert fatima.bsn == NEW_BSN

    change = LogEntry.objects.get_for_object(fatima).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == coach
    assert set(change.changes_dict) == {"bsn"}
    old, new = change.changes_dict["bsn"]
    assert BSN not in old and NEW_BSN not in new  # django-auditlog masks them (apps.py)
    assert change.additional_data == {"reason": "Typefout bij inschrijving, paspoort gezien"}

    access = AccessLog.objects.get(kind="bsn_change")
    assert (access.user, access.result) == (coach, "granted")
    assert (access.object_type, access.object_id) == ("clients.client", str(fatima.pk))


def test_a_bsn_of_another_client_is_refused_and_nothing_changes(coach_client, fatima, team):
    other = ClientFactory(team=team, bsn=NEW_BSN)
    url = reverse("clients:bsn_change", args=[fatima.pk])
    response = coach_client.post(url, {"bsn": other.bsn, "reason": "Typefout"})
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"]
    fatima.refresh_from_db()
    assert fatima.bsn == BSN
    assert "*****2333" in response.content.decode()
    assert not AccessLog.objects.filter(kind="bsn_change").exists()


def test_an_invalid_bsn_is_refused(coach_client, fatima):
    url = reverse("clients:bsn_change", args=[fatima.pk])
    response = coach_client.post(url, {"bsn": "123456783", "reason": "Typefout"})
    assert "elfproef" in response.content.decode()
    fatima.refresh_from_db()
    assert fatima.bsn == BSN


def test_only_casework_may_change_a_bsn_and_only_in_their_scope(
    client, manager, functional_admin, coach, other_team, fatima
):
    for user in (manager, functional_admin):
        client.force_login(user)
        assert client.get(reverse("clients:bsn_change", args=[fatima.pk])).status_code == 403
    client.force_login(coach)
    stranger = ClientFactory(team=other_team)
    url = reverse("clients:bsn_change", args=[stranger.pk])
    assert client.post(url, {"bsn": NEW_BSN, "reason": "x"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.bsn != NEW_BSN
    assert AccessLog.objects.get().result == "denied"


def test_the_edit_service_refuses_a_bsn_change(coach, fatima):
    with pytest.raises(TypeError):
        services.client_update(actor=coach, client=fatima, bsn=NEW_BSN)
    fatima.refresh_from_db()
    assert fatima.bsn == BSN


def test_registering_a_client_still_takes_a_bsn(coach_client, new_client_data):
    form = coach_client.get(reverse("clients:create")).context["form"]
    assert "bsn" in form.fields
    assert coach_client.post(reverse("clients:create"), new_client_data).status_code == 302
    assert Client.objects.get().bsn == new_client_data["bsn"]


def test_a_bsn_search_on_the_caseload_is_logged(coach_client, coach, fatima):
    response = coach_client.post(reverse("clients:list"), {"bsn": BSN})
    assert list(response.context["table"].data) == [fatima]
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user, entry.object_id) == ("bsn_lookup", coach, str(fatima.pk))


def test_a_bsn_search_that_finds_nobody_logs_no_client(coach_client, fatima):
    coach_client.post(reverse("clients:list"), {"bsn": NEW_BSN})
    assert not AccessLog.objects.exists()


def test_registering_a_bsn_that_exists_logs_whose_it_is(coach_client, coach, new_client_data, team):
    owner = ClientFactory(bsn=new_client_data["bsn"], team=team)
    response = coach_client.post(reverse("clients:create"), new_client_data)
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"]
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user, entry.object_id) == ("bsn_lookup", coach, str(owner.pk))


def test_changing_to_a_bsn_that_exists_logs_whose_it_is(coach_client, coach, fatima, other_team):
    owner = ClientFactory(team=other_team, bsn=NEW_BSN)  # outside the coach's scope, even
    url = reverse("clients:bsn_change", args=[fatima.pk])
    coach_client.post(url, {"bsn": NEW_BSN, "reason": "Typefout"})
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.user, entry.object_id) == ("bsn_lookup", coach, str(owner.pk))
