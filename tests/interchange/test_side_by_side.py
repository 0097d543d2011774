"""interchange.engine._check_side_by_side: on PostgreSQL the files the engine's loop reads are
read in a thread while the connection loads the others with COPY. Whichever way a folder is
checked, the import must say and write the same: each case here is imported both ways."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from clients.models import Client, Contact
from employers.models import Employer
from interchange import copyload, engine, progress
from interchange.engine import import_folder
from placements.models import Placement, Provision, WageValueAssessment
from tests.factories import ClientFactory, valid_bsn
from tests.interchange.conftest import HEADER, client_line, lines
from tests.interchange.test_copyload import WAGE_VALUES, _forget_imports
from tests.interchange.test_import import CONTACTS, PLACEMENTS, PROVISIONS, TRAJECTORIES
from trajectories.models import Trajectory

pytestmark = [
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="side by side only beside COPY (PostgreSQL)"
    ),
]

EMPLOYERS = "employer_ref,name,kvk_number,municipality,social_enterprise"

VALID = {
    "clients.csv": lines(HEADER, *(client_line(f"C{i}", n=i) for i in range(1, 40))),
    "employers.csv": lines(EMPLOYERS, "E1,Bol,12345678,Assen,ja"),
    "trajectories.csv": lines(
        TRAJECTORIES, *(f"T{i},C{i},employee,,2022-01-04,,,," for i in range(1, 40))
    ),
    "contacts.csv": lines(
        CONTACTS, *(f"K{i},C{i % 39 + 1},2024-03-01,phone,Intake" for i in range(400))
    ),
    "placements.csv": lines(PLACEMENTS, "P1,C1,E1,regular,2022-01-04,,,12,ja"),
    "wage_value_assessments.csv": lines(WAGE_VALUES, "W1,C1,P1,2022-01-04,55,"),
    "provisions.csv": lines(
        PROVISIONS, "V1,C1,P1,wage_dispensation,2022-01-04,2022-02-01,2022-12-31,10"
    ),
}

BAD = {
    "clients.csv": lines(
        HEADER,
        client_line("C1", n=1),
        client_line("C2", n=1),  # the BSN of C1
        client_line("C3", n=3, first=""),  # a required cell empty
        client_line("C4", n=4, municipality="Asen"),  # no such municipality
        # More problems than are kept one by one: the rest is summed up.
        *(client_line(f"X{i}", n=10 + i, birth_date="1990-13-01") for i in range(600)),
    ),
    "employers.csv": lines(EMPLOYERS, "E1,Bol,1234,Assen,ja", "E1,Stoel,87654321,Assen,nee"),
    "trajectories.csv": lines(
        TRAJECTORIES,
        "T1,C1,employee,,2022-01-04,2021-01-04,,,",  # ends before it starts
        "T2,C9,employee,,2022-01-04,,,,",  # a client in neither the file nor the product
        "T3,C1,nowhere,,2022-01-04,,,,",  # an unknown route
    ),
    "contacts.csv": lines(
        CONTACTS,
        "K1,C1,2024-03-01,phone,",
        "K1,C1,2024-03-01,phone,",  # a repeated ref
        "K2,C8,2024-03-01,fax,",  # an unknown client and code
    ),
    "placements.csv": lines(PLACEMENTS, "P1,C1,E2,regular,2022-01-04,2021-01-04,,41,"),
    "wage_value_assessments.csv": lines(WAGE_VALUES, "W1,C1,P9,2022-01-04,101,"),
    "provisions.csv": lines(PROVISIONS, "V1,C2,P1,wage_dispensation,x,,,-1"),
}


IMPORTED = (Client, Employer, Trajectory, Contact, Placement, WageValueAssessment, Provision)


def _written() -> dict:
    """Every value the import wrote, records named by their refs (ids differ from run to run)."""
    written = {}
    for model in IMPORTED:
        names = []
        for f in model._meta.concrete_fields:
            if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue
            names.append(f"{f.name}__source_ref" if f.related_model in IMPORTED else f.attname)
        written[model.__name__] = sorted(model.objects.values_list(*names), key=repr)
    return written


def _both_ways(folder, files, monkeypatch, language="en"):
    """(side by side, one file after the other), each on an empty product, with what each
    wrote and whether the reader thread ran. A few rows a batch: the spools hold many."""
    monkeypatch.setattr(engine, "STAGE_BATCH", 7)
    ran = []
    run = engine._Reader.run

    def spied(reader):
        ran.append(reader.name)
        run(reader)

    monkeypatch.setattr(engine._Reader, "run", spied)
    outcomes = []
    for name in ("side_by_side", "one_after_the_other"):
        _forget_imports()
        with translation.override(language):
            result = import_folder(folder(files, name))
        outcomes.append((result, _written(), list(ran)))
        ran.clear()
        monkeypatch.setattr(engine, "_side_by_side", lambda specs, ctx: False)
    return outcomes


def _same(first, second):
    assert [p.as_list() for p in first[0].problems] == [p.as_list() for p in second[0].problems]
    assert first[0].problem_count == second[0].problem_count
    assert first[0].summary == second[0].summary
    assert first[1] == second[1]


def test_a_valid_folder_is_written_the_same_side_by_side(folder, monkeypatch):
    side, after = _both_ways(folder, VALID, monkeypatch)
    assert side[2] == ["interchange-reader"] and after[2] == []
    _same(side, after)
    assert side[0].ok, side[0].problems
    assert side[0].summary["clients.csv"]["created"] == 39
    assert side[0].summary["contacts.csv"]["created"] == 400
    assert len(side[1]["Trajectory"]) == 39
    assert any({"C7", valid_bsn(7), "Selam", "9401 AB"} <= set(row) for row in side[1]["Client"])


@pytest.mark.parametrize(
    ("language", "required"), [("en", "required, but empty"), ("nl", "verplicht, maar leeg")]
)
def test_a_bad_folder_gets_the_same_problems_side_by_side(folder, monkeypatch, language, required):
    side, after = _both_ways(folder, BAD, monkeypatch, language)
    assert side[2] == ["interchange-reader"]
    _same(side, after)
    problems = [p.as_list() for p in side[0].problems]
    # Found by the reader thread, in the language of whoever imports.
    assert ["clients.csv", 4, "first_name", required] in problems
    assert {p[0] for p in problems} == set(BAD)  # every file's problems, none lost
    assert side[0].problem_count > 600
    assert not any(side[1].values())  # nothing written


def test_a_file_not_utf8_and_one_copy_refuses_get_the_same_problems_side_by_side(
    folder, monkeypatch
):
    files = {
        **VALID,
        # Not UTF-8: a file of the reader thread's and one of COPY's.
        "trajectories.csv": (TRAJECTORIES + "\nT1,C1,employee,,2022-01-04,,,,\n").encode()
        + b"T2,C2,employee,,2022-01-04,,,,caf\xe9\n",
        "employers.csv": lines(EMPLOYERS, "E1,Bol,12345678,Assen,ja").encode() + b"\xff\n",
        # A quoted cell: COPY does not read it as the reader does, the loop reads it.
        "contacts.csv": lines(
            CONTACTS, 'K1,C1,2024-03-01,phone,"Intake, eerste"', "K2,C99,2024-13-01,phone,"
        ),
    }
    side, after = _both_ways(folder, files, monkeypatch)
    assert side[2] == ["interchange-reader"]
    _same(side, after)
    problems = [p.as_list()[:3] for p in side[0].problems]
    assert ["trajectories.csv", None, "-"] in problems and ["employers.csv", None, "-"] in problems
    assert ["contacts.csv", 3, "client_ref"] in problems and ["contacts.csv", 3, "date"] in problems


def test_with_an_anonymised_client_the_files_are_checked_one_after_the_other():
    """The loop asks the database which of its clients are anonymised; the thread has no
    connection."""
    ctx = engine.Context()
    specs = list(engine.formats.FILES)
    assert engine._side_by_side(specs, ctx)
    ClientFactory(bsn=valid_bsn(61), source_ref="GONE", anonymised_at="2025-01-01T00:00:00Z")
    assert not engine._side_by_side(specs, engine.Context())
    # Only files of one kind: nothing to read beside.
    assert not engine._side_by_side([engine.formats.CLIENTS], ctx)
    assert not engine._side_by_side([engine.formats.CONTACTS], ctx)


def test_the_reader_thread_makes_no_query(folder, monkeypatch):
    """What it needs from the database is read before it starts (Context.read_ahead); without
    that, its first lookup of a route would query, and the import stops instead of using a
    connection that cannot see the caller's transaction."""
    monkeypatch.setattr(engine.Context, "read_ahead", lambda ctx, specs: None)
    with pytest.raises(AssertionError, match="the reader thread made a query"):
        import_folder(folder(VALID))
    assert not [t for t in threading.enumerate() if t.name == "interchange-reader"]
    monkeypatch.undo()
    assert import_folder(folder(VALID)).ok  # and the staging tables were dropped


