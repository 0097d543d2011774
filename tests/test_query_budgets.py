"""Query budgets (issue 20): every list, dossier and agenda page runs as many queries with ten
times the rows as with the rows of a small region, and no more than its budget.

Every URL name in core.roles.PAGES is decided here: it has a budget in BUDGETS (the role that
uses it and the most queries one GET may run) or a reason in EXEMPT. A new page without
either fails test_every_page_has_a_budget_or_a_reason, so it cannot be forgotten.

The region is built once for the module (tests/budget_units.py): SMALL units, every page
measured; then up to LARGE units, every page measured again; then rolled back. Each GET is
made twice and the second one counted, with the cache emptied between them, so a session's
first request (its renewal) and a row a page makes on its first visit count in neither.
"""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import PAGES

# The module's fixture builds its region itself; the mark makes pytest-django set up the test
# database for a run of this module alone.
pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30

# url name -> (role, budget): the role is a World attribute ("public": nobody logged in).
# The budget is the count on the committed code (issue 20's first commit of this module); lower
# it when a page gets cheaper. The dossier ran 42 and its timeline 26 (issue 20: the dossier
# within 15); projects:detail 16 with the projects work under way.
BUDGETS = {
    # Casework: the caseload (the coach's start page), the dossier, its timeline's next page.
    "clients:list": ("coach", 25),
    "clients:detail": ("coach", 17),
    "clients:timeline": ("coach", 19),
    "clients:unassigned": ("manager", 10),
    "clients:caseloads": ("manager", 10),
    "clients:handover": ("manager", 12),
    "clients:removed": ("admin", 10),
    "teams:list": ("manager", 8),
    "teams:detail": ("coach", 15),
    # The agenda.
    "agenda:week": ("coach", 22),
    "agenda:day": ("coach", 8),
    "agenda:team_week": ("manager", 9),
    "agenda:feed": ("public", 5),
    # Projects and events.
    "projects:list": ("manager", 8),
    "projects:detail": ("manager", 19),
    "projects:members": ("manager", 10),
    "projects:members_add": ("manager", 14),
    "projects:event_list": ("coach", 8),
    "projects:event_detail": ("coach", 11),
    "projects:event_participants_bulk": ("coach", 10),
    # Employers, vacancies, candidates, placements.
    "employers:start": ("account_manager", 10),
    "employers:list": ("account_manager", 10),
    "employers:detail": ("account_manager", 17),
    "employers:vacancy_list": ("account_manager", 10),
    "employers:vacancy_detail": ("account_manager", 13),
    "employers:candidate_list": ("account_manager", 12),
    "employers:candidate_detail": ("account_manager", 18),
    "shortlists:shortlist": ("public", 4),
    "placements:list": ("coach", 9),
    "placements:detail": ("coach", 13),
    "placements:sroi_overview": ("manager", 8),
    # Documents and letters.
    "documents:to_post": ("coach", 9),
    "documents:template_list": ("admin", 10),
    "documents:kind_list": ("admin", 10),
    # Diagnosis and school leavers.
    "diagnosis:referrals": ("consultant", 9),
    "schools:leaver_list": ("consultant", 10),
    "schools:school_list": ("consultant", 9),
    "schools:overview": ("consultant", 12),
    # Figures and reports.
    "reporting:dashboard": ("manager", 49),
    "reporting:report_list": ("manager", 8),
    "reporting:cost_parameters": ("admin", 9),
    # The administrators' lists.
    "audit:client_access": ("admin", 13),
    "audit:denied": ("admin", 10),
    "audit:reports": ("admin", 9),
    "privacy:retention": ("admin", 11),
    "interchange:index": ("admin", 9),
    "merging:index": ("admin", 10),
}

# Pages found to run more queries with more rows (an N+1): the test is expected to fail
# until the page is fixed, and then fails as "XPASS(strict)" to have this line removed.
N_PLUS_ONE: dict[str, str] = {}

