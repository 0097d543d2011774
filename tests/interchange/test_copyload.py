"""interchange.copyload: on PostgreSQL a file COPY reads as the engine's reader does is loaded
and checked in the database. Whichever path reads a file, the import must say and write the
same: each case here is imported both ways and compared."""

import datetime
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client, Contact
from employers.models import Employer
from interchange import copyload
from interchange.engine import import_folder
from placements.models import Placement, Provision, WageValueAssessment
from tests.factories import ClientFactory, valid_bsn
from tests.interchange.conftest import HEADER, client_line, lines
from tests.interchange.test_import import CONTACTS, PLACEMENTS, PROVISIONS, TRAJECTORIES
from trajectories.models import Trajectory

pytestmark = pytest.mark.usefixtures("reference_data")

WAGE_VALUES = "assessment_ref,client_ref,placement_ref,assessed_on,wage_value_percent,method"


def test_whitespace_is_what_python_strips():
    assert set(copyload.WHITESPACE) == {
        chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()
    }


def _forget_imports():
    for model in (WageValueAssessment, Provision, Placement, Employer, Contact, Trajectory):
        model.objects.all().delete()
    Client.objects.filter(anonymised_at__isnull=True).delete()


def _both_ways(folder, files, monkeypatch):
    """(result through COPY where it applies, result through the engine's loop), each on an
    empty product, with what each wrote and, for each file offered to COPY, whether it took
    it."""
    taken = {}
    load = copyload.load

    def spied(spec, *args, **kwargs):
        loaded = load(spec, *args, **kwargs)
        taken[spec.name] = loaded
        return loaded

    monkeypatch.setattr(copyload, "load", spied)
    outcomes = []
    for name in ("copy", "loop"):
        _forget_imports()
        result = import_folder(folder(files, name))
        written = sorted(Contact.objects.values_list("source_ref", "date", "channel", "subject"))
        outcomes.append((result, written, dict(taken)))
        taken.clear()
        monkeypatch.setattr(copyload, "load", lambda *args, **kwargs: False)
    return outcomes


def _by_copy(outcome) -> set[str]:
    return {name for name, loaded in outcome[2].items() if loaded}


def _same(copy, loop):
    (first, first_written, _), (second, second_written, _) = copy, loop
    assert [p.as_list() for p in first.problems] == [p.as_list() for p in second.problems]
    assert first.problem_count == second.problem_count
    assert first.summary == second.summary
    assert first_written == second_written


CLIENTS = lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))
POSTGRESQL = connection.vendor == "postgresql"


def test_a_valid_folder_is_loaded_by_copy_on_postgresql_and_written_the_same(folder, monkeypatch):
    files = {
        "clients.csv": CLIENTS,
        "contacts.csv": lines(
            CONTACTS,
            "K1,C1,2024-03-01,phone,Intake",
            " K2 ,C2,2024-03-02 ,email,\u00a0Schulden\u3000",  # padded: stripped
            ",,,,",  # no text: skipped, but counted as a line
            "K3,C2,2024-03-03,home_visit,",
        ),
        "trajectories.csv": lines(TRAJECTORIES, "T1,C1,employee,,2022-01-04,,,,"),
    }
    copy, loop = _both_ways(folder, files, monkeypatch)
    _same(copy, loop)
    assert copy[0].ok and copy[0].summary["contacts.csv"]["created"] == 3
    assert ("K2", "2024-03-02", "email", "Schulden") in [
        (r, d.isoformat(), c, s) for r, d, c, s in copy[1]
    ]
    # clients.csv and trajectories.csv are read by the loop: their rows have checks across
    # their cells (and a client's municipality depends on the row's date).
    assert _by_copy(copy) == ({"contacts.csv"} if POSTGRESQL else set())


