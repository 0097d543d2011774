"""Demo data to try the product with (`seed_demo`): staff and teams here, the rest per app.

Each domain app adds its part through DEMO_STEPS (clients/demo.py: clients with their contacts,
intakes and measurements; employers/demo.py; placements/demo.py), so core imports no domain app.
Everything comes from one seeded `random.Random` in the DemoContext, so a seed gives the same
people on every run (dates are relative to today). Steps write with `bulk_create` in chunks, so
memory and the number of queries stay bounded however many clients are asked for.
`bulk_create` sends no signals, so auditlog records nothing: intended, this is no casework.
The data are fictitious; the names are common ones, the BSNs come from the test range.
"""

import dataclasses
import datetime
import random
from collections.abc import Callable, Iterator
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core import roles
from core.models import Municipality, Team, User
from core.reference import load_reference_data
from core.registry import OrderedRegistry
from core.validators import bsn_check_digit

DEMO_PASSWORD = "welkom-bij-de-demo"


class DemoRefused(Exception):
    """The database already holds demo or real data; demo data would mix with it."""


# --- Staff --------------------------------------------------------------------------------------

TEAM_ASSEN = "Team Assen"
TEAM_AA_EN_HUNZE = "Team Aa en Hunze"
TEAM_TYNAARLO = "Team Tynaarlo"
TEAMS = [TEAM_ASSEN, TEAM_AA_EN_HUNZE, TEAM_TYNAARLO]


class DemoUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    team: str | None = None
    is_staff: bool = False


MAIN_COACH = "coach"
DIAGNOSIS = "diagnose"
DEMO_USERS = [
    DemoUser(MAIN_COACH, "Sanne", "de Vries", roles.WORK_COACH, TEAM_ASSEN),
    DemoUser(DIAGNOSIS, "Ingrid", "Hoekstra", roles.DIAGNOSIS_CONSULTANT, TEAM_ASSEN),
    DemoUser("accountmanager", "Peter", "Jansen", roles.ACCOUNT_MANAGER),
    DemoUser("manager", "Marieke", "Veenstra", roles.MANAGER),
    DemoUser("beheerder", "Henk", "Mulder", roles.FUNCTIONAL_ADMIN, is_staff=True),
    DemoUser("mbakker", "Mark", "Bakker", roles.WORK_COACH, TEAM_ASSEN),
    DemoUser("lvisser", "Lisa", "Visser", roles.WORK_COACH, TEAM_ASSEN),
    DemoUser("yelamrani", "Yasmina", "El Amrani", roles.WORK_COACH, TEAM_ASSEN),
    DemoUser("jsmit", "Jeroen", "Smit", roles.WORK_COACH, TEAM_TYNAARLO),
    DemoUser("ameijer", "Anouk", "Meijer", roles.WORK_COACH, TEAM_TYNAARLO),
    DemoUser("tdijkstra", "Tom", "Dijkstra", roles.WORK_COACH, TEAM_TYNAARLO),
    DemoUser("ebos", "Esther", "Bos", roles.WORK_COACH, TEAM_AA_EN_HUNZE),
    DemoUser("rvandijk", "Rob", "van Dijk", roles.WORK_COACH, TEAM_AA_EN_HUNZE),
]


DEMO_SERVICE_AREA = ("Aa en Hunze", "Assen", "Tynaarlo")


# --- The steps each app adds --------------------------------------------------------------------