FORM = "a form for one record (or a new one): no list of rows"
ACTION = "an action on one record (a POST, or a GET that redirects)"
FILE = "a file of one record or report, made by a job or a download; not a page of rows"
ONE = "one record's page, without a list that grows with the region"
EXEMPT = {
    "home": "redirects to the role's start page, which has its own budget",
    "agenda:index": "redirects to this week's agenda:week, which has its budget",
    "agenda:team_index": "redirects to this week's agenda:team_week, which has its budget",
    "health": "the load balancer's check: one SELECT 1, no rows",
    "set_language": ACTION,
    "django.contrib.staticfiles.views.serve": "static files, no database",
    "core:authorisation": "the authorisation matrix: code, not rows",
    "core:service_area": "the municipalities of the country: a fixed reference list, one query",
    "audit:access_search": "a search form (the search is a POST that redirects to its result)",
    "privacy:access_request": "a search form by BSN (posted); the result is one client",
    "reporting:report_detail": ONE,
    "reporting:report_progress": ONE,
    "interchange:run": "one import; its problems are a JSON field of the row",
    "clients:suggest": "at most forms.SUGGESTIONS names in one query (tests/clients/"
    "test_typed_names.py asserts the count with ten times the coaches)",
    "schools:leaver_detail": ONE,
    "agenda:detail": ONE,
    "agenda:feed_settings": ONE,
    **dict.fromkeys(
        [
            "clients:create",
            "clients:update",
            "clients:contact_create",
            "clients:ladder_create",
            "clients:intake_create",
            "clients:contact_correct",
            "clients:contact_remove",
            "clients:intake_correct",
            "clients:intake_remove",
            "clients:ladder_correct",
            "clients:ladder_remove",
            "clients:bsn_change",
            "trajectories:start",
            "trajectories:update",
            "trajectories:end",
            "trajectories:goal_create",
            "trajectories:goal_status",
            "trajectories:activity_create",
            "trajectories:activity_update",
            "trajectories:evaluation_create",
            "trajectories:evaluation_correct",
            "trajectories:evaluation_remove",
            "projects:stage_record",
            "projects:create",
            "projects:edit",
            "projects:close",
            "projects:member_change",
            "projects:member_join",
            "projects:event_participant",
            "projects:event_create",
            "projects:event_update",
            "projects:event_participant_result",
            "projects:event_follow_up",
            "reporting:cost_parameter_create",
            "reporting:cost_parameter_update",
            "employers:create",
            "employers:update",
            "employers:contact_person_create",
            "employers:contact_create",
            "employers:sroi_create",
            "employers:vacancy_create",
            "employers:vacancy_update",
            "employers:match_propose",
            "employers:match_advance",
            "employers:consent_create",
            "employers:profile_edit",
            "placements:create",
            "placements:update",
            "placements:assessment_create",
            "placements:assessment_update",
            "placements:provision_create",
            "placements:provision_update",
            "placements:calculator",
            "documents:upload",
            "documents:letter_send",
            "documents:template_edit",
            "documents:kind_create",
            "documents:kind_edit",
            "agenda:plan",
            "agenda:plan_for",
            "agenda:move",
            "households:add",
            "households:link",
            "households:change",
            "households:remove",
            "households:become_client",
            "diagnosis:refer",
            "diagnosis:withdraw",
            "diagnosis:assessment_plan",
            "diagnosis:assessment_finish",
            "plans:create",
            "schools:leaver_create",
            "schools:leaver_update",
            "schools:conversation",
            "schools:leaver_client",
            "schools:school_create",
            "schools:school_update",
            "merging:merge",
            "admin:login",
        ],
        FORM,
    ),
    **dict.fromkeys(
        [
            "clients:bsn_reveal",
            "clients:handover_note_dismiss",
            "projects:event_invite",
            "reporting:report_retry",
            "employers:shortlist_create",
            "placements:follow_up_done",
            "privacy:retention_take_out",
            "privacy:retention_approve",
            "documents:letter_posted",
            "interchange:start",
            "agenda:cancel",
            "agenda:held",
            "agenda:no_show",
            "agenda:invite",
            "agenda:remind",
            "agenda:feed_renew",
            "plans:sign",
        ],
        ACTION,
    ),
    **dict.fromkeys(
        [
            "reporting:report_pdf",
            "reporting:report_xlsx",
            "privacy:export_pdf",
            "privacy:export_json",
            "privacy:export_zip",
            "documents:download",
            "documents:letter_preview",
            "interchange:report",
        ],
        FILE,
    ),
}
# allauth's and django-allauth-mfa's own pages, and Django's admin: the signed-in user's own
# account, never a list of the region's rows.
EXEMPT_PREFIXES = ("account_", "mfa_", "admin:")

# Budgeted pages that need not grow in bytes with the region: a fixed list (one letter template
# per kind), or figures whose digits change but not their number (the dashboard).
FIXED = {"documents:template_list", "reporting:dashboard"}

# Pages opened as htmx opens them (a fragment).
HTMX = {"clients:timeline"}