@pytest.mark.parametrize(
    ("rows", "by_copy"),
    [
        pytest.param(
            [
                "K1,C1,2024-03-01,phone,",
                "K" + "1" * 64 + ",C1,2024-03-01,phone,",  # a ref too long
                "K3,C1,2024-13-01,phone,",  # not a date
                "K4,C1,2023-02-29,phone,",  # a date that does not exist
                "K5,C1,2024-03-01,fax,",  # an unknown code
                "K6,,2024-03-01,phone,",  # a required cell empty
                "K7,C1,2024-03-01,phone," + "x" * 201,  # a subject too long
                "K1,C1,2024-03-01,phone,",  # a repeated ref
                "K8,C9,2024-03-01,phone,",  # a client in neither the file nor the product
                "K9,GONE,2024-03-01,phone,",  # an anonymised client
                " ,  ,\u00a0,\t,",  # whitespace only: no text
                "K10,C1,,,",  # two required cells empty
            ],
            True,
            id="bad cells",
        ),
        pytest.param(
            # Each date parses, one is missing: the date column's cells are not looked up
            # again, its empty required cell is still found; the channel's are.
            ["K1,C1,2024-03-01,fax,", "K2,C1,,phone,", "K3,C1,2024-03-02,phone,"],
            True,
            id="one column's texts all parse",
        ),
        pytest.param(
            # More than the 500 problems kept: the rest is summed up per column and kind.
            [f"K{i},GONE,2024-03-01,phone," for i in range(600)] + ["K9999,,2024-03-01,phone,"],
            True,
            id="summed up",
        ),
        pytest.param(['K1,C1,2024-03-01,phone,"Intake, eerste"'], False, id="quoted: the loop"),
        pytest.param(
            ["K1,C1,2024-03-01,phone", "K2,C1,2024-03-01,phone,"], False, id="too few cells"
        ),
        pytest.param(["K1,C1,2024-03-01,phone,", "", "K2,C1,x,phone,"], False, id="a blank line"),
        pytest.param(["K1,C1,2024-03-01,phone,a\rb"], False, id="a carriage return alone"),
        pytest.param(["K1,C1,2024-03-01,phone," + "x" * 70_000], False, id="a cell over the limit"),
        pytest.param(
            ["K1,C1,2024-03-01,phone,\\.", "K2,C1,2024-13-01,phone,"], False, id="COPY's end"
        ),
    ],
)
def test_a_bad_contacts_file_gets_the_same_problems_either_way(folder, monkeypatch, rows, by_copy):
    ClientFactory(bsn=valid_bsn(61), source_ref="GONE", anonymised_at="2025-01-01T00:00:00Z")
    files = {"clients.csv": CLIENTS, "contacts.csv": lines(CONTACTS, *rows)}
    copy, loop = _both_ways(folder, files, monkeypatch)
    _same(copy, loop)
    assert not copy[0].ok or len(rows) == 1
    assert copy[2]["contacts.csv"] == (by_copy and POSTGRESQL)


HEAD = b"contact_ref,client_ref,date,channel,subject"


@pytest.mark.parametrize(
    ("content", "by_copy"),
    [
        pytest.param(HEAD + b"\nK1,C1,2024-03-01,phone,Intake \t", True, id="no last newline"),
        pytest.param(
            b"contact_ref,client_ref,date,subject,channel\nK1,C1,2024-03-01,x,phone\xc2\xa0",
            True,
            id="a code last, padded, no last newline",
        ),
        pytest.param(
            b"\xef\xbb\xbf" + HEAD.replace(b",", b";") + b"\r\nK1;C1;2024-03-01;phone;Intake\r\n"
            b"K2;C2;2024-03-02;email;\r\n",
            True,
            id="BOM, CRLF and semicolons",
        ),
        pytest.param(
            HEAD + b"\nK1,C1,2024-03-01,phone,x\r,,,,\rK2,C1,2024-03-01,phone,y\r",
            None,
            id="rows ending in a carriage return alone",
        ),
        pytest.param(
            HEAD + b"\r\r\nK1,C1,2024-03-01,phone,x\r\nK1,C1,2024-03-01,phone,y\r\n",
            False,
            id="a header ending in two carriage returns",
        ),
    ],
)
def test_line_ends_and_file_ends_are_read_the_same_either_way(
    folder, monkeypatch, content, by_copy
):
    copy, loop = _both_ways(folder, {"clients.csv": CLIENTS, "contacts.csv": content}, monkeypatch)
    _same(copy, loop)
    if by_copy is not None:
        assert copy[2]["contacts.csv"] == (by_copy and POSTGRESQL)


def test_row_checks_and_numbers_are_the_same_either_way(folder, monkeypatch):
    files = {
        "clients.csv": CLIENTS,
        "trajectories.csv": lines(
            TRAJECTORIES,
            "T1,C1,employee,,2022-01-04,2021-01-04,,,",  # ends before it starts
            "T2,C2,employee,,2022-01-04,2022-06-01,,,",  # an end without an outcome
            "T3,C2,employee,,2022-07-04,,,,groep",  # a group without a project
        ),
        "placements.csv": lines(
            PLACEMENTS,
            "P1,C1,E1,regular,2022-01-04,2021-01-04,,12;5,ja",
            "P2,C1,E1,regular,2022-01-04,,,41,nee",
            "P3,C1,E1,regular,2022-01-04,,,12.555,",
        ),
        "wage_value_assessments.csv": lines(WAGE_VALUES, "W1,C1,,2022-01-04,101,", "W2,C1,,x,5,"),
        "provisions.csv": lines(
            PROVISIONS, "V1,C1,,wage_dispensation,2022-01-04,2022-02-01,2022-01-01,-1"
        ),
    }
    copy, loop = _both_ways(folder, files, monkeypatch)
    _same(copy, loop)
    assert copy[0].problem_count >= 8
    # Only the assessments are read by COPY on PostgreSQL: the others have row checks.
    assert _by_copy(copy) == ({"wage_value_assessments.csv"} if POSTGRESQL else set())