def test_when_the_main_thread_fails_the_reader_stops_and_its_spools_are_closed(folder, monkeypatch):
    """The reader stops in the middle of its first file instead of reading every file."""
    readers, reading = [], threading.Event()
    start, read_rows_into = engine._Reader.start, engine._read_rows_into

    def started(reader):
        readers.append(reader)
        start(reader)

    def slowly(sink, spec, path, ctx, progress):
        if threading.current_thread().name == "interchange-reader":
            reading.set()
            sink.stopping.wait(timeout=30)  # until the main thread gives up
        read_rows_into(sink, spec, path, ctx, progress)

    def fails(*args, **kwargs):
        assert reading.wait(timeout=30)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(engine._Reader, "start", started)
    monkeypatch.setattr(engine, "_read_rows_into", slowly)
    monkeypatch.setattr(copyload, "load", fails)
    with pytest.raises(RuntimeError, match="went away"):
        import_folder(folder(VALID))
    (reader,) = readers
    assert not reader.is_alive()
    assert isinstance(reader.error, engine._Stopped)
    assert list(reader.spools) == ["clients.csv"]  # no file after the first was begun
    assert reader.spools["clients.csv"].file.closed
    assert not Client.objects.exists()


def test_the_progress_of_a_folder_checked_side_by_side_never_goes_back(
    folder, monkeypatch, tmp_path
):
    """The files are reported out of their order; the page's bar must not jump back."""
    written = []
    monkeypatch.setattr(progress, "write_progress", lambda path, data: written.append(data))
    files = [spec.name for spec in engine.formats.FILES if spec.name in VALID]
    report = progress.FileProgress(tmp_path / "progress.json", files, every=0.0)
    assert import_folder(folder(VALID), progress=report).ok
    percents = [data["percent"] for data in written]
    assert percents == sorted(percents)
    assert {data["file"] for data in written if data["stage"] == "check"} == set(VALID)
    assert percents[-1] == 100


