"""Municipalities in an import (interchange.md 1.1, "Municipalities"), on a migrated database.

No fixture loads reference data here: what migrate leaves must be enough.
"""

import io

import pytest
from django.core.management import call_command

from clients.models import Client
from core.models import Municipality
from employers.models import Employer
from interchange.engine import import_folder
from tests.interchange.conftest import HEADER, client_line, lines

pytestmark = pytest.mark.django_db

TRAJECTORIES = (
    "trajectory_ref,client_ref,route,branch_team,start_date,end_date,outcome,project,project_group"
)


def problems(result):
    return [(p.file, p.line, p.column, p.code, p.message) for p in result.problems]


def clients_in(folder, *municipalities, registered_on="2024-02-01"):
    rows = [
        client_line(f"C{n}", n=n, municipality=name, registered_on=registered_on)
        for n, name in enumerate(municipalities, start=1)
    ]
    return folder({"clients.csv": lines(HEADER, *rows)})


def municipality_of(ref):
    return Client.objects.get(source_ref=ref).municipality.name


def test_cbs_names_in_any_case_and_the_everyday_names_are_accepted(folder):
    result = import_folder(
        clients_in(folder, "Den Haag", "den bosch", "'S-HERTOGENBOSCH", "Sudwest-Fryslan", "Vught")
    )
    assert result.ok, problems(result)
    assert municipality_of("C1") == "'s-Gravenhage"
    assert municipality_of("C2") == "'s-Hertogenbosch"
    assert municipality_of("C3") == "'s-Hertogenbosch"
    assert municipality_of("C4") == "Súdwest-Fryslân"
    assert municipality_of("C5") == "Vught"


def test_a_merged_away_municipality_is_accepted_for_a_date_before_the_merger(folder):
    # Weesp became part of Amsterdam on 24 March 2022; Haaren was split on 1 January 2021.
    result = import_folder(
        folder(
            {
                "clients.csv": lines(
                    HEADER,
                    client_line("C1", n=1, municipality="Weesp", registered_on="2022-03-23"),
                    client_line("C2", n=2, municipality="haaren", registered_on="2016-05-01"),
                )
            }
        )
    )
    assert result.ok, problems(result)
    assert municipality_of("C1") == "Weesp"
    assert municipality_of("C2") == "Haaren"


def test_a_merged_away_municipality_is_refused_from_the_merger_on_naming_its_successor(folder):
    result = import_folder(
        folder(
            {
                "clients.csv": lines(
                    HEADER,
                    client_line("C1", n=1, municipality="Weesp", registered_on="2022-03-24"),
                    client_line("C2", n=2, municipality="Haaren", registered_on="2021-01-04"),
                )
            }
        )
    )
    assert [p[:4] for p in problems(result)] == [
        ("clients.csv", 2, "municipality", "merged_municipality"),
        ("clients.csv", 3, "municipality", "merged_municipality"),
    ]
    weesp, haaren = (p.message for p in result.problems)
    assert "Amsterdam" in weesp and "24 maart 2022" in weesp
    assert "Boxtel of Oisterwijk of Tilburg of Vught" in haaren
    assert not Client.objects.exists()


def test_a_file_without_dates_accepts_a_merged_away_municipality_as_the_source_has_it(folder):
    # An employer's record made before Bussum merged into Gooise Meren (2016) still names it,
    # and a service area can hold a municipality that merged later: the export writes them so.
    result = import_folder(
        folder(
            {
                "clients.csv": lines(HEADER),
                "employers.csv": lines(
                    "employer_ref,name,kvk_number,municipality,social_enterprise",
                    "E1,Bakkerij Bussum,,Bussum,false",
                    "E2,Bakkerij Naarden,,Gooise Meren,false",
                ),
                "service_area.csv": lines("municipality", "Weesp", "Amsterdam"),
            }
        )
    )
    assert result.ok, problems(result)
    assert dict(Employer.objects.values_list("source_ref", "municipality__name")) == {
        "E1": "Bussum",
        "E2": "Gooise Meren",
    }
    assert set(Municipality.objects.service_area().values_list("name", flat=True)) == {
        "Weesp",
        "Amsterdam",
    }


def test_the_export_of_an_employer_in_a_merged_away_municipality_imports_back_unchanged(
    folder, tmp_path
):
    weesp = Municipality.objects.get(name="Weesp")
    Employer.objects.create(name="Bakkerij Weesp", municipality=weesp, source_ref="E1")
    Municipality.objects.filter(pk=weesp.pk).update(in_service_area=True)
    call_command("export_data", str(tmp_path / "out"), stdout=io.StringIO())
    result = import_folder(tmp_path / "out")
    assert result.ok, problems(result)
    assert result.summary["employers.csv"] == {
        "rows": 1,
        "created": 0,
        "updated": 0,
        "unchanged": 1,
    }
    assert result.summary["service_area.csv"]["updated"] == 0