def test_numbers_and_booleans_are_written_as_the_loop_writes_them(folder, monkeypatch):
    files = {
        "clients.csv": CLIENTS,
        # A KvK number and a municipality the parsers change (8 digits, the municipality's id).
        "employers.csv": lines(
            "employer_ref,name,kvk_number,municipality,social_enterprise",
            "E1,Bol,1234 5678,Assen,ja",
            "E2,Stoel,87.654.321,assen,nee",
        ),
        # Semicolons: a decimal comma, which the parser turns into 12.5, as it writes it.
        "placements.csv": lines(
            PLACEMENTS.replace(",", ";"), "P1;C1;E1;regular;2022-01-04;;;12,5;ja"
        ),
        "wage_value_assessments.csv": lines(
            WAGE_VALUES.replace(",", ";"), "W1;C1;P1;2022-01-04;055,50;"
        ),
    }
    seen, taken = [], []
    load = copyload.load

    def spied(spec, *args, **kwargs):
        loaded = load(spec, *args, **kwargs)
        taken.append((spec.name, loaded))
        return loaded

    monkeypatch.setattr(copyload, "load", spied)
    for name in ("copy", "loop"):
        _forget_imports()
        result = import_folder(folder(files, name))
        assert result.ok, result.problems
        seen.append(
            (
                list(
                    Employer.objects.order_by("source_ref").values_list(
                        "kvk_number", "municipality__name", "social_enterprise"
                    )
                ),
                list(Placement.objects.values_list("hours_per_week", "sroi")),
                list(WageValueAssessment.objects.values_list("wage_value_percent", flat=True)),
            )
        )
        monkeypatch.setattr(copyload, "load", lambda *args, **kwargs: False)
    assert seen[0] == seen[1]
    assert seen[0][0] == [("12345678", "Assen", True), ("87654321", "Assen", False)]
    # On PostgreSQL the employers and assessments were read by COPY (the placements: a row check).
    assert dict(taken)["employers.csv"] == dict(taken)["wage_value_assessments.csv"] == POSTGRESQL


def test_a_reimport_counts_what_it_created_updated_and_left_alone(folder):
    """A record entered in the product meanwhile is not one of them."""
    first = {
        "clients.csv": CLIENTS,
        "contacts.csv": lines(CONTACTS, "K1,C1,2024-03-01,phone,", "K2,C1,2024-03-02,phone,"),
    }
    assert import_folder(folder(first, "first")).ok
    ClientFactory(bsn=valid_bsn(62)).contacts.create(
        date=datetime.date(2024, 3, 5), channel="phone"
    )
    again = {
        "clients.csv": CLIENTS,
        "contacts.csv": lines(
            CONTACTS,
            "K1,C1,2024-03-01,phone,",  # unchanged
            "K2,C2,2024-03-02,email,",  # another client and channel
            "K3,C2,2024-03-03,phone,",  # new
        ),
    }
    result = import_folder(folder(again, "again"))
    assert result.summary["contacts.csv"] == {
        "rows": 3,
        "created": 1,
        "updated": 1,
        "unchanged": 1,
    }
    assert result.summary["clients.csv"] == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2}
    moved = Contact.objects.get(source_ref="K2")
    assert (moved.client.source_ref, moved.channel, moved.version) == ("C2", "email", 2)


@pytest.mark.parametrize("chunk", [1_000, 40_000, 1 << 20])
@pytest.mark.parametrize("length", [30_000, 65_537, 140_000])
def test_a_long_cell_is_seen_across_the_chunks_it_is_read_in(length, chunk, monkeypatch):
    """The bytes are looked at a chunk at a time: a line that could hold a cell over the limit
    is found whatever the chunks cut it into (and the cell then counted in the database)."""
    monkeypatch.setattr("interchange.reader.CHUNK", chunk)
    survey = copyload._Survey(["contact_ref", "subject"], 0, ",")
    data = b"K1,short\n" * 500 + b"K2," + b"x" * length + b"\n" + b"K3,short\n" * 500
    for start in range(0, len(data), chunk):
        survey.take(data[start : start + chunk])
    # Over the limit: always seen. Under half of it: never (between: perhaps, it costs a scan).
    assert survey.maybe_oversized == (length > copyload.FIELD_MAX_CHARS)
    assert not survey.maybe_padded and not survey.maybe_blank


def test_only_a_column_with_a_text_that_did_not_parse_is_looked_up_cell_by_cell(folder):
    """Every date parses, one channel does not: the channel's cells are looked up again among
    the values that parsed, the dates' are not (ten million look-ups at a million clients)."""
    files = {
        "clients.csv": CLIENTS,
        "contacts.csv": lines(CONTACTS, "K1,C1,2024-03-01,fax,", "K2,C1,2024-03-02,phone,"),
    }
    with CaptureQueriesContext(connection) as queries:
        result = import_folder(folder(files))
    assert [(p.line, p.column) for p in result.problems] == [(2, "channel")]
    looked_up = [q["sql"] for q in queries if " NOT IN (SELECT raw " in q["sql"]]
    if POSTGRESQL:  # the loop (SQLite) parses each cell itself
        assert looked_up
        assert all('"channel" NOT IN' in sql and '"date" NOT IN' not in sql for sql in looked_up)
    else:
        assert not looked_up
