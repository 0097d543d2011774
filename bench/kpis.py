"""Benchmark of the KPI document: reporting.kpis against plain SQL of the same definitions.

`generate()` fills an empty database with synthetic rows in a few INSERT ... SELECT statements
(a series of numbers turned into clients, contacts, trajectories, placements, assessments and
provisions), so 100,000 clients with 1,000,000 contacts take seconds, not the minutes of
`bulk_create`. `measure()` times `kpis.compute()` and hand-written SQL for the same figures on
the same rows, and `PLAIN_SQL` doubles as a readable statement of what each KPI counts.
"""

import statistics
import time
from dataclasses import dataclass

from django.db import connection, transaction

from reporting import kpis
from reporting.kpis import Period
from trajectories import deadline

CONTACTS_PER_CLIENT = 10
CLIENTS_PER_EMPLOYER = 50  # 2,000 employers at 100,000 clients


def employers_for(clients: int) -> int:
    return max(int(clients) // CLIENTS_PER_EMPLOYER, 1)


def _series(n: int) -> str:
    """A FROM clause yielding i = 1..n."""
    if connection.vendor == "postgresql":
        return f"generate_series(1, {int(n)}) AS s(i)"
    return (
        "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
        f"WHERE i < {int(n)}) SELECT i FROM s) AS s"
    )


def _day(base: str, offset: str) -> str:
    """SQL for the date `base` plus `offset` (an integer SQL expression) days."""
    if connection.vendor == "postgresql":
        return f"(DATE '{base}' + ({offset})::int)"
    return f"date('{base}', '+' || ({offset}) || ' days')"


def _plus(day: str, offset: str) -> str:
    if connection.vendor == "postgresql":
        return f"({day} + ({offset})::int)"
    return f"date({day}, '+' || ({offset}) || ' days')"


def _padded(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"lpad(({expression})::text, 9, '0')"
    return f"substr('000000000' || ({expression}), -9, 9)"


def _case(expression: str, values: list[str]) -> str:
    whens = " ".join(f"WHEN {i} THEN '{value}'" for i, value in enumerate(values))
    return f"CASE ({expression}) % {len(values)} {whens} END"


NOW = "CURRENT_TIMESTAMP"


def _ids(table: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), COUNT(*), MAX(id) FROM {table}")  # noqa: S608
        low, count, high = cursor.fetchone()
    if not count or high - low + 1 != count:
        raise RuntimeError(f"{table} needs contiguous ids: generate into an empty database")
    return low, count


@dataclass(frozen=True)
class Generated:
    clients: int
    contacts: int
    trajectories: int
    placements: int
    assessments: int
    provisions: int

    @property
    def rows(self) -> int:
        return sum(vars(self).values())


def generate(clients: int) -> Generated:
    """Fill the (empty, migrated, reference-loaded) database with `clients` synthetic clients."""
    from trajectories.models import Route

    routes = dict(Route.objects.values_list("code", "id"))
    municipality, municipalities = _ids("core_municipality")
    n = int(clients)
    employers = employers_for(n)
    sizes = Generated(
        clients=n,
        contacts=n * CONTACTS_PER_CLIENT,
        trajectories=n * 6 // 10,
        placements=n * 3 // 10,
        assessments=n // 10,
        provisions=n // 10,
    )
    registered = _day("2018-01-01", "(i * 37) % 2900")
    groups = ["wajong", "social_assistance", "status_holder", "non_benefit", "school_leaver"]
    reasons = ["work", "education", "moved", "deceased", "other_benefit", "not_entitled", "other"]
    with connection.cursor() as cursor:
        with transaction.atomic():
            cursor.execute(
                f"""INSERT INTO clients_client (first_name, name_prefix, last_name, bsn,
                    birth_date, email, phone, address, postcode, municipality_id, target_group,
                    target_group_register, registered_on, deregistered_on,
                    deregistration_reason, created_at, updated_at, version, correspondence)
                SELECT 'Bench', '', 'Client ' || i, {_padded("i")}, {_day("1980-01-01", "0")},
                    '', '', '', '', {municipality} + (i % {municipalities}), {_case("i", groups)},
                    i % 4 = 0, {registered},
                    CASE WHEN i % 3 = 0 THEN {_plus(registered, "(i * 13) % 900")} END,
                    CASE WHEN i % 3 = 0 THEN {_case("i / 3", reasons)} ELSE '' END,
                    {NOW}, {NOW}, 1, 'post'
                FROM {_series(n)}"""  # noqa: S608
            )
            client, _count = _ids("clients_client")
            start = _day("2019-01-01", "(i * 17) % 2400")
            cursor.execute(
                f"""INSERT INTO clients_contact (client_id, date, channel, subject, notes,
                    created_at, version)
                SELECT {client} + (i % {n}), {_day("2020-01-01", "(i * 31) % 2500")},
                    {_case("i", ["in_person", "phone", "video", "home_visit", "email", "letter"])},
                    '', '', {NOW}, 1
                FROM {_series(sizes.contacts)}"""  # noqa: S608
            )
            route_ids = [
                routes[code] for code in ("employee", "participation", "employee", "sheltered_work")
            ]
            cursor.execute(
                f"""INSERT INTO trajectories_trajectory (client_id, route_id, start_date, end_date,
                    outcome, created_at, updated_at)
                SELECT {client} + i - 1,
                    CASE i % 4 {" ".join(f"WHEN {k} THEN {v}" for k, v in enumerate(route_ids))} END,
                    {start},
                    CASE WHEN i % 5 <> 0 THEN {_plus(start, "(i * 11) % 1000")} END,
                    CASE WHEN i % 5 <> 0 THEN {_case("i", ["work", "work", "education", "moved", "dropped_out", "deceased", "other"])} ELSE '' END,
                    {NOW}, {NOW}
                FROM {_series(sizes.trajectories)}"""  # noqa: S608,E501
            )
            cursor.execute(
                f"""INSERT INTO employers_employer (name, address, postcode, sbi_code,
                    social_enterprise, notes, created_at, updated_at, version)
                SELECT 'Werkgever ' || i, '', '', '', i % 10 = 0, '', {NOW}, {NOW}, 1
                FROM {_series(employers)}"""  # noqa: S608
            )
            employer, _count = _ids("employers_employer")
            placed = _day("2019-06-01", "(i * 23) % 2300")
            cursor.execute(
                f"""INSERT INTO placements_placement (client_id, employer_id, kind, job_title,
                    start_date, end_date, contract, sroi, end_reason, notes, created_at,
                    updated_at, version)
                SELECT {client} + (i * 3) % {n}, {employer} + (i % {employers}),
                    {_case("i", ["regular", "secondment", "sheltered_work", "work_experience", "work_learning", "trial"])},
                    '', {placed}, CASE WHEN i % 3 = 0 THEN {_plus(placed, "(i * 7) % 800")} END,
                    '', i % 4 = 0, '', '', {NOW}, {NOW}, 1
                FROM {_series(sizes.placements)}"""  # noqa: S608,E501
            )
            cursor.execute(
                f"""INSERT INTO placements_wagevalueassessment (client_id, assessed_on,
                    wage_value_percent, method, assessor, reference_job, notes, created_at,
                    updated_at, version)
                SELECT {client} + (i * 7) % {n}, {_day("2020-01-01", "(i * 29) % 2400")},
                    ((i * 7919) % 10001) / 100.0, '', '', '', '', {NOW}, {NOW}, 1
                FROM {_series(sizes.assessments)}"""  # noqa: S608
            )
            cursor.execute(
                f"""INSERT INTO placements_provision (client_id, kind, decision, decided_on,
                    job_coach_kind, notes, created_at, updated_at, version)
                SELECT {client} + (i * 11) % {n},
                    {_case("i", ["wage_cost_subsidy_structural", "wage_cost_subsidy_temporary", "wage_dispensation", "job_coach", "no_risk_policy", "workplace_adaptation"])},
                    CASE WHEN i % 5 = 0 THEN 'refused' ELSE 'granted' END,
                    {_day("2020-01-01", "(i * 19) % 2400")}, '', '', {NOW}, {NOW}, 1
                FROM {_series(sizes.provisions)}"""  # noqa: S608,E501
            )
        cursor.execute("ANALYZE")
    return sizes


def _deadline(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} + interval '2 years')::date"
    return (
        f"CASE WHEN substr({column}, 6, 5) = '02-29' THEN date({column}, '-1 day', '+2 years') "
        f"ELSE date({column}, '+2 years') END"
    )


def plain_sql(period: Period) -> list[tuple]:
    """Every KPI of the spec by hand-written SQL; returns the raw rows (not formatted)."""
    start, end = period.start, period.end
    first = deadline.earliest_start(start)
    last = deadline.latest_start(end)
    on_end = "c.registered_on <= %s AND (c.deregistered_on IS NULL OR c.deregistered_on > %s)"
    in_time = f"t.end_date IS NOT NULL AND t.end_date <= {_deadline('t.start_date')}"
    queries = [
        (
            f"""SELECT COUNT(*),
                SUM(CASE WHEN {in_time} AND t.outcome IN ('moved', 'deceased') THEN 1 ELSE 0 END),
                SUM(CASE WHEN {in_time} AND t.outcome = 'work' THEN 1 ELSE 0 END)
            FROM trajectories_trajectory t JOIN trajectories_route r ON r.id = t.route_id
            WHERE r.code = 'employee' AND t.start_date BETWEEN %s AND %s""",
            [first, last],
        ),
        (
            f"SELECT c.target_group, COUNT(*) FROM clients_client c WHERE {on_end} "
            "GROUP BY c.target_group",
            [end, end],
        ),
        (
            f"""SELECT c.target_group, COUNT(DISTINCT k.client_id), COUNT(*)
            FROM clients_contact k JOIN clients_client c ON c.id = k.client_id
            WHERE k.channel IN ('in_person', 'phone', 'video', 'home_visit')
              AND k.date BETWEEN %s AND %s AND {on_end}
            GROUP BY c.target_group""",
            [start, end, end, end],
        ),
        (
            f"""SELECT SUM(CASE WHEN c.registered_on BETWEEN %s AND %s THEN 1 ELSE 0 END),
                SUM(CASE WHEN {on_end} THEN 1 ELSE 0 END),
                SUM(CASE WHEN c.deregistered_on BETWEEN %s AND %s
                    AND c.deregistration_reason IN ('work', 'education') THEN 1 ELSE 0 END)
            FROM clients_client c WHERE c.target_group = 'status_holder'""",
            [start, end, end, end, start, end],
        ),
        (
            f"""SELECT m.name, COUNT(*) FROM clients_client c
            JOIN core_municipality m ON m.id = c.municipality_id
            WHERE c.target_group = 'status_holder' AND {on_end} GROUP BY m.name""",
            [end, end],
        ),
        (
            """SELECT SUM(CASE WHEN p.start_date BETWEEN %s AND %s THEN 1 ELSE 0 END),
                SUM(CASE WHEN p.start_date < %s AND (p.end_date IS NULL OR p.end_date >= %s)
                    THEN 1 ELSE 0 END),
                SUM(CASE WHEN m.in_service_area AND (p.start_date BETWEEN %s AND %s
                    OR (p.start_date < %s AND (p.end_date IS NULL OR p.end_date >= %s)))
                    THEN 1 ELSE 0 END)
            FROM placements_placement p JOIN clients_client c ON c.id = p.client_id
            JOIN core_municipality m ON m.id = c.municipality_id WHERE p.sroi""",
            [start, end, start, start, start, end, start, start],
        ),
        (
            """SELECT COUNT(*), SUM(CASE WHEN p.start_date <= %s
                AND (p.end_date IS NULL OR p.end_date > %s) THEN 1 ELSE 0 END)
            FROM placements_placement p
            WHERE p.kind = 'sheltered_work' AND p.start_date <= %s""",
            [end, end, end],
        ),
        (
            """SELECT COUNT(*), SUM(CAST(ROUND(a.wage_value_percent * 100) AS BIGINT)),
                SUM(CASE WHEN a.wage_value_percent < 40 THEN 1 ELSE 0 END),
                SUM(CASE WHEN a.wage_value_percent >= 40 AND a.wage_value_percent < 60
                    THEN 1 ELSE 0 END),
                SUM(CASE WHEN a.wage_value_percent >= 60 AND a.wage_value_percent < 80
                    THEN 1 ELSE 0 END),
                SUM(CASE WHEN a.wage_value_percent >= 80 THEN 1 ELSE 0 END)
            FROM placements_wagevalueassessment a WHERE a.assessed_on BETWEEN %s AND %s""",
            [start, end],
        ),
        (
            """SELECT v.kind, COUNT(*) FROM placements_provision v
            WHERE v.decision = 'granted' AND v.decided_on BETWEEN %s AND %s GROUP BY v.kind""",
            [start, end],
        ),
        (
            "SELECT COUNT(*) FROM clients_client c WHERE c.registered_on BETWEEN %s AND %s",
            [start, end],
        ),
        (
            """SELECT c.deregistration_reason, COUNT(*) FROM clients_client c
            WHERE c.deregistered_on BETWEEN %s AND %s GROUP BY c.deregistration_reason""",
            [start, end],
        ),
    ]
    rows = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            rows.append(tuple(cursor.fetchall()))
    return rows


def _median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


@dataclass(frozen=True)
class Measured:
    product: float
    plain: float

    @property
    def ratio(self) -> float:
        return self.product / self.plain if self.plain else float("inf")


def measure(period: Period, repeat: int = 3) -> Measured:
    """Median seconds of the whole KPI document, and of the plain SQL, after one warm-up each."""
    kpis.compute(period)
    plain_sql(period)
    return Measured(
        product=_median_seconds(lambda: kpis.compute(period), repeat),
        plain=_median_seconds(lambda: plain_sql(period), repeat),
    )


def disagreements(document: dict, rows: list[tuple]) -> list[str]:
    """Where kpis.compute()'s document and plain_sql()'s rows differ (empty: they agree)."""
    outflow, population, talked, holders, _by_town, sroi, sheltered, wage, granted, inflow, out = (
        rows
    )

    def n(value):
        return int(value or 0)

    expected = {
        "two_year_outflow": {
            key: n(value)
            for key, value in zip(("cohort", "excluded", "to_work"), outflow[0], strict=True)
        },
        "contact_coverage.all": {
            "population": sum(n(size) for _group, size in population),
            "contacted": sum(n(contacted) for _group, contacted, _talks in talked),
        },
        "status_holders": dict(
            zip(
                ("inflow", "active_at_end", "outflow_education_or_work"),
                map(n, holders[0]),
                strict=True,
            )
        ),
        "social_return": {"started": n(sroi[0][0]), "continued": n(sroi[0][1])},
        "sheltered_work": {"placed": n(sheltered[0][0]), "still_employed": n(sheltered[0][1])},
        "wage_value": {"assessments": n(wage[0][0])},
        "wage_value.bands": dict(
            zip(("lt40", "40_60", "60_80", "gte80"), map(n, wage[0][2:]), strict=True)
        ),
        "provisions": {kind: n(count) for kind, count in granted},
        "flows": {"inflow": n(inflow[0][0]), "outflow": sum(n(count) for _r, count in out)},
    }
    problems = []
    for path, figures in expected.items():
        section = document
        for key in path.split("."):
            section = section[key]
        for key, value in figures.items():
            if section[key] != value:
                problems.append(f"{path}.{key}: product {section[key]}, plain SQL {value}")
    return problems