def test_an_unknown_municipality_suggests_the_closest_known_names(folder):
    result = import_folder(clients_in(folder, "Hertogenbosch", "Den Hag", "Atlantis"))
    messages = {p.line: p.message for p in result.problems}
    assert {p.code for p in result.problems} == {"unknown_municipality"}
    assert "'s-Hertogenbosch" in messages[2]
    assert "'s-Gravenhage" in messages[3]  # by its everyday name, Den Haag
    assert messages[4] == (
        "onbekende gemeente Atlantis; gebruik de naam uit de gemeentelijke indeling van het CBS"
    )


def suggestions(result):
    return {p.line: p.message.split("bedoelt u ", 1)[-1] for p in result.problems}


def test_suggestions_start_with_names_beginning_with_what_was_typed(folder):
    result = import_folder(clients_in(folder, "Bergen", "Nuenen", "hertogenbosch"))
    found = suggestions(result)
    # Three municipalities start with "Bergen"; the everyday Bergen is one of two, so both.
    assert found[2] == "Bergen (L.) of Bergen (NH.) of Bergen op Zoom?"
    # Nuenen is the start of its CBS name; Neerijnen (2019) and Uden (2022) no longer exist.
    assert found[3].startswith("Nuenen, Gerwen en Nederwetten")
    assert "Neerijnen" not in found[3] and "Uden" not in found[3]
    assert found[4].startswith("'s-Hertogenbosch")  # the leading 's- is not typed


def test_a_name_within_a_name_and_a_typo_are_suggested(folder):
    result = import_folder(clients_in(folder, "Amsterdm", "Fryslan"))
    found = suggestions(result)
    assert found[2].startswith("Amsterdam")
    assert found[3].startswith("Súdwest-Fryslân")  # contains the typed text as a word


def test_suggestions_are_the_names_valid_on_the_rows_date(folder):
    # Uden became part of Maashorst on 1 January 2022.
    rows = [
        client_line("C1", n=1, municipality="Udn", registered_on="2021-06-01"),
        client_line("C2", n=2, municipality="Udn", registered_on="2024-06-01"),
    ]
    result = import_folder(folder({"clients.csv": lines(HEADER, *rows)}))
    found = suggestions(result)
    assert found[2].startswith("Uden")
    assert "Uden" not in found[3]


def test_an_undated_file_suggests_current_names(folder):
    result = import_folder(
        folder({"clients.csv": lines(HEADER), "service_area.csv": lines("municipality", "Nuenen")})
    )
    assert [p.file for p in result.problems] == ["service_area.csv"]
    found = suggestions(result)[2]
    assert found.startswith("Nuenen, Gerwen en Nederwetten")
    assert "Neerijnen" not in found and "Uden" not in found


def test_a_migrated_database_imports_clients_in_brabant_and_the_hague_on_every_route(folder):
    routes = ["employee", "participation", "sheltered_work", "daytime_activities"]
    places = ["'s-Hertogenbosch", "Vught", "Den Haag", "Den Bosch"]
    path = folder(
        {
            "clients.csv": lines(
                HEADER,
                *(
                    client_line(f"C{n}", n=n, municipality=place, postcode="5211 AB")
                    for n, place in enumerate(places, start=1)
                ),
            ),
            "trajectories.csv": lines(
                TRAJECTORIES,
                *(
                    f"T{n},C{n},{route},{team},2024-03-01,,,,"
                    for n, (route, team) in enumerate(
                        zip(routes, ["hodezo", "bilt", "business_services", ""], strict=True),
                        start=1,
                    )
                ),
            ),
            "service_area.csv": lines("municipality", "'s-Hertogenbosch", "Vught", "Den Haag"),
        }
    )
    out = io.StringIO()
    call_command("import_data", str(path), stdout=out, stderr=out)
    assert Client.objects.count() == 4
    assert sorted(Client.objects.values_list("trajectories__route__code", flat=True)) == sorted(
        routes
    )
    assert set(Municipality.objects.service_area().values_list("name", flat=True)) == {
        "'s-Hertogenbosch",
        "Vught",
        "'s-Gravenhage",
    }


def test_the_export_writes_cbs_names(folder, tmp_path):
    import_folder(clients_in(folder, "Den Haag"))
    call_command("export_data", str(tmp_path / "out"), stdout=io.StringIO())
    exported = (tmp_path / "out" / "clients.csv").read_text(encoding="utf-8")
    assert "'s-Gravenhage" in exported
    assert "Den Haag" not in exported
