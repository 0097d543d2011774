"""The checks of rows against the product and across a file, made in the database on the staging
tables (interchange.engine._check_against_product): the cases a dict in memory used to decide."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from interchange.engine import import_folder
from tests.factories import ClientFactory, valid_bsn
from tests.interchange.conftest import HEADER, client_line, lines
from tests.interchange.test_import import (
    ASSESSMENTS,
    CONTACTS,
    PLACEMENTS,
    PROVISIONS,
    TRAJECTORIES,
    where,
)

pytestmark = pytest.mark.usefixtures("reference_data")
EMPLOYERS = "employer_ref,name,kvk_number,municipality,social_enterprise"


def test_bsns_swapped_between_two_clients_of_the_file_are_not_taken(folder):
    first = lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))
    assert import_folder(folder({"clients.csv": first})).ok
    swapped = lines(HEADER, client_line("C1", n=3), client_line("C2", n=1))
    result = import_folder(folder({"clients.csv": swapped}, name="b"))
    # C2 takes C1's BSN, and C1 is in the file with another BSN: the file decides, not the
    # product (what the write makes of the swap is not this test's concern).
    assert ("clients.csv", 3, "bsn", "taken") not in where(result)


def test_a_bsn_of_a_client_entered_in_the_product_is_taken_and_logged_as_a_look_up(folder):
    entered = ClientFactory(bsn=valid_bsn(5), source_ref=None)
    other = ClientFactory(bsn=valid_bsn(6), source_ref="X9")
    path = folder(
        {
            "clients.csv": lines(
                HEADER,
                client_line("C1", n=5),
                client_line("C2", n=6),
                client_line("C3", n=7),
            )
        }
    )
    result = import_folder(path)
    assert where(result) == [
        ("clients.csv", 2, "bsn", "taken"),
        ("clients.csv", 3, "bsn", "taken"),
    ]
    assert "X9" in result.problems[1].message
    assert "X9" not in result.problems[0].message
    assert result.bsn_matched == sorted([entered.pk, other.pk])


def test_a_kvk_number_of_another_employer_is_taken_unless_that_one_is_in_the_file(folder):
    assert import_folder(
        folder(
            {"clients.csv": lines(HEADER), "employers.csv": lines(EMPLOYERS, "E1,Bol,12345678,,")}
        )
    ).ok
    taken = lines(EMPLOYERS, "E2,Stoel,12345678,,")
    result = import_folder(folder({"clients.csv": lines(HEADER), "employers.csv": taken}, "b"))
    assert where(result) == [("employers.csv", 2, "kvk_number", "taken")]
    assert "E1" in result.problems[0].message
    # E1 gives its number up in the same file: no longer the product's say.
    moved = lines(EMPLOYERS, "E1,Bol,,,", "E2,Stoel,12345678,,")
    result = import_folder(folder({"clients.csv": lines(HEADER), "employers.csv": moved}, "c"))
    assert where(result) == []


def test_a_row_of_an_anonymised_client_is_checked_no_further(folder):
    """Its trajectory is refused, and is neither an open trajectory of the client nor
    checked for its dates."""
    ClientFactory(bsn=valid_bsn(61), source_ref="GONE", anonymised_at="2025-01-01T00:00:00Z")
    trajectories = lines(
        TRAJECTORIES,
        "T1,GONE,employee,,2022-01-04,2021-01-04,,,",  # ends before it starts
        "T2,GONE,employee,,2022-01-04,,,,",
        "T3,GONE,employee,,2022-01-04,,,,",
    )
    result = import_folder(folder({"clients.csv": lines(HEADER), "trajectories.csv": trajectories}))
    assert where(result) == [
        ("trajectories.csv", 2, "client_ref", "anonymised"),
        ("trajectories.csv", 3, "client_ref", "anonymised"),
        ("trajectories.csv", 4, "client_ref", "anonymised"),
    ]


def test_only_rows_whose_cells_parsed_count_as_open_trajectories(folder):
    clients = lines(HEADER, client_line("C1", n=1))
    trajectories = lines(
        TRAJECTORIES,
        "T1,C1,unknown,,2022-01-04,,,,",  # an unknown route: not an open trajectory
        "T2,C1,employee,,2022-01-04,,,,",
        "T3,C1,employee,,2022-02-04,,,,",
    )
    result = import_folder(folder({"clients.csv": clients, "trajectories.csv": trajectories}))
    assert where(result) == [
        ("trajectories.csv", 2, "route", "unknown_code"),
        ("trajectories.csv", 4, "end_date", "open_trajectory"),
    ]
    assert "line 3" in result.problems[1].message or "regel 3" in result.problems[1].message


def test_the_placements_first_valid_row_decides_its_client_else_the_product(folder):
    clients = lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))
    employers = lines(EMPLOYERS, "E1,Bol,,,")
    assert import_folder(
        folder(
            {
                "clients.csv": clients,
                "employers.csv": employers,
                "placements.csv": lines(PLACEMENTS, "P0,C2,E1,regular,2023-01-02,,,,"),
            }
        )
    ).ok
    path = folder(
        {
            "clients.csv": clients,
            "employers.csv": employers,
            "placements.csv": lines(
                PLACEMENTS,
                "P1,C1,E1,nonsense,2023-01-02,,,,",  # not valid: does not decide
                "P1,C2,E1,regular,2023-01-02,,,,",  # a repeat, but the first valid row
            ),
            "wage_value_assessments.csv": lines(
                ASSESSMENTS,
                "W1,C1,P1,2023-02-01,50,",  # P1 is C2's
                "W2,C1,P0,2023-02-01,50,",  # P0 is C2's in the product
                "W3,C2,P0,2023-02-01,50,",
            ),
            "provisions.csv": lines(PROVISIONS, "V1,C1,P0,job_coach,2023-01-02,,,"),
        },
        name="b",
    )
    result = import_folder(path)
    assert where(result) == [
        ("placements.csv", 2, "kind", "unknown_code"),
        ("placements.csv", 3, "placement_ref", "duplicate"),
        ("wage_value_assessments.csv", 2, "placement_ref", "other_client"),
        ("wage_value_assessments.csv", 3, "placement_ref", "other_client"),
        ("provisions.csv", 2, "placement_ref", "other_client"),
    ]
    assert [p.message.rsplit("(", 1)[1] for p in result.problems[2:]] == ["C2)"] * 3


def test_contacts_of_an_anonymised_client_in_a_later_batch_are_refused(folder, monkeypatch):
    """The anonymised clients are asked per batch of rows: the second batch is asked too."""
    monkeypatch.setattr("interchange.engine.STAGE_BATCH", 2)
    ClientFactory(bsn=valid_bsn(61), source_ref="GONE", anonymised_at="2025-01-01T00:00:00Z")
    clients = lines(HEADER, client_line("C1", n=1))
    contacts = lines(
        CONTACTS,
        "K1,C1,2024-03-01,phone,",
        "K2,C1,2024-03-01,phone,",
        "K3,C1,2024-03-01,phone,",
        "K4,GONE,2024-03-01,phone,Schulden",
        "K5,C1,2024-03-01,phone,",
    )
    result = import_folder(folder({"clients.csv": clients, "contacts.csv": contacts}))
    assert where(result) == [("contacts.csv", 5, "client_ref", "anonymised")]
    assert not Client.objects.filter(source_ref="C1").exists()


def test_repeats_are_looked_for_line_by_line_only_in_a_column_that_has_them(folder):
    """A unique index says a column repeats nothing; the window that names each repeat's first
    line runs only where the index was refused, and an index that was built is dropped."""
    clients = lines(HEADER, client_line("C1", n=1), client_line("C2", n=2))
    contacts = lines(CONTACTS, "K1,C1,2024-03-01,phone,", "K1,C2,2024-03-02,phone,")
    with CaptureQueriesContext(connection) as queries:
        result = import_folder(folder({"clients.csv": clients, "contacts.csv": contacts}))
    assert where(result) == [("contacts.csv", 3, "contact_ref", "duplicate")]
    windows = [q["sql"] for q in queries if "OVER (PARTITION BY" in q["sql"]]
    assert len(windows) == 1
    assert '"contact_ref"' in windows[0]
    probes = [q["sql"] for q in queries if "CREATE UNIQUE INDEX" in q["sql"]]
    assert len(probes) == 3  # client_ref, bsn, contact_ref
    # The two that were built are dropped before the next check reads the table.
    assert len([q for q in queries if "DROP INDEX" in q["sql"]]) == 2
