import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Municipality, PostcodeArea

pytestmark = pytest.mark.django_db


def test_load_reference_data_ships_coordinates_of_the_demo_region(region):
    assen = Municipality.objects.get(name="Assen")
    assert (float(assen.latitude), float(assen.longitude)) == (52.9925, 6.5649)
    # The twelve of Drenthe and two of Groningen have them; the other municipalities of CBS's
    # list do not (matching then says the distance is unknown), until load_coordinates.
    assert Municipality.objects.filter(latitude__isnull=False).count() == 14
    assert Municipality.objects.get(name="Vught").latitude is None


def test_an_administrator_loads_coordinates_of_another_region_from_a_csv(tmp_path, region):
    municipalities = tmp_path / "gemeenten.csv"
    municipalities.write_text(
        "municipality;latitude;longitude\nGM0106;52,99000;6,56000\nZwolle;52.51250;6.09440\n"
    )
    call_command("load_coordinates", str(municipalities), stdout=io.StringIO())
    assert float(Municipality.objects.get(name="Assen").latitude) == 52.99
    assert float(Municipality.objects.get(name="Zwolle").longitude) == 6.0944
    areas = tmp_path / "pc4.csv"
    areas.write_text("postcode_area,latitude,longitude,municipality\n8011,52.51,6.09,Zwolle\n")
    call_command("load_coordinates", str(areas), "--postcode-areas", stdout=io.StringIO())
    assert PostcodeArea.objects.get(code="8011").municipality.name == "Zwolle"


def test_a_bad_line_loads_nothing(tmp_path, region):
    bad = tmp_path / "pc4.csv"
    bad.write_text("postcode_area,latitude,longitude\n9401,52.99,6.56\n94X1,52.99,6.56\n")
    with pytest.raises(CommandError, match="line 3"):
        call_command("load_coordinates", str(bad), "--postcode-areas", stdout=io.StringIO())
    assert not PostcodeArea.objects.exists()


def test_bench_matching_fills_candidates_and_times_both_lists(db):
    from bench.management.commands.bench_matching import Command
    from employers.models import CandidateProfile

    out = io.StringIO()
    command = Command(stdout=out)
    command.fill(50, 1)  # the test database is the throwaway database here
    command.measure(1)
    assert CandidateProfile.objects.count() == 50
    report = out.getvalue()
    for line in ("plain filtered list:", "ranking:", "scoring everyone:", "ratio ranking / plain:"):
        assert line in report
