"""The export of everything the interchange format can carry (spec/interchange.md, "Export").

Comma-delimited, UTF-8 without byte-order mark, rows in a fixed order (by primary key, which an
import into an empty database gives in file order), so export, import into an empty database
and export again gives identical files. Records entered in the product have no source
reference: the export gives them `wo-<id>` and keeps it as theirs (interchange.md: "records made
in the product are exported with refs of their own, which the product keeps"), so importing the
export back into the same database finds every record by its ref and changes nothing.

Anonymised clients have no BSN, which clients.csv requires: they and their records are left out.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from clients.models import Client, Contact
from config.routers import reading_from_replica
from core.models import Municipality
from employers.models import Employer
from interchange import formats
from placements.models import Decision, Placement, Provision, WageValueAssessment
from trajectories.models import Trajectory

GENERATED_PREFIX = "wo-"
# Every model with a source_ref the format carries.
MODELS = (Client, Contact, Trajectory, Employer, Placement, WageValueAssessment, Provision)


class ExportRefused(Exception):
    pass


def cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime.date | Decimal):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return str(value)


def _check_generated_refs(model):
    """A generated `wo-<id>` must not be a reference some imported record already has."""
    taken = set(
        model.objects.filter(source_ref__startswith=GENERATED_PREFIX).values_list(
            "source_ref", flat=True
        )
    )
    if not taken:
        return
    clash = model.objects.filter(source_ref__isnull=True).values_list("pk", flat=True)
    for pk in clash.iterator():
        if f"{GENERATED_PREFIX}{pk}" in taken:
            raise ExportRefused(
                _("%(model)s %(pk)d would be exported as %(ref)s, a reference already in use")
                % {"model": model._meta.verbose_name, "pk": pk, "ref": f"{GENERATED_PREFIX}{pk}"}
            )


@transaction.atomic
def assign_refs() -> dict[str, int]:
    """Give every record without a source reference its `wo-<id>` and keep it: one UPDATE per
    model, all or none. Refused (ExportRefused) when one of them is already another's ref."""
    assigned = {}
    for model in MODELS:
        _check_generated_refs(model)
        generated = Concat(
            models.Value(GENERATED_PREFIX),
            Cast("pk", models.CharField()),
            output_field=models.CharField(),
        )
        try:
            with transaction.atomic():
                count = model.objects.filter(source_ref__isnull=True).update(source_ref=generated)
        except IntegrityError:  # an import wrote such a ref since the check: try again later
            raise ExportRefused(
                _("%(model)s: a generated reference is already in use; export again")
                % {"model": model._meta.verbose_name_plural}
            ) from None
        assigned[model._meta.label] = count
    return assigned


def _ref(pk, source_ref) -> str:
    return source_ref if source_ref is not None else f"{GENERATED_PREFIX}{pk}"


def _refs(queryset) -> dict[int, str]:
    return {pk: _ref(pk, ref) for pk, ref in queryset.values_list("pk", "source_ref")}


def _clients() -> Iterator[tuple]:
    rows = (
        Client.objects.filter(anonymised_at__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "source_ref",
            "bsn",
            "first_name",
            "name_prefix",
            "last_name",
            "birth_date",
            "postcode",
            "municipality__name",
            "target_group",
            "target_group_register",
            "registered_on",
            "deregistered_on",
            "deregistration_reason",
            "team__name",
            "coach__username",
        )
    )
    for pk, ref, *rest in rows.iterator(chunk_size=5_000):
        yield (_ref(pk, ref), *rest)


def _employers() -> Iterator[tuple]:
    rows = Employer.objects.order_by("pk").values_list(
        "pk", "source_ref", "name", "kvk_number", "municipality__name", "social_enterprise"
    )
    for pk, ref, *rest in rows.iterator(chunk_size=5_000):
        yield (_ref(pk, ref), *rest)


def _service_area() -> Iterator[tuple]:
    for name in Municipality.objects.service_area().order_by("name").values_list("name", flat=True):
        yield (name,)


def _client_refs() -> dict[int, str]:
    return _refs(Client.objects.filter(anonymised_at__isnull=True))


