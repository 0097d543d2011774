"""A whole region for `make bench`: what bench/kpis.py generates, plus the people and the work.

`generate(n)` fills an empty (migrated, reference-loaded) database in set-wise INSERT ... SELECT
statements: bench/kpis.py's clients (ten contacts each), trajectories, employers, placements,
assessments and provisions, then coaches with a caseload of CASELOAD clients each (so the coach
a page is measured for has the same caseload at every scale: the region grows by more coaches,
not by fuller caseloads), teams of TEAM_SIZE coaches, the coaches' branch teams, a share of
clients without team and coach, appointments around today, documents (rows only, all pointing at
one tiny file name), vacancies, candidate profiles with their sectors and skills, and one vacancy
to rank candidates for. A manager and an account manager are made too.

Columns a statement does not name get their model field's default (or NULL, or the current
time for auto_now fields), so a field added to a model later does not break the generator.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction

from bench import kpis as base
from bench.kpis import NOW, _day, _ids, _series

CASELOAD = 50  # clients per coach, at every scale
TEAM_SIZE = 10  # coaches per team
UNASSIGNED_EVERY = 20  # one client in 20 has no team and no coach (the worklist's)
APPOINTMENTS_PER_CLIENT = 3  # over the year around today
DOCUMENTS_PER_CLIENT = 2
CLIENTS_PER_VACANCY = 100
PASSWORD = "!"  # unusable: the benchmark logs in with force_login


def _quote(value) -> str:
    """An SQL literal for a default value, the same on SQLite and PostgreSQL."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        value = value.isoformat()
    elif isinstance(value, dict | list):
        value = json.dumps(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert(model, values: dict[str, str], *, source: str, where: str = "") -> int:
    """INSERT INTO the model's table SELECT the given SQL expressions FROM `source`; every
    other column gets its default. Returns the rows written."""
    columns, expressions = [], []
    for field in model._meta.local_concrete_fields:
        if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
            continue
        column = field.column
        if column in values:
            expression = values[column]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expression = NOW
        elif field.has_default():
            if field.unique:
                raise ValueError(f"{model.__name__}.{field.name} is unique: give its values")
            expression = _quote(field.get_db_prep_save(field.get_default(), connection))
        elif field.null:
            expression = "NULL"
        elif isinstance(field, models.CharField | models.TextField) and field.blank:
            expression = "''"
        else:
            raise ValueError(f"{model.__name__}.{field.name} has no default: give its values")
        columns.append(column)
        expressions.append(expression)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(expressions)} FROM {source} {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def _pick(expression: str, ids: list[int]) -> str:
    """SQL choosing one of `ids` by `expression` modulo their number."""
    whens = " ".join(f"WHEN {k} THEN {value}" for k, value in enumerate(ids))
    return f"CASE ({expression}) % {len(ids)} {whens} END"


def _least(a: str, b: str) -> str:
    return f"CASE WHEN ({a}) < ({b}) THEN ({a}) ELSE ({b}) END"


def _moment(days: str, hours: str) -> str:
    """SQL for today's midnight plus `days` days and `hours` hours (integer SQL expressions)."""
    if connection.vendor == "postgresql":
        return (
            f"(date_trunc('day', CURRENT_TIMESTAMP) + ({days}) * interval '1 day' "
            f"+ ({hours}) * interval '1 hour')"
        )
    return f"datetime('now', 'start of day', ({days}) || ' days', ({hours}) || ' hours')"


def _plus_minutes(moment: str, minutes: int) -> str:
    if connection.vendor == "postgresql":
        return f"({moment} + interval '{int(minutes)} minutes')"
    return f"datetime({moment}, '+{int(minutes)} minutes')"


def _range(table: str, where: str) -> tuple[int, int]:
    """The first id and the count of rows matching `where`, which must be contiguous ids."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), COUNT(*), MAX(id) FROM {table} WHERE {where}")  # noqa: S608
        low, count, high = cursor.fetchone()
    if not count or high - low + 1 != count:
        raise RuntimeError(f"{table}: the generated rows need contiguous ids")
    return low, count


@dataclass(frozen=True)
class Region:
    clients: int
    rows: dict[str, int]
    coach: str  # username of the coach pages are measured for
    caseload: int  # that coach's clients on their caseload
    manager: str
    account_manager: str
    dossier: int  # a client of that coach
    branch_team: str  # code of that coach's branch team
    vacancy: int  # the vacancy whose candidates are ranked

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def generate(clients: int) -> Region:
    """Fill the empty, migrated, reference-loaded database with a region of `clients` clients."""
    from agenda.models import Appointment
    from clients.models import Client
    from core import roles
    from core.models import Municipality, Team, User
    from documents.models import Document, DocumentKind
    from employers import services as employer_services
    from employers.models import CandidateProfile, Employer, Sector, Skill, Vacancy
    from trajectories.models import BranchTeam

    n = int(clients)
    sizes = base.generate(n)
    rows = {name: value for name, value in vars(sizes).items()}
    rows["employers"] = base.employers_for(n)
    roles.sync_roles()
    coaches = max(n // CASELOAD, 1)
    teams = max(coaches // TEAM_SIZE, 1)
    client0, _count = _ids("clients_client")
    municipality0, municipalities = _ids("core_municipality")
    employer0, employers = _range("employers_employer", "1 = 1")
    branch_ids = list(BranchTeam.objects.order_by("code").values_list("pk", flat=True))
    sector_ids = list(Sector.objects.order_by("pk").values_list("pk", flat=True))
    skill_ids = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    kind_id = DocumentKind.objects.order_by("pk").values_list("pk", flat=True).first()
    coach_group = _group(roles.WORK_COACH).pk

    def position(id_column: str) -> str:
        """A client's position among the clients (0-based), which gives its coach and team."""
        return f"({id_column} - {client0})"

    coach_index = f"({position('id')} % {coaches})"
    with transaction.atomic():
        rows["coaches"] = insert(
            User,
            {
                "password": f"'{PASSWORD}'",
                "username": "'bench-coach-' || i",
                "first_name": "'Coach'",
                "last_name": "'' || i",
                "is_superuser": "FALSE",
                "is_staff": "FALSE",
                "is_active": "TRUE",
                "date_joined": NOW,
                "email": "''",
            },
            source=_series(coaches),
        )
        user0, _count = _range("core_user", "username LIKE 'bench-coach-%'")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {User.groups.through._meta.db_table} (user_id, group_id) "  # noqa: S608
                f"SELECT id, {coach_group} FROM core_user WHERE username LIKE 'bench-coach-%'"
            )
        rows["teams"] = insert(Team, {"name": "'Bench team ' || i"}, source=_series(teams))
        team0, _count = _range("core_team", "name LIKE 'Bench team %'")
        team_of = _least(f"(u.id - {user0}) / {TEAM_SIZE}", str(teams - 1))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Team.members.through._meta.db_table} (team_id, user_id) "  # noqa: S608
                f"SELECT {team0} + {team_of}, u.id FROM core_user u "
                "WHERE u.username LIKE 'bench-coach-%'"
            )
            cursor.execute(
                f"INSERT INTO {BranchTeam.coaches.through._meta.db_table} "  # noqa: S608
                f"(branchteam_id, user_id) SELECT {_pick(f'u.id - {user0}', branch_ids)}, u.id "
                "FROM core_user u WHERE u.username LIKE 'bench-coach-%'"
            )
            team_index = _least(f"{coach_index} / {TEAM_SIZE}", str(teams - 1))
            cursor.execute(
                f"UPDATE clients_client SET coach_id = {user0} + {coach_index}, "  # noqa: S608
                f"team_id = {team0} + {team_index} "
                f"WHERE {position('id')} % {UNASSIGNED_EVERY} <> 7"
            )
            # Employee-route trajectories belong to the branch team of the client's coach.
            cursor.execute(
                "UPDATE trajectories_trajectory SET branch_team_id = "  # noqa: S608
                f"{_pick(f'(client_id - {client0}) % {coaches}', branch_ids)} "
                "WHERE route_id IN (SELECT id FROM trajectories_route WHERE code = 'employee')"
            )
        # The same appointments for a coach's j-th client at every scale: 3 a week or so.
        nth, round_ = f"((i % {n}) / {coaches})", f"(i / {n})"
        day = f"(({nth} * 7 + {round_} * 121) % 364) - 182"
        starts = _moment(day, f"8 + ({nth} + {round_}) % 8")
        rows["appointments"] = insert(
            Appointment,
            {
                "client_id": "c.id",
                "coach_id": "c.coach_id",
                "starts_at": starts,
                "duration_minutes": "45",
                "ends_at": _plus_minutes(starts, 45),
                "kind": base._case("i", ["progress", "progress", "intake", "job_coach"]),
                "channel": base._case("i", ["in_person", "phone", "video", "home_visit"]),
                "subject": "'Voortgang'",
                "status": f"CASE WHEN {day} >= 0 THEN 'planned' "
                "WHEN i % 5 = 0 THEN 'no_show' ELSE 'held' END",
            },
            source=f"{_series(n * APPOINTMENTS_PER_CLIENT)} "
            f"JOIN clients_client c ON c.id = {client0} + i % {n}",
            where="WHERE c.coach_id IS NOT NULL",
        )
        rows["documents"] = insert(
            Document,
            {
                "client_id": f"{client0} + i % {n}",
                "kind_id": str(kind_id),
                "description": "'Benchmark'",
                "original_name": "'bench.pdf'",
                "file": "'bench/bench.pdf'",
                "content_type": "'application/pdf'",
                "size": "1024",
                "dated_on": _day("2022-01-01", "(i * 13) % 1400"),
            },
            source=_series(n * DOCUMENTS_PER_CLIENT),
        )
        rows["vacancies"] = insert(
            Vacancy,
            {
                "employer_id": f"{employer0} + i % {employers}",
                "title": "'Vacature ' || i",
                "sector_id": _pick("i", sector_ids),
                "hours_per_week": "32",
                "municipality_id": f"{municipality0} + i % {municipalities}",
            },
            source=_series(max(n // CLIENTS_PER_VACANCY, 1)),
        )
        real = "DOUBLE PRECISION" if connection.vendor == "postgresql" else "REAL"
        rows["candidate_profiles"] = insert(
            CandidateProfile,
            {
                "client_id": "c.id",
                "hours_per_week": base._case("c.id", ["16", "20", "24", "32", "36"]).replace(
                    "'", ""
                ),
                "available_from": _day("2026-01-01", "c.id % 400"),
                "language_level": "'b1'",
                "driving_licence": "c.id % 2 = 0",
                "open_for_matching": "c.id % 10 <> 0",
                "latitude": f"CAST(m.latitude AS {real})",
                "longitude": f"CAST(m.longitude AS {real})",
            },
            source="clients_client c JOIN core_municipality m ON m.id = c.municipality_id",
            where=f"WHERE {position('c.id')} % 2 = 0",
        )
        with connection.cursor() as cursor:
            for through, column, ids, picks in (
                (CandidateProfile.sectors.through, "sector_id", sector_ids, 2),
                (CandidateProfile.skills.through, "skill_id", skill_ids, 3),
            ):
                for k in range(min(picks, len(ids))):
                    cursor.execute(
                        f"INSERT INTO {through._meta.db_table} (candidateprofile_id, {column}) "  # noqa: S608
                        f"SELECT p.id, {_pick(f'p.id * 7 + {k}', ids)} "
                        "FROM employers_candidateprofile p"
                    )
        manager = User.objects.create(username="bench-manager", password=PASSWORD)
        manager.groups.add(_group(roles.MANAGER))
        account_manager = User.objects.create(username="bench-account-manager", password=PASSWORD)
        account_manager.groups.add(_group(roles.ACCOUNT_MANAGER))
        vacancy = employer_services.vacancy_register(
            actor=None,
            employer=Employer.objects.order_by("pk").first(),
            title="Orderpicker",
            sector=Sector.objects.get(code="logistics"),
            hours_per_week=32,
            municipality=Municipality.objects.get(name="Assen"),
            register_rule="suitable",
            skills=Skill.objects.filter(code__in=["order_picking", "forklift"]),
        )
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    coach = User.objects.get(pk=user0)
    return Region(
        clients=n,
        rows=rows,
        coach=coach.username,
        caseload=Client.objects.filter(coach=coach).count(),
        manager=manager.username,
        account_manager=account_manager.username,
        dossier=client0,
        branch_team=BranchTeam.objects.get(pk=branch_ids[0]).code,
        vacancy=vacancy.pk,
    )


def _group(name: str):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)
