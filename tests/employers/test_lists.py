"""The employer, vacancy and candidate lists: each filter, the pages, and a number of queries
that does not grow with the rows or with the page (issue 16: FilterSet + Table, one pager)."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from clients.models import Client
from core.models import Municipality
from employers import services
from employers.models import Employer, Sector, Vacancy

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    """What the first column of the list's table shows, row by row."""
    table = response.context["table"]
    first = next(iter(table.columns)).name
    return [strip_tags(row.get_cell_value(first)) for row in table.paginated_rows]


def status_text(response) -> str:
    body = response.content.decode()
    start = body.index('role="status">') + len('role="status">')
    return body[start : body.index("</p>", start)]


# --- Employers -----------------------------------------------------------------------------


@pytest.fixture
def employers(region, account_manager, make_user):
    """26 employers in Assen kept by the account manager (every even one a social enterprise)
    and 4 in Emmen kept by a colleague."""
    assen = Municipality.objects.get(name="Assen")
    emmen = Municipality.objects.get(name="Emmen")
    colleague = make_user("collega-am", "account_manager")
    for n in range(26):
        Employer.objects.create(
            name=f"Bouw {n:02}",
            municipality=assen,
            account_manager=account_manager,
            social_enterprise=n % 2 == 0,
        )
    for n in range(4):
        Employer.objects.create(name=f"Zorg {n}", municipality=emmen, account_manager=colleague)
    return assen, emmen


def test_the_employer_list_filters_by_municipality_mine_and_social_enterprise(am_client, employers):
    assen, emmen = employers
    url = reverse("employers:list")
    everyone = am_client.get(url)
    assert "30 werkgevers" in status_text(everyone)  # 26 + 4
    assert len(listed(everyone)) == 25
    assert listed(am_client.get(url, {"municipality": emmen.pk})) == [f"Zorg {n}" for n in range(4)]
    mine = am_client.get(url, {"mine": "1"})
    assert "26 werkgevers" in status_text(mine)
    social = am_client.get(url, {"social_enterprise": "1", "municipality": assen.pk})
    assert listed(social) == [f"Bouw {n:02} sociale onderneming" for n in range(0, 26, 2)]
    assert listed(am_client.get(url, {"q": "zorg 3"})) == ["Zorg 3"]


def test_the_employer_list_pages_by_25_and_keeps_the_filters(am_client, employers):
    assen, _emmen = employers
    url = reverse("employers:list")
    first = am_client.get(url, {"municipality": assen.pk, "mine": "1"})
    body = first.content.decode()
    assert "Pagina 1 van 2" in body
    assert f'href="?municipality={assen.pk}&amp;mine=1&amp;page=2"' in body
    second = am_client.get(url, {"municipality": assen.pk, "mine": "1", "page": 2})
    assert listed(second) == ["Bouw 25"]  # 26 = 25 + 1
    # The form shows what was chosen.
    form = second.context["filter"].form
    assert form["mine"].value() is True and form["municipality"].value() == str(assen.pk)


def test_the_employer_list_takes_no_page_size_from_the_address(am_client, employers):
    response = am_client.get(reverse("employers:list"), {"per_page": 1000})
    assert len(listed(response)) == 25


@pytest.mark.parametrize("rows", [1, 26])
def test_a_filtered_page_of_employers_runs_a_constant_number_of_queries(
    am_client, region, account_manager, rows, django_assert_num_queries
):
    assen = Municipality.objects.get(name="Assen")
    for n in range(rows):
        Employer.objects.create(
            name=f"Bouw {n:02}", municipality=assen, account_manager=account_manager
        )
    # session, user, permissions (2), count, page, the municipalities (read once: the select
    # and the check of the chosen one), session renewal (3)
    with django_assert_num_queries(10):
        response = am_client.get(
            reverse("employers:list"), {"municipality": assen.pk, "mine": "1", "page": 2}
        )
    assert len(listed(response)) == (1 if rows == 26 else rows)


# --- Vacancies -----------------------------------------------------------------------------


@pytest.fixture
def vacancies(employer, account_manager):
    """26 open care vacancies, 2 closed ones, and 1 open in logistics."""
    care, logistics = Sector.objects.get(code="care"), Sector.objects.get(code="logistics")

    def add(title, sector):
        return services.vacancy_register(
            actor=account_manager,
            employer=employer,
            title=title,
            sector=sector,
            hours_per_week=24,
            municipality=employer.municipality,
        )

    for n in range(26):
        add(f"Zorg {n:02}", care)
    closed = [add(f"Gesloten {n}", care).pk for n in range(2)]
    Vacancy.objects.filter(pk__in=closed).update(status=Vacancy.Status.CLOSED)
    add("Logistiek", logistics)
    return care, logistics


