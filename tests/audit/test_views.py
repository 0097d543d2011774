import datetime

import pytest
from django.urls import reverse

from audit.models import AccessLog, AccessReport
from clients import services
from tests.audit.helpers import local, log
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db

ROLES = ["coach", "diagnosis_consultant", "account_manager", "manager", "functional_admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name", ["audit:access_search", "audit:client_access", "audit:denied", "audit:reports"]
)
def test_only_the_functional_administrator_opens_the_audit_pages(
    client, request, client_of_coach, role, name
):
    client.force_login(request.getfixturevalue(role))
    args = [client_of_coach.pk] if name == "audit:client_access" else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == (200 if role == "functional_admin" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_casework_roles_may_reveal_a_bsn(client, request, client_of_coach, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("clients:bsn_reveal", args=[client_of_coach.pk]))
    allowed = role in ("coach", "diagnosis_consultant")
    assert response.status_code == (302 if allowed else 403)
    assert AccessLog.objects.filter(kind="full_bsn").count() == (1 if allowed else 0)


def records(table) -> list:
    """The rows a page's table shows, as objects."""
    return [row.record for row in table.paginated_rows]


def cells(table, *columns) -> list[list]:
    """The cells of these columns on a page's table, as the page shows them."""
    return [[row.get_cell(name) for name in columns] for row in table.paginated_rows]


@pytest.fixture
def admin_client(client, functional_admin):
    client.force_login(functional_admin)
    return client


def test_finding_a_client_by_bsn_is_posted_and_leads_to_its_accesses(admin_client, client_of_coach):
    bsn = client_of_coach.bsn
    response = admin_client.post(reverse("audit:access_search"), {"bsn": bsn})
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:client_access", args=[client_of_coach.pk])
    assert bsn not in response["Location"]


def test_finding_a_client_by_number(admin_client, client_of_coach):
    response = admin_client.post(reverse("audit:access_search"), {"number": client_of_coach.pk})
    assert response["Location"] == reverse("audit:client_access", args=[client_of_coach.pk])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bsn": "123456782"}, "Geen cliënt heeft dit BSN."),
        ({"number": "999999"}, "Geen cliënt heeft dit nummer."),
        ({"bsn": "123456783"}, "elfproef"),
        ({}, "Vul een BSN of een cliëntnummer in."),
        ({"bsn": "123456782", "number": "1"}, "Vul een BSN of een cliëntnummer in."),
    ],
)
def test_a_failed_search_explains_why_and_keeps_the_input(admin_client, db, data, message):
    response = admin_client.post(reverse("audit:access_search"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    for value in data.values():
        assert f'value="{value}"' in body


def test_the_accesses_page_shows_who_read_and_which_fields_changed_not_the_values(
    admin_client, coach, client_of_coach, other_team
):
    log(coach, local(2026, 11, 10, 9, 30), object_id=client_of_coach.pk)
    log(coach, local(2026, 11, 10, 9, 31), object_id=client_of_coach.pk, kind="full_bsn")
    log(coach, local(2026, 11, 10, 9, 32), object_id=client_of_coach.pk, result="denied")
    log(coach, local(2026, 11, 10, 9, 33), object_id=client_of_coach.pk + 1)  # another client
    services.client_update(actor=coach, client=client_of_coach, phone="0592-123456")
    services.contact_log(
        actor=coach,
        client=client_of_coach,
        date=datetime.date(2026, 11, 10),
        channel="phone",
        subject="Geheim onderwerp",
    )

    response = admin_client.get(reverse("audit:client_access", args=[client_of_coach.pk]))
    body = response.content.decode()

    assert [r.kind for r in records(response.context["accesses"])] == [
        "dossier",
        "full_bsn",
        "dossier",
    ]
    assert "Sanne de Vries (coach)" in body
    assert "Volledig BSN" in body and "Geweigerd" in body
    rows = cells(response.context["changes"], "record", "action", "fields")
    assert rows[1] == ["Cliënt", "Gewijzigd", "telefoonnummer"]
    assert rows[0][:2] == ["Contactmoment", "Aangemaakt"] and "onderwerp" in rows[0][2]
    assert "<td>telefoonnummer</td>" in body
    assert "0592-123456" not in body and "Geheim onderwerp" not in body
    assert client_of_coach.bsn not in body


@pytest.mark.parametrize("rows", [1, 30])
def test_the_accesses_page_runs_a_constant_number_of_queries(
    admin_client, coach, client_of_coach, rows, settings, django_assert_num_queries
):
    settings.AUDIT_PAGE_SIZE = 10
    log(coach, local(2026, 11, 10, 9, 30), rows, object_id=client_of_coach.pk)
    # Each contact is a change-log entry, and so is the client's registration.
    ContactFactory.create_batch(rows, client=client_of_coach)
    # session, user, permissions (2), client, accesses (count, page), changes (count, page)
    with django_assert_num_queries(13):  # 4 of these: session renewal (3), 2FA check (1)
        response = admin_client.get(reverse("audit:client_access", args=[client_of_coach.pk]))
    assert len(records(response.context["changes"])) == min(rows + 1, 10)


def test_the_accesses_page_pages_both_lists_apart(admin_client, coach, client_of_coach, settings):
    settings.AUDIT_PAGE_SIZE = 2
    log(coach, local(2026, 11, 10, 9, 30), 3, object_id=client_of_coach.pk)
    ContactFactory.create_batch(4, client=client_of_coach)  # 5 changes with the registration
    url = reverse("audit:client_access", args=[client_of_coach.pk])
    response = admin_client.get(url, {"accesses": 2, "changes": 3})
    assert len(records(response.context["accesses"])) == 1  # 3 accesses: 2 + 1
    assert len(records(response.context["changes"])) == 1  # 5 changes: 2 + 2 + 1
    # The previous page of changes keeps the page of accesses.
    assert 'href="?accesses=2&amp;changes=2"' in response.content.decode()


@pytest.mark.parametrize("rows", [1, 30])
def test_the_denied_page_lists_denied_accesses_in_constant_queries(
    admin_client, coach, rows, django_assert_num_queries
):
    log(coach, local(2026, 11, 10, 9, 30), rows, object_id=77, result="denied")
    log(coach, local(2026, 11, 10, 9, 30), object_id=78)  # granted
    # session, user, permissions (2), count, page
    with django_assert_num_queries(10):
        response = admin_client.get(reverse("audit:denied"))
    assert len(records(response.context["table"])) == rows
    assert reverse("audit:client_access", args=[77]) in response.content.decode()


def test_the_denied_page_pages_newest_first(admin_client, coach, settings):
    settings.AUDIT_PAGE_SIZE = 2
    for day in range(1, 6):  # 5 denied reads of clients 71 ... 75, one a day
        log(coach, local(2026, 11, day, 9, 30), object_id=70 + day, result="denied")
    url = reverse("audit:denied")
    first = admin_client.get(url)
    assert [r.object_id for r in records(first.context["table"])] == ["75", "74"]
    body = first.content.decode()
    assert 'aria-label="Pagina&#x27;s met geweigerde toegang"' in body
    assert "Pagina 1 van 3" in body and 'href="?page=2"' in body
    last = admin_client.get(url, {"page": 3})
    assert [r.object_id for r in records(last.context["table"])] == ["71"]
    assert "5-11-2026 09:30" in first.content.decode()  # Dutch date, local time


@pytest.mark.parametrize("rows", [1, 30])
def test_a_later_page_of_denied_accesses_runs_as_many_queries_as_the_first(
    admin_client, coach, rows, settings, django_assert_num_queries
):
    settings.AUDIT_PAGE_SIZE = 10
    log(coach, local(2026, 11, 10, 9, 30), rows, object_id=77, result="denied")
    # session, user, permissions (2), count, page, session renewal (3), 2FA check (1)
    with django_assert_num_queries(10):
        response = admin_client.get(reverse("audit:denied"), {"page": 2})
    assert len(records(response.context["table"])) == (10 if rows == 30 else 1)


@pytest.mark.parametrize("rows", [1, 12])
def test_the_reports_page_shows_the_latest_reports_in_constant_queries(
    admin_client, rows, django_assert_num_queries
):
    for week in range(rows):
        AccessReport.objects.create(
            week_start=datetime.date(2026, 11, 9) - datetime.timedelta(weeks=week),
            factor=3,
            minimum_reads=20,
            findings={
                "unusual_volume": [
                    {"username": "anna", "name": "Anna Smit", "reads": 21, "weekly_average": 2.0}
                ],
                "denied": [],
                "outside_scope": [],
            },
        )
    # session, user, permissions (2), reports
    with django_assert_num_queries(9):
        response = admin_client.get(reverse("audit:reports"))
    body = response.content.decode()
    assert len(response.context["reports"]) == min(rows, 8)
    assert "Anna Smit (anna)" in body and "Week van 9 november 2026" in body


def test_the_functional_administrator_finds_the_access_log_in_the_menu(admin_client):
    body = admin_client.get(reverse("home")).content.decode()
    assert reverse("audit:access_search") in body


def test_a_client_number_above_a_thousand_is_shown_without_a_separator(admin_client, coach):
    ClientFactory(pk=1454, coach=coach)
    page = admin_client.get(reverse("audit:client_access", args=[1454])).content.decode()
    assert "Inzage cliënt 1454" in page
    assert "1.454" not in page


def test_the_change_history_includes_the_clients_trajectories(admin_client, coach, client_of_coach):
    from trajectories import reference
    from trajectories import services as trajectory_services
    from trajectories.models import Route

    reference.load()
    trajectory_services.trajectory_start(
        actor=coach,
        client=client_of_coach,
        route=Route.objects.get(code="employee"),
        start_date=datetime.date(2026, 11, 2),
    )
    response = admin_client.get(reverse("audit:client_access", args=[client_of_coach.pk]))
    assert ["Traject"] in cells(response.context["changes"], "record")