@dataclasses.dataclass
class DemoContext:
    """What every step shares: the random stream, today, the staff, and what was made."""

    rng: random.Random
    today: datetime.date
    clients: int  # how many clients were asked for
    staff: "Staff"
    counts: dict[str, int] = dataclasses.field(default_factory=dict)  # label -> how many

    def count(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n


@dataclasses.dataclass(frozen=True)
class DemoStep:
    """One app's part of the demo: `seed` writes it; `holds_data` says the database has some
    already (the demo then refuses, so it never mixes with real data)."""

    seed: Callable[[DemoContext], None]
    holds_data: Callable[[], bool] = lambda: False


# Providers are DemoSteps, run in order after the staff exist (AppConfig.ready registers them).
DEMO_STEPS = OrderedRegistry()


def holds_data() -> bool:
    """Whether any app's step finds data of its own (`seed_demo --if-empty`)."""
    return any(step.holds_data() for step in DEMO_STEPS)


@transaction.atomic
def seed_demo(*, clients: int = 300, seed: int = 1) -> dict[str, int]:
    """Fill a database without clients with reproducible demo staff, clients and history;
    returns what was made, by label, in the order the steps made it."""
    if holds_data():
        raise DemoRefused(
            "The database already has clients; seed_demo only fills an empty database. "
            "Use a fresh database (for example DATABASE_URL=sqlite:////tmp/demo.sqlite3) "
            "and run migrate first."
        )
    load_reference_data()
    demo_service_area()
    staff = _create_staff()
    context = DemoContext(
        rng=random.Random(seed), today=timezone.localdate(), clients=clients, staff=staff
    )
    context.count("users", len(staff.users))
    context.count("teams", len(staff.team_ids))
    for step in DEMO_STEPS:
        step.seed(context)
    return context.counts


def demo_service_area() -> None:
    """The demo company works for three municipalities of Drenthe.

    A real company chooses its own (core.views.ServiceAreaView, or service_area.csv on import).
    """
    Municipality.objects.filter(name__in=DEMO_SERVICE_AREA).update(in_service_area=True)


def bsns_from_test_range() -> Iterator[str]:
    """Valid BSNs, counting down from 999999999."""
    # Of the ten numbers sharing eight leading digits at most one passes the eleven-test, and
    # its last digit follows from the first eight: walking the prefixes down yields exactly the
    # valid numbers below 999999999, in order, ten times faster than testing each number.
    # 999xxxxxx (the range of test persons) holds about 90,900 of them; a demo with more
    # clients continues into 998xxxxxx, which is fine for fictitious people.
    for prefix in range(99_999_999, 0, -1):
        digits = f"{prefix:08d}"
        check = bsn_check_digit(digits)
        if check is not None:
            yield f"{digits}{check}"


# --- Staff creation -----------------------------------------------------------------------------


@dataclasses.dataclass
class Staff:
    users: dict[str, User]
    team_ids: dict[str, int]
    coaches: dict[str, list[User]]  # work coaches per team, other than the main coach


def _create_staff() -> Staff:
    """Create (or reset, if a previous demo left them) the demo users, teams and memberships."""
    password = make_password(DEMO_PASSWORD)  # slow by design: hash once, share the hash
    users = User.objects.bulk_create(
        [
            User(
                username=u.username,
                first_name=u.first_name,
                last_name=u.last_name,
                email=f"{u.username}@example.com",
                is_staff=u.is_staff,
                password=password,
            )
            for u in DEMO_USERS
        ],
        update_conflicts=True,
        unique_fields=["username"],
        update_fields=["first_name", "last_name", "email", "is_staff", "password", "is_active"],
    )
    by_name = {user.username: user for user in users}
    teams = {name: Team.objects.get_or_create(name=name)[0].pk for name in TEAMS}
    groups = dict(Group.objects.filter(name__in=roles.PERMISSIONS).values_list("name", "pk"))
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=by_name[u.username].pk, group_id=groups[u.role])
            for u in DEMO_USERS
        ],
        ignore_conflicts=True,
    )
    Team.members.through.objects.bulk_create(
        [
            Team.members.through(team_id=teams[u.team], user_id=by_name[u.username].pk)
            for u in DEMO_USERS
            if u.team
        ],
        ignore_conflicts=True,
    )
    coaches = {
        team: [
            by_name[u.username]
            for u in DEMO_USERS
            if u.team == team and u.role == roles.WORK_COACH and u.username != MAIN_COACH
        ]
        for team in TEAMS
    }
    return Staff(users=by_name, team_ids=teams, coaches=coaches)
