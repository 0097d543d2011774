"""Load coordinates of municipalities or four-digit postcode areas from a CSV, for any region."""

import csv
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Municipality, PostcodeArea


def _coordinate(value: str, low: int, high: int, line: int) -> Decimal:
    try:
        number = Decimal(value.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        raise CommandError(f"line {line}: {value!r} is not a number") from None
    if not low <= number <= high:
        raise CommandError(f"line {line}: {value} lies outside {low}..{high}")
    return number.quantize(Decimal("0.00001"))


class Command(BaseCommand):
    help = (
        "Load coordinates (WGS84) for the distance criterion of matching. "
        "Municipalities: a CSV with the columns municipality (a name or CBS code such as "
        "GM0106) and latitude, longitude; known municipalities are updated, others created "
        "outside the service area. Postcode areas (--postcode-areas): the columns "
        "postcode_area (four digits), latitude, longitude and optionally municipality. "
        "All or nothing: one bad line changes nothing. Then the candidates and vacancies are "
        "located again."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file")
        parser.add_argument("--postcode-areas", action="store_true")
        parser.add_argument("--delimiter", default=None, help="Default: guessed (, or ;).")

    @transaction.atomic
    def handle(self, csv_file, postcode_areas, delimiter, **options):
        from employers import locations

        try:
            with open(csv_file, encoding="utf-8-sig", newline="") as handle:
                text = handle.read()
        except OSError as error:
            raise CommandError(str(error)) from None
        delimiter = delimiter or (";" if text.count(";") > text.count(",") else ",")
        rows = list(csv.DictReader(text.splitlines(), delimiter=delimiter))
        key = "postcode_area" if postcode_areas else "municipality"
        if rows and not {key, "latitude", "longitude"} <= set(rows[0]):
            raise CommandError(f"The CSV needs the columns {key}, latitude, longitude.")
        municipalities = {m.name.lower(): m for m in Municipality.objects.all()}
        municipalities.update(
            {m.cbs_code.lower(): m for m in municipalities.values() if m.cbs_code}
        )
        count = 0
        for line, row in enumerate(rows, start=2):
            latitude = _coordinate(row["latitude"], -90, 90, line)
            longitude = _coordinate(row["longitude"], -180, 180, line)
            if postcode_areas:
                code = (row["postcode_area"] or "").strip()
                if len(code) != 4 or not code.isdigit() or code.startswith("0"):
                    raise CommandError(f"line {line}: {code!r} is not a four-digit postcode area")
                town = municipalities.get((row.get("municipality") or "").strip().lower())
                PostcodeArea.objects.update_or_create(
                    code=code,
                    defaults={"latitude": latitude, "longitude": longitude, "municipality": town},
                )
            else:
                name = (row["municipality"] or "").strip()
                if not name:
                    raise CommandError(f"line {line}: no municipality")
                town = municipalities.get(name.lower())
                if town is None:
                    town = Municipality.objects.create(name=name)
                    municipalities[name.lower()] = town
                town.latitude, town.longitude = latitude, longitude
                town.save(update_fields=["latitude", "longitude"])
            count += 1
        profiles, vacancies = locations.refresh_all()
        self.stdout.write(
            f"{count} {'postcode areas' if postcode_areas else 'municipalities'} loaded; "
            f"{profiles} candidate profiles and {vacancies} vacancies located again."
        )
