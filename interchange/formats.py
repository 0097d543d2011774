"""The files of interchange format version 1, declared column by column (spec/interchange.md).

Each FileSpec says which columns a file has, which are required, how a cell is parsed, which
values are unique within the file, which columns refer to another file, the checks across the
columns of one row, the checks against what the product holds already, and how a valid row
becomes the fields of a model. The engine (interchange.engine) reads, checks and writes every
file the same way from these declarations.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from clients.models import Channel, Client, Contact, DeregistrationReason, TargetGroup
from employers.models import Employer
from interchange import parsers as p
from placements.models import (
    Contract,
    Decision,
    Placement,
    PlacementKind,
    Provision,
    ProvisionKind,
    WageValueAssessment,
)
from trajectories.models import Outcome, Trajectory

# (column, message, code) problems of one row, found by a row check.
RowProblems = Iterable[tuple[str, str, str]]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] | None = None  # None: parsed by the context (lookups)
    required: bool = False
    unique: bool = False  # a repeat is reported at each later line, naming the first one
    echo: bool = True  # False: messages never repeat the value (a BSN)
    refers_to: str | None = None  # the file whose ref this column holds
    lookup: str | None = None  # a context lookup: "municipality", "route", "branch_team"


@dataclass
class FileSpec:
    name: str
    columns: tuple[Column, ...]
    model: type[models.Model] | None = None
    ref: str | None = None  # the column holding the source system's identifier
    # Model fields written, in order (`source_ref` first), and for each the SQL that computes
    # its value from a row of the staging table that holds the file's valid rows
    # (interchange.engine, "Staging"): `{column}` is the column's cell, `{id:column}` the id of
    # the record whose ref the cell holds, `{team:column}`, `{user:column}`, `{project:column}`
    # and `{group:column}` the team, user, project and project group it names, `{false}` false.
    fields: tuple[str, ...] = ()
    to_sql: tuple[str, ...] = ()
    check: Callable[[dict, Any, int], RowProblems] | None = None
    depends_on: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)
    # column -> model field written only when the file has that column: an absent column
    # leaves what the product holds (a client's team and coach, assigned in the product),
    # where an empty cell clears it. Other optional columns write their default when absent.
    kept_when_absent: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _end_after_start(values, start="start_date", end="end_date") -> RowProblems:
    if values.get(start) and values.get(end) and values[end] < values[start]:
        yield end, _("ends before it starts (%(start)s)") % {"start": values[start]}, "order"


def _together(values, date_column, reason_column) -> RowProblems:
    """A reason (outcome) is given with a date, and only then."""
    if values.get(date_column) and not values.get(reason_column):
        yield (
            reason_column,
            _("required when %(column)s is given") % {"column": date_column},
            ("required"),
        )
    if values.get(reason_column) and not values.get(date_column):
        yield (
            reason_column,
            _("only allowed when %(column)s is given") % {"column": date_column},
            "not_allowed",
        )


# clients.csv ---------------------------------------------------------------------------------


def _client_check(values, ctx, line) -> RowProblems:
    if (
        values.get("registered_on")
        and values.get("deregistered_on")
        and values["deregistered_on"] < values["registered_on"]
    ):
        yield (
            "deregistered_on",
            _("before registered_on (%(date)s)") % {"date": values["registered_on"]},
            "order",
        )
    yield from _together(values, "deregistered_on", "deregistration_reason")
    yield from ctx.assignment_check(values, line)


CLIENTS = FileSpec(
    name="clients.csv",
    model=Client,
    ref="client_ref",
    columns=(
        Column("client_ref", p.ref, required=True, unique=True),
        Column("bsn", p.bsn, required=True, unique=True, echo=False),
        Column("first_name", p.name(150), required=True),
        Column("name_prefix", p.name(30)),
        Column("last_name", p.name(150), required=True),
        Column("birth_date", p.date, required=True),
        Column("postcode", p.postcode),
        Column("municipality", required=True, lookup="municipality"),
        Column("target_group", p.code(TargetGroup), required=True),
        Column("target_group_register", p.boolean),
        Column("registered_on", p.date, required=True),
        Column("deregistered_on", p.date),
        Column("deregistration_reason", p.code(DeregistrationReason)),
        # 1.1: by the team's name (created if new) and the coach's username (an account of the
        # product, made a member of the team). A coach without a team gets none: the client is
        # in the coach's caseload, the team is left for someone to choose.
        Column("team", p.text(100)),
        Column("coach", p.text(150)),
    ),
    fields=(
        "source_ref",
        "bsn",
        "first_name",
        "name_prefix",
        "last_name",
        "birth_date",
        "postcode",
        "municipality_id",
        "target_group",
        "target_group_register",
        "registered_on",
        "deregistered_on",
        "deregistration_reason",
        "team_id",
        "coach_id",
    ),
    check=_client_check,
    to_sql=(
        "{client_ref}",
        "{bsn}",
        "{first_name}",
        "COALESCE({name_prefix}, '')",
        "{last_name}",
        "{birth_date}",
        "COALESCE({postcode}, '')",
        "{municipality}",
        "{target_group}",
        "COALESCE({target_group_register}, {false})",
        "{registered_on}",
        "{deregistered_on}",
        "COALESCE({deregistration_reason}, '')",
        "{team:team}",
        "{user:coach}",
    ),
    kept_when_absent={"team": "team_id", "coach": "coach_id"},
)

# employers.csv -------------------------------------------------------------------------------


EMPLOYERS = FileSpec(
    name="employers.csv",
    model=Employer,
    ref="employer_ref",
    columns=(
        Column("employer_ref", p.ref, required=True, unique=True),
        Column("name", p.text(200), required=True),
        Column("kvk_number", p.kvk, unique=True),
        Column("municipality", lookup="municipality"),
        Column("social_enterprise", p.boolean),
    ),
    fields=("source_ref", "name", "kvk_number", "municipality_id", "social_enterprise"),
    # A KvK number another employer holds: interchange.engine._check_against_product.
    to_sql=(
        "{employer_ref}",
        "{name}",
        "{kvk_number}",
        "{municipality}",
        "COALESCE({social_enterprise}, {false})",
    ),
)

# service_area.csv ----------------------------------------------------------------------------

SERVICE_AREA = FileSpec(
    name="service_area.csv",
    columns=(Column("municipality", required=True, unique=True, lookup="municipality"),),
)

# trajectories.csv ----------------------------------------------------------------------------


def _trajectory_check(values, ctx, line) -> RowProblems:
    yield from _end_after_start(values)
    yield from _together(values, "end_date", "outcome")
    if values.get("project_group") and not values.get("project"):
        yield "project_group", _("only allowed with a project"), "not_allowed"
    yield from ctx.trajectory_check(values, line)


TRAJECTORIES = FileSpec(
    name="trajectories.csv",
    model=Trajectory,
    ref="trajectory_ref",
    depends_on=("clients.csv",),
    columns=(
        Column("trajectory_ref", p.ref, required=True, unique=True),
        Column("client_ref", p.ref, required=True, refers_to="clients.csv"),
        Column("route", required=True, lookup="route"),
        Column("branch_team", lookup="branch_team"),
        Column("start_date", p.date, required=True),
        Column("end_date", p.date),
        Column("outcome", p.code(Outcome)),
        Column("project", p.slug(40)),
        Column("project_group", p.text(150)),
    ),
    fields=(
        "source_ref",
        "client_id",
        "route_id",
        "branch_team_id",
        "start_date",
        "end_date",
        "outcome",
        "project_id",
        "project_group_id",
    ),
    check=_trajectory_check,
    to_sql=(
        "{trajectory_ref}",
        "{id:client_ref}",
        "{route}",
        "{branch_team}",
        "{start_date}",
        "{end_date}",
        "COALESCE({outcome}, '')",
        "{project:project}",
        "{group:project_group}",
    ),
)

# contacts.csv --------------------------------------------------------------------------------


CONTACTS = FileSpec(
    name="contacts.csv",
    model=Contact,
    ref="contact_ref",
    depends_on=("clients.csv",),
    columns=(
        Column("contact_ref", p.ref, required=True, unique=True),
        Column("client_ref", p.ref, required=True, refers_to="clients.csv"),
        Column("date", p.date, required=True),
        Column("channel", p.code(Channel), required=True),
        Column("subject", p.text(200)),
    ),
    fields=("source_ref", "client_id", "date", "channel", "subject"),
    to_sql=("{contact_ref}", "{id:client_ref}", "{date}", "{channel}", "COALESCE({subject}, '')"),
)

# placements.csv ------------------------------------------------------------------------------


def _placement_check(values, ctx, line) -> RowProblems:
    yield from _end_after_start(values)


PLACEMENTS = FileSpec(
    name="placements.csv",
    model=Placement,
    ref="placement_ref",
    depends_on=("clients.csv", "employers.csv"),
    columns=(
        Column("placement_ref", p.ref, required=True, unique=True),
        Column("client_ref", p.ref, required=True, refers_to="clients.csv"),
        Column("employer_ref", p.ref, required=True, refers_to="employers.csv"),
        Column("kind", p.code(PlacementKind), required=True),
        Column("start_date", p.date, required=True),
        Column("end_date", p.date),
        Column("contract", p.code(Contract)),
        Column("hours_per_week", p.decimal(above=Decimal(0), maximum=Decimal(40))),
        Column("sroi", p.boolean),
    ),
    fields=(
        "source_ref",
        "client_id",
        "employer_id",
        "kind",
        "start_date",
        "end_date",
        "contract",
        "hours_per_week",
        "sroi",
    ),
    check=_placement_check,
    to_sql=(
        "{placement_ref}",
        "{id:client_ref}",
        "{id:employer_ref}",
        "{kind}",
        "{start_date}",
        "{end_date}",
        "COALESCE({contract}, '')",
        "{hours_per_week}",
        "COALESCE({sroi}, {false})",
    ),
)

# wage_value_assessments.csv ------------------------------------------------------------------


WAGE_VALUE_ASSESSMENTS = FileSpec(
    name="wage_value_assessments.csv",
    model=WageValueAssessment,
    ref="assessment_ref",
    depends_on=("clients.csv", "placements.csv"),
    columns=(
        Column("assessment_ref", p.ref, required=True, unique=True),
        Column("client_ref", p.ref, required=True, refers_to="clients.csv"),
        Column("placement_ref", p.ref, refers_to="placements.csv"),
        Column("assessed_on", p.date, required=True),
        Column(
            "wage_value_percent",
            p.decimal(minimum=Decimal(0), maximum=Decimal(100)),
            required=True,
        ),
        Column("method", p.text(200)),
    ),
    fields=(
        "source_ref",
        "client_id",
        "placement_id",
        "assessed_on",
        "wage_value_percent",
        "method",
    ),
    # The placement's client: interchange.engine._check_against_product.
    to_sql=(
        "{assessment_ref}",
        "{id:client_ref}",
        "{id:placement_ref}",
        "{assessed_on}",
        "{wage_value_percent}",
        "COALESCE({method}, '')",
    ),
)

# provisions.csv ------------------------------------------------------------------------------


def _provision_check(values, ctx, line) -> RowProblems:
    # The placement's client: interchange.engine._check_against_product.
    yield from _end_after_start(values)


PROVISIONS = FileSpec(
    name="provisions.csv",
    model=Provision,
    ref="provision_ref",
    depends_on=("clients.csv", "placements.csv"),
    columns=(
        Column("provision_ref", p.ref, required=True, unique=True),
        Column("client_ref", p.ref, required=True, refers_to="clients.csv"),
        Column("placement_ref", p.ref, refers_to="placements.csv"),
        Column("kind", p.code(ProvisionKind), required=True),
        Column("granted_on", p.date, required=True),
        Column("start_date", p.date),
        Column("end_date", p.date),
        Column("amount_eur", p.decimal(minimum=Decimal(0), maximum=Decimal("99999999.99"))),
    ),
    # interchange.md's granted_on is the decision date of a granted provision.
    fields=(
        "source_ref",
        "client_id",
        "placement_id",
        "kind",
        "decision",
        "decided_on",
        "start_date",
        "end_date",
        "amount_eur",
    ),
    check=_provision_check,
    to_sql=(
        "{provision_ref}",
        "{id:client_ref}",
        "{id:placement_ref}",
        "{kind}",
        f"'{Decision.GRANTED.value}'",
        "{granted_on}",
        "{start_date}",
        "{end_date}",
        "{amount_eur}",
    ),
)

# The files in the order they are checked and written: a file comes after those it refers to.
FILES: list[FileSpec] = [
    CLIENTS,
    EMPLOYERS,
    SERVICE_AREA,
    TRAJECTORIES,
    CONTACTS,
    PLACEMENTS,
    WAGE_VALUE_ASSESSMENTS,
    PROVISIONS,
]
REQUIRED_FILES = ("clients.csv",)


def by_name() -> dict[str, FileSpec]:
    return {spec.name: spec for spec in FILES}