def _trajectories(client_refs) -> Iterator[tuple]:
    rows = (
        Trajectory.objects.filter(client__anonymised_at__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "source_ref",
            "client_id",
            "route__code",
            "branch_team__code",
            "start_date",
            "end_date",
            "outcome",
            "project__code",
            "project_group__name",
        )
    )
    for pk, ref, client_id, *rest in rows.iterator(chunk_size=5_000):
        yield (_ref(pk, ref), client_refs[client_id], *rest)


def _contacts(client_refs) -> Iterator[tuple]:
    rows = (
        Contact.objects.filter(client__anonymised_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "source_ref", "client_id", "date", "channel", "subject")
    )
    for pk, ref, client_id, *rest in rows.iterator(chunk_size=10_000):
        yield (_ref(pk, ref), client_refs[client_id], *rest)


def _placements(client_refs, employer_refs) -> Iterator[tuple]:
    rows = (
        Placement.objects.filter(client__anonymised_at__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "source_ref",
            "client_id",
            "employer_id",
            "kind",
            "start_date",
            "end_date",
            "contract",
            "hours_per_week",
            "sroi",
        )
    )
    for pk, ref, client_id, employer_id, *rest in rows.iterator(chunk_size=5_000):
        yield (_ref(pk, ref), client_refs[client_id], employer_refs[employer_id], *rest)


def _assessments(client_refs, placement_refs) -> Iterator[tuple]:
    rows = (
        WageValueAssessment.objects.filter(client__anonymised_at__isnull=True)
        .order_by("pk")
        .values_list(
            "pk",
            "source_ref",
            "client_id",
            "placement_id",
            "assessed_on",
            "wage_value_percent",
            "method",
        )
    )
    for pk, ref, client_id, placement_id, *rest in rows.iterator(chunk_size=5_000):
        yield (_ref(pk, ref), client_refs[client_id], placement_refs.get(placement_id), *rest)


def _provisions(client_refs, placement_refs) -> Iterator[tuple]:
    # The format carries granted provisions (granted_on); requests still pending or refused
    # have no place in it.
    rows = (
        Provision.objects.filter(client__anonymised_at__isnull=True, decision=Decision.GRANTED)
        .order_by("pk")
        .values_list(
            "pk",
            "source_ref",
            "client_id",
            "placement_id",
            "kind",
            "decided_on",
            "start_date",
            "end_date",
            "amount_eur",
        )
    )
    for pk, ref, client_id, placement_id, *rest in rows.iterator(chunk_size=5_000):
        yield (_ref(pk, ref), client_refs[client_id], placement_refs.get(placement_id), *rest)


def _write(path: Path, header: Iterable[str], rows: Iterable[tuple]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)  # RFC 4180: comma, CRLF, quotes where needed
        out.writerow(header)
        for row in rows:
            out.writerow([cell(v) for v in row])
            count += 1
    return count


def export_folder(folder: Path | str) -> dict[str, int]:
    """Write every file of the format into the folder; returns rows written per file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    assign_refs()
    # The rest only reads: from the replica when DATABASE_REPLICA_URL is set (config.routers);
    # a replica behind by a moment writes the same refs, as _ref() derives them from the ids.
    with reading_from_replica():
        client_refs = _client_refs()
        employer_refs = _refs(Employer.objects.all())
        placement_refs = _refs(Placement.objects.filter(client__anonymised_at__isnull=True))
        producers = {
            "clients.csv": _clients,
            "employers.csv": _employers,
            "service_area.csv": _service_area,
            "trajectories.csv": lambda: _trajectories(client_refs),
            "contacts.csv": lambda: _contacts(client_refs),
            "placements.csv": lambda: _placements(client_refs, employer_refs),
            "wage_value_assessments.csv": lambda: _assessments(client_refs, placement_refs),
            "provisions.csv": lambda: _provisions(client_refs, placement_refs),
        }
        written = {}
        for spec in formats.FILES:
            if spec.name in producers:
                rows = producers[spec.name]()
                written[spec.name] = _write(folder / spec.name, spec.column_names, rows)
        return written
