"""The import benchmark: a generated interchange folder, and the same rows in table form.

`generate(folder, clients=N)` writes an interchange folder of N clients with 10 contacts each and
proportional other files (PERFORMANCE.md's data: 100,000 clients, 1,000,000 contacts, 60,000
trajectories, 2,000 employers, 30,000 placements; plus 10,000 wage-value assessments and 10,000
provisions), and next to it the same rows as PostgreSQL COPY text in table form (ids and foreign
keys resolved), which the baseline loads with a plain COPY. Everything is streamed to disk.
"""

import csv
import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from clients.models import Channel, DeregistrationReason, TargetGroup
from core.models import Municipality
from core.validators import bsn_check_digit
from placements.models import PlacementKind, ProvisionKind
from trajectories.models import BranchTeam, Outcome, Route

FIRST = ["Selam", "Mohammed", "Fatima", "Jan", "Anna", "ሰላም", "محمد", "Daan", "Sanne", "Yusuf"]
LAST = ["Tesfay", "El Amrani", "de Vries", "Jansen", "العلي", "ተስፋይ", "Bakker", "Visser"]
PREFIX = ["", "", "", "van", "de", "van der"]


def bsn_number(i: int) -> str:
    """The i-th of a series of distinct nine-digit numbers that pass the eleven-test."""
    base = 10_000_000 + 2 * i
    for candidate in (base, base + 1):
        check = bsn_check_digit(f"{candidate:08d}")
        if check is not None:
            return f"{candidate:08d}{check}"
    raise AssertionError("unreachable")


@dataclass
class Generated:
    rows: dict[str, int]
    tables: dict[str, tuple[str, list[str], Path]]  # file -> (table, columns, COPY text file)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _defaults(table: str, columns: list[str]) -> dict:
    """The table's NOT NULL columns not in `columns`, with their model field's default: so a
    column added to a model later does not break the table form."""
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    extra = {}
    for field in model._meta.local_concrete_fields:
        if field.column in columns or field.null or field.primary_key:
            continue
        if field.has_default():
            extra[field.column] = field.get_db_prep_save(field.get_default(), connection)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            extra[field.column] = timezone.now()
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            extra[field.column] = ""
    return extra


