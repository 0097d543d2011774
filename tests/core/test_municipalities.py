"""The municipality list (core/data/municipalities.csv) and what `migrate` alone leaves behind."""

import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from core import municipalities, roles
from core.models import Municipality
from employers.models import RejectionReason, Sector, Skill, SroiRule
from placements.models import WageParameters
from trajectories.models import ActivityKind, BranchTeam, Route


def test_the_file_holds_cbs_count_of_municipalities_for_2026():
    rows = municipalities.read()
    current = [row for row in rows if row.ended_on is None]
    # CBS, "Gemeentelijke indeling op 1 januari 2026": 342 municipalities, as in 2023, 2024
    # and 2025 (the last herindeling, Voorne aan Zee, took effect on 1 January 2023).
    assert len(current) == 342
    # Merged away from 2016: 4 in 2016 (+ Groesbeek renamed Berg en Dal), 3 in 2017, 11 in
    # 2018, 34 in 2019, 4 in 2021, 11 in 2022 (Weesp on 24 March), 3 in 2023.
    assert len(rows) - len(current) == 5 + 3 + 11 + 34 + 4 + 11 + 3


def test_the_file_has_cbs_codes_and_names():
    codes = {row.name: row.cbs_code for row in municipalities.read()}
    assert codes["Assen"] == "GM0106"
    assert codes["'s-Hertogenbosch"] == "GM0796"
    assert codes["Utrecht"] == "GM0344"
    assert codes["Zwolle"] == "GM0193"
    assert codes["'s-Gravenhage"] == "GM0518"
    assert codes["Aa en Hunze"] == "GM1680"
    assert codes["Súdwest-Fryslân"] == "GM1900"
    assert codes["Vught"] == "GM0865"


def test_the_file_records_mergers_with_their_dates():
    rows = {row.name: row for row in municipalities.read()}
    codes = {row.cbs_code: name for name, row in rows.items()}
    assert rows["Weesp"].ended_on == datetime.date(2022, 3, 24)
    assert [codes[c] for c in rows["Weesp"].merged_into] == ["Amsterdam"]
    assert rows["Haaren"].ended_on == datetime.date(2021, 1, 1)
    assert {codes[c] for c in rows["Haaren"].merged_into} == {
        "Boxtel",
        "Oisterwijk",
        "Tilburg",
        "Vught",
    }
    assert [codes[c] for c in rows["Bussum"].merged_into] == ["Gooise Meren"]
    assert rows["Bussum"].ended_on == datetime.date(2016, 1, 1)
    assert [codes[c] for c in rows["Beemster"].merged_into] == ["Purmerend"]
    assert [codes[c] for c in rows["Heerhugowaard"].merged_into] == ["Dijk en Waard"]
    assert [codes[c] for c in rows["Hellevoetsluis"].merged_into] == ["Voorne aan Zee"]


@pytest.mark.django_db
def test_migrate_alone_loads_every_code_and_municipality():
    # The test database is built by migrate; nothing else ran.
    assert Municipality.objects.current().count() == 342
    assert Municipality.objects.get(name="'s-Hertogenbosch").cbs_code == "GM0796"
    assert Municipality.objects.get(name="Vught").province == "Noord-Brabant"
    assert set(Municipality.objects.get(name="Haaren").merged_into.values_list("name", flat=True))
    assert Municipality.objects.get(name="Assen").latitude == Decimal("52.99250")
    assert not Municipality.objects.service_area().exists()
    assert set(Route.objects.values_list("code", flat=True)) == {
        "employee",
        "participation",
        "sheltered_work",
        "daytime_activities",
    }
    assert set(BranchTeam.objects.values_list("code", flat=True)) == {
        "hodezo",
        "bilt",
        "business_services",
    }
    assert ActivityKind.objects.count() == 7
    assert WageParameters.objects.count() == 9
    assert Sector.objects.count() == 12
    assert Skill.objects.count() == 16
    assert RejectionReason.objects.count() == 8
    assert SroiRule.objects.count() == 1
    # Role groups: post_migrate runs core.roles.sync_roles once the permissions exist.
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.PERMISSIONS)
    admin = Group.objects.get(name=roles.FUNCTIONAL_ADMIN)
    assert admin.permissions.filter(codename="administer").exists()