def test_while_the_main_thread_waits_for_a_file_it_reports_how_far_the_reader_is(
    folder, monkeypatch
):
    """The reader thread may not report (the page's progress is the main thread's): the main
    thread, waiting for clients.csv, reports the share the reader has read."""
    monkeypatch.setattr(engine, "REPORT_EVERY", 0.01)
    reported = threading.Event()
    original = engine._read_rows_into

    def halfway_then_wait(sink, spec, path, ctx, progress):
        if threading.current_thread().name == "interchange-reader" and spec.name == "clients.csv":
            progress("check", spec.name, 0.5)  # half the file read ...
            assert reported.wait(10), "the main thread did not report the reading"
        return original(sink, spec, path, ctx, progress)

    def record(stage, name, fraction):
        calls.append((stage, name, fraction))
        if (stage, name, fraction) == ("check", "clients.csv", engine.READ_SHARE * 0.5):
            reported.set()

    calls = []
    monkeypatch.setattr(engine, "_read_rows_into", halfway_then_wait)
    assert import_folder(folder(VALID), progress=record).ok
    clients = [f for stage, name, f in calls if (stage, name) == ("check", "clients.csv")]
    # ... told before the file's end (0.0 before it, if the main thread was waiting already).
    assert engine.READ_SHARE * 0.5 in clients
    assert clients == sorted(clients) and clients[-1] == 1.0