def _url(name: str, world) -> str:
    """The URL of the page the budget is about, in the world of tests/budget_units.py."""
    today = timezone.localdate()
    year, week, _day = today.isocalendar()
    args = {
        "clients:detail": [world.focus.pk],
        "clients:timeline": [world.focus.pk],
        "clients:handover": [world.team.pk, world.coach.pk],
        "teams:detail": ["hodezo"],
        "agenda:week": [year, week],
        "agenda:day": [today],
        "agenda:team_week": [year, week],
        "agenda:feed": [world.coach.pk, world.feed_secret],
        "projects:detail": [world.project.pk],
        "projects:members": [world.project.pk],
        "projects:members_add": [world.project.pk],
        "projects:event_detail": [world.event.pk],
        "projects:event_participants_bulk": [world.event.pk],
        "employers:detail": [world.employer.pk],
        "employers:vacancy_detail": [world.vacancy.pk],
        "employers:candidate_detail": [world.extra.get("candidate")],
        "shortlists:shortlist": [world.shortlist.token],
        "placements:detail": [world.placement.pk],
        "audit:client_access": [world.focus.pk],
    }.get(name, [])
    query = {
        "clients:timeline": "?page=2",
        "projects:members_add": "?wage_value=40-60",
    }.get(name, "")
    return reverse(name, args=args) + query


def _load_reference_data():
    """As tests/conftest.py's reference_lists: the lists migrate loads, whatever ran before."""
    from core.demo import demo_service_area
    from core.reference import REFERENCE_DATA, load_reference_data
    from employers import reference as employer_reference
    from trajectories import reference as trajectory_reference

    load_reference_data()
    for load in REFERENCE_DATA:
        load()
    demo_service_area()
    employer_reference.load()
    trajectory_reference.load()


def _measure(world, browsers, warm=False) -> dict[str, tuple[int, int, list[str], int]]:
    """name -> (queries, bytes, the SQL, status) of one GET of every budgeted page; `warm`:
    after a first GET, so that both regions are measured on a page visited before."""
    found = {}
    for name, (role, _budget) in BUDGETS.items():
        browser = browsers[role]
        url = _url(name, world)
        headers = {"HX-Request": "true"} if name in HTMX else {}
        if warm:
            browser.get(url, headers=headers)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(url, headers=headers)
        found[name] = (
            len(queries),
            len(response.content),
            [q["sql"] for q in queries.captured_queries],
            response.status_code,
        )
    return found


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """The counts of every budgeted page with SMALL and with LARGE units, in one region."""
    from tests.budget_units import units_add, world_make

    with django_db_blocker.unblock(), translation.override("nl"), transaction.atomic():
        cache.clear()
        _load_reference_data()
        world = world_make()
        browsers = {"public": Browser()}
        for role in ("coach", "manager", "account_manager", "consultant", "admin"):
            browsers[role] = Browser()
            browsers[role].force_login(getattr(world, role))
        units_add(world, SMALL)
        small = _measure(world, browsers, warm=True)
        units_add(world, LARGE - SMALL)
        large = _measure(world, browsers)
        transaction.set_rollback(True)
    cache.clear()
    return small, large


def test_every_page_has_a_budget_or_a_reason():
    undecided = [
        name
        for name in PAGES
        if name not in BUDGETS and name not in EXEMPT and not name.startswith(EXEMPT_PREFIXES)
    ]
    assert undecided == [], (
        f"Give these pages a query budget in BUDGETS, or a reason in EXEMPT: {undecided}"
    )
    assert set(BUDGETS) <= set(PAGES) and set(EXEMPT) <= set(PAGES)
    assert not set(BUDGETS) & set(EXEMPT)


def _diff(small: list[str], large: list[str]) -> str:
    """The queries one region ran more often than the other, literals left out (the N+1)."""
    import re
    from collections import Counter

    def shape(sql: str) -> str:
        return re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", sql)[:300]

    few, many = Counter(map(shape, small)), Counter(map(shape, large))
    lines = [f"+{n} {sql}" for sql, n in (many - few).most_common(3)]
    lines += [f"-{n} {sql}" for sql, n in (few - many).most_common(3)]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=N_PLUS_ONE[name]))
        if name in N_PLUS_ONE
        else name
        for name in BUDGETS
    ],
)
def test_the_page_runs_the_same_queries_for_ten_times_the_rows_within_its_budget(measured, name):
    small, large = measured
    (few, few_bytes, few_sql, few_status), (many, many_bytes, many_sql, many_status) = (
        small[name],
        large[name],
    )
    assert (few_status, many_status) == (200, 200)
    assert many_bytes > few_bytes or name in FIXED, (
        "the page does not show the rows the region added"
    )
    assert many == few, f"{few} queries with {SMALL} units, {many} with {LARGE}:\n" + _diff(
        few_sql, many_sql
    )
    assert few <= BUDGETS[name][1], f"{few} queries, budget {BUDGETS[name][1]}"