class _Out:
    """One interchange CSV and its table-form COPY file, written side by side."""

    def __init__(self, folder: Path, name: str, header: list[str], table: str, columns: list[str]):
        self.csv_file = open(folder / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.csv = csv.writer(self.csv_file)
        self.csv.writerow(header)
        self.copy_path = folder.parent / f"{folder.name}-table-form" / f"{table}.tsv"
        self.copy_path.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file = open(self.copy_path, "w", encoding="utf-8")  # noqa: SIM115
        self.extra = _defaults(table, columns)
        self.table, self.columns, self.count = table, columns + list(self.extra), 0

    def row(self, cells: list, table_row: list):
        self.csv.writerow(["" if c is None else c for c in cells])
        table_row = [*table_row, *self.extra.values()]
        self.copy_file.write("\t".join(_copy_text(v) for v in table_row) + "\n")
        self.count += 1

    def close(self):
        self.csv_file.close()
        self.copy_file.close()


def generate(folder: Path, *, clients: int, seed: int = 8) -> Generated:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    # Names valid today: a merged-away one would be refused for these recent registrations.
    municipalities = list(Municipality.objects.current().order_by("name").values_list("name", "pk"))
    routes = dict(Route.objects.values_list("code", "pk"))
    teams = dict(BranchTeam.objects.values_list("code", "pk"))
    start = datetime.date(2015, 1, 1)

    def day(offset_max: int, base=start) -> datetime.date:
        return base + datetime.timedelta(days=rng.randrange(offset_max))

    outs = {}

    # clients.csv
    out = outs["clients.csv"] = _Out(
        folder,
        "clients.csv",
        [
            "client_ref",
            "bsn",
            "first_name",
            "name_prefix",
            "last_name",
            "birth_date",
            "postcode",
            "municipality",
            "target_group",
            "target_group_register",
            "registered_on",
            "deregistered_on",
            "deregistration_reason",
        ],
        "clients_client",
        [
            "id", "source_ref", "bsn", "first_name", "name_prefix", "last_name", "birth_date",
            "postcode", "municipality_id", "target_group", "target_group_register",
            "registered_on", "deregistered_on", "deregistration_reason", "email", "phone",
            "address", "coach_id", "team_id", "anonymised_at", "created_at", "updated_at",
            "version",
        ],
    )  # fmt: skip
    groups, reasons = list(TargetGroup.values), list(DeregistrationReason.values)
    for i in range(1, clients + 1):
        name, mun_id = municipalities[rng.randrange(len(municipalities))]
        registered = day(3000)
        left = registered + datetime.timedelta(days=rng.randrange(30, 900)) if i % 5 == 0 else None
        reason = reasons[i % len(reasons)] if left else ""
        cells = [
            f"C{i}", bsn_number(i), FIRST[i % len(FIRST)], PREFIX[i % len(PREFIX)],
            LAST[i % len(LAST)], day(15000, datetime.date(1960, 1, 1)).isoformat(),
            f"{9400 + i % 90} AB", name, groups[i % len(groups)], "ja" if i % 7 == 0 else "nee",
            registered.isoformat(), left.isoformat() if left else "", reason,
        ]  # fmt: skip
        table_row = [
            i, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], mun_id,
            cells[8], i % 7 == 0, cells[10], left, reason, "", "", "", None, None, None, now,
            now, 1,
        ]  # fmt: skip
        out.row(cells, table_row)

    # employers.csv
    employers = max(clients // 50, 1)
    out = outs["employers.csv"] = _Out(
        folder,
        "employers.csv",
        ["employer_ref", "name", "kvk_number", "municipality", "social_enterprise"],
        "employers_employer",
        [
            "id", "source_ref", "name", "kvk_number", "municipality_id", "social_enterprise",
            "address", "postcode", "sbi_code", "account_manager_id", "notes", "created_at",
            "updated_at", "version",
        ],
    )  # fmt: skip
    for i in range(1, employers + 1):
        name, mun_id = municipalities[i % len(municipalities)]
        social = i % 10 == 0
        cells = [f"E{i}", f"Werkgever {i} BV", f"{10_000_000 + i}", name, "1" if social else "0"]
        out.row(
            cells,
            [i, cells[0], cells[1], cells[2], mun_id, social, "", "", "", None, "", now, now, 1],
        )

    # trajectories.csv: 60% of the clients have one.
    out = outs["trajectories.csv"] = _Out(
        folder,
        "trajectories.csv",
        [
            "trajectory_ref", "client_ref", "route", "branch_team", "start_date", "end_date",
            "outcome", "project", "project_group",
        ],
        "trajectories_trajectory",
        [
            "id", "source_ref", "client_id", "route_id", "branch_team_id", "start_date",
            "end_date", "outcome", "project_id", "project_group_id", "coach_id", "created_at",
            "updated_at",
        ],
    )  # fmt: skip
    route_codes, outcomes = sorted(routes), list(Outcome.values)
    for i in range(1, clients * 6 // 10 + 1):
        route = route_codes[i % len(route_codes)]
        team = sorted(teams)[i % len(teams)] if route == "employee" else ""
        begun = day(2500)
        ended = begun + datetime.timedelta(days=rng.randrange(30, 800)) if i % 2 else None
        outcome = outcomes[i % len(outcomes)] if ended else ""
        cells = [
            f"T{i}", f"C{i}", route, team, begun.isoformat(),
            ended.isoformat() if ended else "", outcome, "", "",
        ]  # fmt: skip
        out.row(
            cells,
            [
                i, cells[0], i, routes[route], teams.get(team), begun, ended, outcome, None, None,
                None, now, now,
            ],
        )  # fmt: skip

    # contacts.csv: ten per client.
    out = outs["contacts.csv"] = _Out(
        folder,
        "contacts.csv",
        ["contact_ref", "client_ref", "date", "channel", "subject"],
        "clients_contact",
        [
            "id", "source_ref", "client_id", "date", "channel", "subject", "notes", "author_id",
            "created_at",
        ],
    )  # fmt: skip
    channels = list(Channel.values)
    for j in range(1, clients * 10 + 1):
        client = (j - 1) // 10 + 1
        when = day(3650)
        subject = "Voortgangsgesprek" if j % 3 else ""
        cells = [f"K{j}", f"C{client}", when.isoformat(), channels[j % len(channels)], subject]
        out.row(cells, [j, cells[0], client, when, cells[3], subject, "", None, now])

    # placements.csv: 30% of the clients.
    out = outs["placements.csv"] = _Out(
        folder,
        "placements.csv",
        [
            "placement_ref", "client_ref", "employer_ref", "kind", "start_date", "end_date",
            "contract", "hours_per_week", "sroi",
        ],
        "placements_placement",
        [
            "id", "source_ref", "client_id", "employer_id", "kind", "start_date", "end_date",
            "contract", "hours_per_week", "sroi", "job_title", "contract_end_date",
            "hourly_wage", "end_reason", "notes", "created_at", "updated_at", "version",
        ],
    )  # fmt: skip
    kinds = list(PlacementKind.values)
    placements = clients * 3 // 10
    for i in range(1, placements + 1):
        employer = i % employers + 1
        begun = day(3000)
        hours = f"{rng.randrange(8, 41)}"
        cells = [
            f"P{i}", f"C{i}", f"E{employer}", kinds[i % len(kinds)], begun.isoformat(), "",
            "temporary", hours, "ja" if i % 4 == 0 else "",
        ]  # fmt: skip
        out.row(
            cells,
            [
                i, cells[0], i, employer, cells[3], begun, None, "temporary", hours, i % 4 == 0,
                "", None, None, "", "", now, now, 1,
            ],
        )  # fmt: skip

    # wage_value_assessments.csv and provisions.csv: for a third of the placements.
    out = outs["wage_value_assessments.csv"] = _Out(
        folder,
        "wage_value_assessments.csv",
        [
            "assessment_ref", "client_ref", "placement_ref", "assessed_on",
            "wage_value_percent", "method",
        ],
        "placements_wagevalueassessment",
        [
            "id", "source_ref", "client_id", "placement_id", "assessed_on",
            "wage_value_percent", "method", "assessor", "reference_job", "notes",
            "recorded_by_id", "created_at", "updated_at", "version",
        ],
    )  # fmt: skip
    for i in range(1, placements // 3 + 1):
        on = day(3000)
        value = f"{rng.randrange(20, 100)}.5"
        cells = [f"W{i}", f"C{i}", f"P{i}", on.isoformat(), value, "Dariuz"]
        out.row(
            cells,
            [i, cells[0], i, i, on, value, "Dariuz", "", "", "", None, now, now, 1],
        )
    out = outs["provisions.csv"] = _Out(
        folder,
        "provisions.csv",
        [
            "provision_ref", "client_ref", "placement_ref", "kind", "granted_on", "start_date",
            "end_date", "amount_eur",
        ],
        "placements_provision",
        [
            "id", "source_ref", "client_id", "placement_id", "kind", "decision", "decided_on",
            "start_date", "end_date", "amount_eur", "requested_on", "reassess_on",
            "job_coach_kind", "job_coach_hours", "notes", "created_at", "updated_at", "version",
        ],
    )  # fmt: skip
    provision_kinds = list(ProvisionKind.values)
    for i in range(1, placements // 3 + 1):
        on = day(3000)
        cells = [
            f"V{i}", f"C{i}", f"P{i}", provision_kinds[i % len(provision_kinds)],
            on.isoformat(), on.isoformat(), "", "948.48",
        ]  # fmt: skip
        out.row(
            cells,
            [
                i, cells[0], i, i, cells[3], "granted", on, on, None, "948.48", None, None, "",
                None, "", now, now, 1,
            ],
        )  # fmt: skip

    for out in outs.values():
        out.close()
    return Generated(
        rows={name: out.count for name, out in outs.items()},
        tables={name: (out.table, out.columns, out.copy_path) for name, out in outs.items()},
    )