def test_the_vacancy_list_shows_open_vacancies_until_another_status_is_chosen(am_client, vacancies):
    care, logistics = vacancies
    url = reverse("employers:vacancy_list")
    # All opened today: by title. 27 open, of which 25 on the first page.
    first = am_client.get(url)
    assert "27 vacatures" in status_text(first)
    assert listed(first)[:2] == ["Logistiek", "Zorg 00"]
    assert listed(am_client.get(url, {"page": 2})) == ["Zorg 24", "Zorg 25"]
    assert listed(am_client.get(url, {"status": "closed"})) == ["Gesloten 0", "Gesloten 1"]
    every = am_client.get(url, {"status": "all", "sector": care.pk, "page": 2})
    assert "28 vacatures" in status_text(every)  # 26 + 2 closed
    assert len(listed(every)) == 3
    assert listed(am_client.get(url, {"sector": logistics.pk})) == ["Logistiek"]
    assert listed(am_client.get(url, {"q": "drenthe", "sector": logistics.pk})) == ["Logistiek"]


@pytest.mark.parametrize("rows", [1, 26])
def test_a_filtered_page_of_vacancies_runs_a_constant_number_of_queries(
    am_client, employer, account_manager, rows, django_assert_num_queries
):
    care = Sector.objects.get(code="care")
    for n in range(rows):
        services.vacancy_register(
            actor=account_manager,
            employer=employer,
            title=f"Zorg {n:02}",
            sector=care,
            hours_per_week=24,
            municipality=employer.municipality,
        )
    # session, user, permissions (2), the chosen sector, count, page, the sector select,
    # session renewal (3)
    with django_assert_num_queries(10):
        response = am_client.get(
            reverse("employers:vacancy_list"), {"sector": care.pk, "q": "zorg", "page": 2}
        )
    assert len(listed(response)) == 1


# --- Candidates ----------------------------------------------------------------------------


def test_the_candidate_list_filters_by_name_and_sector_and_pages_by_25(am_client, make_candidate):
    for n in range(26):
        make_candidate(last_name=f"Jansen{n:02}", first_name="Anna", sectors=("care",))
    make_candidate(last_name="Bakker", first_name="Piet", sectors=("logistics",))
    url = reverse("employers:candidate_list")
    # By last name: Bakker first, then Jansen00 ... Jansen23 on the first page.
    first = am_client.get(url)
    assert "27 kandidaten" in status_text(first)
    assert listed(first)[:2] == ["Bakker, Piet", "Jansen00, Anna"]
    assert listed(am_client.get(url, {"page": 2})) == ["Jansen24, Anna", "Jansen25, Anna"]
    logistics = Sector.objects.get(code="logistics")
    assert listed(am_client.get(url, {"sector": logistics.pk})) == ["Bakker, Piet"]
    care = Sector.objects.get(code="care")
    assert listed(am_client.get(url, {"sector": care.pk, "page": 2})) == ["Jansen25, Anna"]
    assert listed(am_client.get(url, {"q": "Jansen07"})) == ["Jansen07, Anna"]


@pytest.mark.parametrize("rows", [1, 26])
def test_a_filtered_page_of_candidates_runs_a_constant_number_of_queries(
    am_client, make_candidate, rows, django_assert_num_queries
):
    for n in range(rows):
        make_candidate(last_name=f"Jansen{n:02}", skills=())
    care = Sector.objects.get(code="care")
    # session, user, permissions (2), the chosen sector, count, page, the page's rows with
    # their completeness, their sectors, the sector select, session renewal (3)
    with django_assert_num_queries(12):
        response = am_client.get(
            reverse("employers:candidate_list"),
            {"sector": care.pk, "incomplete": "1", "q": "jansen", "page": 2},
        )
    assert len(listed(response)) == 1


def test_a_coach_lists_only_the_candidates_of_clients_in_their_scope(
    client, coach, make_candidate, make_user, other_team
):
    make_candidate(last_name="Eigen", first_name="Anna")
    elsewhere = make_candidate(last_name="Vreemd", first_name="Bob")
    other_coach = make_user("ander", "work_coach", teams=[other_team])
    Client.objects.filter(pk=elsewhere.client_id).update(team=other_team, coach=other_coach)
    client.force_login(coach)
    assert listed(client.get(reverse("employers:candidate_list"))) == ["Eigen, Anna"]
    client.force_login(other_coach)
    assert listed(client.get(reverse("employers:candidate_list"))) == ["Vreemd, Bob"]