NEWER = """cbs_code,name,province,ended_on,merged_into,aliases,latitude,longitude
GM0106,Assen,Drenthe,,,,1.00000,1.00000
GM1730,Tynaarlo,Drenthe,2027-01-01,GM1999,,,
GM1680,Aa en Hunze,Drenthe,2027-01-01,GM1999,,,
GM1999,Hondsrug,Drenthe,,,Hunzedal,,
"""


@pytest.mark.django_db
def test_load_municipalities_loads_a_newer_list_and_keeps_the_administrators_choices(tmp_path):
    Municipality.objects.filter(name__in=["Assen", "Tynaarlo"]).update(in_service_area=True)
    path = tmp_path / "gemeenten-2027.csv"
    path.write_text(NEWER, encoding="utf-8")
    out = io.StringIO()
    call_command("load_municipalities", str(path), stdout=out)
    assert "4 municipalities in the list: 1 new, 2 changed" in out.getvalue()
    call_command("load_municipalities", str(path), stdout=out)
    assert "0 new, 0 changed" in out.getvalue()  # idempotent

    assert Municipality.objects.get(name="Hondsrug").aliases == "Hunzedal"
    tynaarlo = Municipality.objects.get(name="Tynaarlo")
    assert tynaarlo.in_service_area is True  # the administrator's choice stays
    assert tynaarlo.ended_on == datetime.date(2027, 1, 1)
    assert list(tynaarlo.merged_into.values_list("name", flat=True)) == ["Hondsrug"]
    assert Municipality.objects.get(name="Assen").latitude == Decimal("52.99250")  # kept
    assert Municipality.objects.current(datetime.date(2027, 1, 1)).count() == 342 - 2 + 1


def test_load_municipalities_refuses_a_broken_list_whole(tmp_path, db):
    path = tmp_path / "broken.csv"
    path.write_text(NEWER + "GM12,Nergens,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 6: cbs_code 'GM12'"):
        call_command("load_municipalities", str(path))
    assert not Municipality.objects.filter(name="Hondsrug").exists()


@pytest.mark.django_db
def test_load_municipalities_puts_the_successor_of_an_ended_service_area_municipality_in_it(
    tmp_path,
):
    Municipality.objects.filter(name__in=["Assen", "Tynaarlo"]).update(in_service_area=True)
    path = tmp_path / "gemeenten-2027.csv"
    path.write_text(NEWER, encoding="utf-8")
    out = io.StringIO()
    call_command("load_municipalities", str(path), stdout=out)
    # Tynaarlo (in the area) and Aa en Hunze (not in it) go into Hondsrug: the area follows
    # Tynaarlo, keeps it for the clients registered there, and says so.
    assert set(Municipality.objects.service_area().values_list("name", flat=True)) == {
        "Assen",
        "Tynaarlo",
        "Hondsrug",
    }
    assert "Service area: Hondsrug added (successor of Tynaarlo)." in out.getvalue()
    hondsrug = Municipality.objects.get(name="Hondsrug")
    entry = LogEntry.objects.get_for_object(hondsrug).get()
    assert (entry.actor, entry.changes) == (None, {"in_service_area": ["False", "True"]})
    # Run again after the administrator took Hondsrug out: their choice stays.
    Municipality.objects.filter(pk=hondsrug.pk).update(in_service_area=False)
    out = io.StringIO()
    call_command("load_municipalities", str(path), stdout=out)
    assert not Municipality.objects.get(pk=hondsrug.pk).in_service_area
    assert "Service area" not in out.getvalue()
