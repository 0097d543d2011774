"""Every Dutch municipality, from CBS's list (core/data/municipalities.csv and its README).

`load()` is the one way the list reaches the database: the data migration calls it with the
migration's app registry, `manage.py load_municipalities FILE` with a newer list. It adds and
renames municipalities and records mergers; the service area and coordinates stay as a
functional administrator left them (only missing coordinates are filled in). When the list ends
a municipality of the service area, the command then adds its successors to the service area
(`service_area_follow`), so the area goes on covering the same places.
"""

import csv
import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.apps import apps as global_apps

DATA_FILE = Path(__file__).resolve().parent / "data" / "municipalities.csv"
COLUMNS = (
    "cbs_code",
    "name",
    "province",
    "ended_on",
    "merged_into",
    "aliases",
    "latitude",
    "longitude",
)
_CODE = re.compile(r"^GM\d{4}$")


class InvalidList(ValueError):
    """A line of a municipality list that cannot be loaded; the message names the line."""


@dataclass(frozen=True)
class Row:
    cbs_code: str
    name: str
    province: str
    ended_on: datetime.date | None
    merged_into: tuple[str, ...]
    aliases: str
    latitude: Decimal | None
    longitude: Decimal | None


def normalise(name: str) -> str:
    """The form names are compared in: any case, accents, apostrophe or spacing.

    "DEN  haag", "Sudwest-Fryslan" and "’s-Hertogenbosch" find their municipality.
    """
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'").replace("`", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def read(path: Path | str = DATA_FILE) -> list[Row]:
    """The rows of a municipality list; InvalidList on the first line that is wrong."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(COLUMNS[:5]) - set(reader.fieldnames or ())
        if missing:
            raise InvalidList(f"line 1: missing columns {', '.join(sorted(missing))}")
        rows = [_row(line, raw) for line, raw in enumerate(reader, start=2)]
    codes = {row.cbs_code for row in rows}
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    for line, row in enumerate(rows, start=2):
        if row.cbs_code in seen_codes or normalise(row.name) in seen_names:
            raise InvalidList(f"line {line}: {row.cbs_code} {row.name} appears twice")
        seen_codes.add(row.cbs_code)
        seen_names.add(normalise(row.name))
        unknown = [code for code in row.merged_into if code not in codes]
        if unknown:
            raise InvalidList(f"line {line}: merged_into {' '.join(unknown)} not in the list")
    return rows


def _row(line: int, raw: dict) -> Row:
    def cell(column):
        return (raw.get(column) or "").strip()

    code, name = cell("cbs_code").upper(), cell("name")
    if not _CODE.match(code):
        raise InvalidList(f"line {line}: cbs_code {code!r} is not GM and four digits")
    if not name:
        raise InvalidList(f"line {line}: no name")
    try:
        ended_on = datetime.date.fromisoformat(cell("ended_on")) if cell("ended_on") else None
        latitude = Decimal(cell("latitude")) if cell("latitude") else None
        longitude = Decimal(cell("longitude")) if cell("longitude") else None
    except (ValueError, InvalidOperation) as error:
        raise InvalidList(f"line {line}: {error}") from None
    merged_into = tuple(cell("merged_into").upper().split())
    if bool(ended_on) != bool(merged_into):
        raise InvalidList(f"line {line}: ended_on and merged_into go together")
    return Row(code, name, cell("province"), ended_on, merged_into, cell("aliases"), latitude,
               longitude)  # fmt: skip


def load(apps=global_apps, path: Path | str = DATA_FILE) -> dict:
    """Create or update the municipalities of the list; running it again changes nothing.

    Returns the counts, and under "ended_in_service_area" the pks of the municipalities of the
    service area that this load ended (merged into others)."""
    Municipality = apps.get_model("core", "Municipality")
    rows = read(path)
    by_code = {m.cbs_code: m for m in Municipality.objects.exclude(cbs_code="")}
    by_name = {normalise(m.name): m for m in Municipality.objects.all()}
    counts = {"municipalities": len(rows), "created": 0, "updated": 0}
    ended = set()
    saved = {}
    for row in rows:
        municipality = by_code.get(row.cbs_code) or by_name.get(normalise(row.name))
        fields = {
            "cbs_code": row.cbs_code,
            "name": row.name,
            "province": row.province,
            "ended_on": row.ended_on,
            "aliases": row.aliases,
        }
        if municipality is None:
            municipality = Municipality.objects.create(
                **fields, latitude=row.latitude, longitude=row.longitude
            )
            counts["created"] += 1
        else:
            changed = [f for f, value in fields.items() if getattr(municipality, f) != value]
            if "ended_on" in changed and row.ended_on and municipality.in_service_area:
                ended.add(municipality.pk)
            # Coordinates an administrator loaded are kept; the list only fills in missing ones.
            if municipality.latitude is None and row.latitude is not None:
                municipality.latitude, municipality.longitude = row.latitude, row.longitude
                changed += ["latitude", "longitude"]
            if changed:
                for f in changed:
                    if f in fields:
                        setattr(municipality, f, fields[f])
                municipality.save(update_fields=changed)
                counts["updated"] += 1
        saved[row.cbs_code] = municipality
    for row in rows:
        wanted = {saved[code].pk for code in row.merged_into}
        municipality = saved[row.cbs_code]
        if set(municipality.merged_into.values_list("pk", flat=True)) != wanted:
            municipality.merged_into.set(wanted)
            if wanted and municipality.in_service_area:
                ended.add(municipality.pk)
    counts["ended_in_service_area"] = sorted(ended)
    return counts


def service_area_follow(ended: list[int]) -> dict[str, list[str]]:
    """Add the successors of the `ended` municipalities to the service area, in the change
    history without an actor (a command); the ended ones stay in it for records before the
    merger. Returns each successor added -> the names of the ended ones it follows."""
    from core.models import Municipality
    from core.services import service_area_set

    area = set(Municipality.objects.service_area())
    follows: dict[str, list[str]] = {}
    for municipality in Municipality.objects.filter(pk__in=ended).order_by("name"):
        for successor in municipality.merged_into.order_by("name"):
            if successor not in area:
                follows.setdefault(successor.name, []).append(municipality.name)
    if follows:
        service_area_set(
            actor=None,
            municipalities=area | set(Municipality.objects.filter(name__in=follows)),
        )
    return follows


def unload(apps=global_apps, path: Path | str = DATA_FILE) -> int:
    """Remove the municipalities of the list that no record refers to (a migration's reverse)."""
    from django.db.models import ProtectedError

    Municipality = apps.get_model("core", "Municipality")
    removed = 0
    for row in read(path):
        try:
            removed += Municipality.objects.filter(cbs_code=row.cbs_code).delete()[0] > 0
        except ProtectedError:
            continue
    return removed
