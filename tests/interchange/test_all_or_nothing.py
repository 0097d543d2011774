"""All or nothing, idempotence, the dry run, the round trip and the commands."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from clients.models import Client, Contact
from employers.models import Employer
from interchange.engine import import_folder
from interchange.exporter import export_folder
from placements.models import Placement, Provision, WageValueAssessment
from projects.models import Project
from tests.factories import ClientFactory, ContactFactory, valid_bsn
from tests.interchange.conftest import HEADER, client_line, lines
from trajectories.models import Trajectory

pytestmark = pytest.mark.usefixtures("reference_data")

MODELS = (Client, Contact, Trajectory, Employer, Placement, WageValueAssessment, Provision)


def full_folder(folder, name="folder", last_name="Tesfay"):
    return folder(
        {
            "clients.csv": lines(
                HEADER,
                client_line("C1", n=1, last=last_name),
                client_line("C2", n=2, first="محمد", last="العلي", municipality="Tynaarlo"),
                client_line(
                    "C3",
                    n=3,
                    first="ሰላም",
                    last="ተስፋይ",
                    deregistered_on="2023-06-30",
                    deregistration_reason="work",
                    target_group_register="ja",
                ),
            ),
            "employers.csv": lines(
                "employer_ref,name,kvk_number,municipality,social_enterprise",
                'E1,"Bakkerij ""De Korenschoof""",12345678,Assen,ja',
                "E2,Zorg Noord,,,",
            ),
            "service_area.csv": lines("municipality", "Assen", "Tynaarlo"),
            "trajectories.csv": lines(
                "trajectory_ref,client_ref,route,branch_team,start_date,end_date,outcome,"
                "project,project_group",
                "T1,C1,employee,hodezo,2021-01-04,2022-03-01,work,pilot,met instrument",
                "T2,C1,participation,,2022-04-01,,,,",
                "T3,C3,employee,bilt,2021-05-01,2023-06-30,work,,",
            ),
            "contacts.csv": lines(
                "contact_ref,client_ref,date,channel,subject",
                'K1,C1,2024-03-01,phone,"Gesprek over\nwerk"',
                "K2,C1,2024-03-08,in_person,Intake",
                "K3,C2,2024-03-09,email,",
            ),
            "placements.csv": lines(
                "placement_ref,client_ref,employer_ref,kind,start_date,end_date,contract,"
                "hours_per_week,sroi",
                "P1,C3,E1,regular,2023-07-01,,permanent,32,ja",
                'P2,C1,E2,work_experience,2022-01-10,2022-02-20,none,"20,5",',
            ),
            "wage_value_assessments.csv": lines(
                "assessment_ref,client_ref,placement_ref,assessed_on,wage_value_percent,method",
                "W1,C3,P1,2023-07-15,62.5,Dariuz",
                "W2,C1,,2022-01-05,40,",
            ),
            "provisions.csv": lines(
                "provision_ref,client_ref,placement_ref,kind,granted_on,start_date,end_date,"
                "amount_eur",
                "V1,C3,P1,wage_cost_subsidy_structural,2023-06-20,2023-07-01,,948.48",
                "V2,C1,,job_coach,2022-01-05,,,",
            ),
        },
        name=name,
    )


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot():
    """Every row of every model the import writes, as the database holds it."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def test_a_full_folder_imports_and_an_unchanged_reimport_writes_nothing(folder):
    path = full_folder(folder)
    result = import_folder(path)
    assert result.problems == []
    assert {name: c["created"] for name, c in result.summary.items()} == {
        "clients.csv": 3,
        "employers.csv": 2,
        "service_area.csv": 0,
        "trajectories.csv": 3,
        "contacts.csv": 3,
        "placements.csv": 2,
        "wage_value_assessments.csv": 2,
        "provisions.csv": 2,
    }
    before = snapshot()
    again = import_folder(path)
    assert again.problems == []
    for name, c in again.summary.items():
        assert (c["created"], c["updated"], c["unchanged"]) == (0, 0, c["rows"]), name
    # Not one row changed: not a value, not updated_at, not a version.
    assert snapshot() == before


def test_a_changed_folder_updates_the_records_with_the_same_refs(folder):
    assert import_folder(full_folder(folder)).ok
    c1 = Client.objects.get(source_ref="C1")
    changed = import_folder(full_folder(folder, name="changed", last_name="Tesfaye"))
    assert changed.problems == []
    assert changed.summary["clients.csv"] == {
        "rows": 3,
        "created": 0,
        "updated": 1,
        "unchanged": 2,
    }
    c1_after = Client.objects.get(source_ref="C1")
    assert c1_after.pk == c1.pk
    assert c1_after.last_name == "Tesfaye"
    assert c1_after.version > c1.version  # an edit form opened before the import is stale
    assert c1_after.updated_at > c1.updated_at
    assert Client.objects.count() == 3


def test_the_dry_run_reports_what_would_happen_and_writes_nothing(folder):
    before = counts()
    result = import_folder(full_folder(folder), dry_run=True)
    assert result.problems == []
    assert result.summary["contacts.csv"]["created"] == 3
    assert counts() == before
    assert not Project.objects.exists()


def test_the_dry_run_command_writes_nothing(folder, capsys):
    call_command("import_data", str(full_folder(folder)), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Dry run: no problems found, nothing written.")
    assert out[2].split() == ["clients.csv", "3", "3", "0", "0"]
    assert set(counts().values()) == {0}


def test_a_folder_with_a_hundred_errors_leaves_the_database_unchanged(folder):
    ClientFactory(source_ref=None, bsn=valid_bsn(900), last_name="Bestaand")
    assert import_folder(full_folder(folder)).ok
    before = snapshot()
    good = [client_line(f"N{i}", n=100 + i) for i in range(40)]
    bad_clients = [client_line(f"B{i}", n=200 + i, birth_date="1990-02-31") for i in range(40)]
    bad_contacts = [f"X{i},NOPE{i},2024-01-01,phone," for i in range(30)]
    path = folder(
        {
            "clients.csv": lines(HEADER, *good, *bad_clients),
            "contacts.csv": lines("contact_ref,client_ref,date,channel,subject", *bad_contacts),
            "employers.csv": lines(
                "employer_ref,name,kvk_number,municipality,social_enterprise",
                *[f"F{i},Naam {i},,Nergenshuizen," for i in range(30)],
            ),
        },
        name="hundred",
    )
    result = import_folder(path)
    assert len(result.problems) == 100
    assert snapshot() == before


def test_a_database_refusal_rolls_everything_back(folder, monkeypatch):
    from interchange import engine

    def refuse(*args, **kwargs):
        from django.db import IntegrityError

        raise IntegrityError("simulated refusal")

    original = engine._write_service_area
    monkeypatch.setattr(engine, "_write_service_area", refuse)
    result = import_folder(full_folder(folder))
    monkeypatch.setattr(engine, "_write_service_area", original)
    assert [p.code for p in result.problems] == ["database"]
    # Clients and employers came before the refusal in the same transaction: rolled back.
    assert set(counts().values()) == {0}


def test_the_command_lists_every_problem_and_exits_non_zero(folder, capsys):
    path = folder(
        {"clients.csv": lines(HEADER, client_line("C1", birth_date="1990-02-31", target_group="x"))}
    )
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_data", str(path))
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("clients.csv:2: birth_date: ")
    assert err[1].startswith("clients.csv:2: target_group: ")


def test_the_command_prints_a_summary_per_file(folder, capsys):
    call_command("import_data", str(full_folder(folder)))
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["file", "rows", "created", "updated", "unchanged"]
    assert out[1].split() == ["clients.csv", "3", "3", "0", "0"]
    assert out[5].split() == ["contacts.csv", "3", "3", "0", "0"]


def _empty_the_database():
    for model in (Provision, WageValueAssessment, Placement, Contact, Trajectory, Project):
        model.objects.all().delete()
    Client.objects.all().delete()
    Employer.objects.all().delete()


@pytest.mark.parametrize("keys_rebuilt", [False, True])
def test_export_then_import_into_an_empty_database_then_export_gives_identical_files(
    folder, tmp_path, monkeypatch, keys_rebuilt
):
    """keys_rebuilt: each table is written as a large one is (keys dropped and rebuilt; on
    PostgreSQL its records numbered by line, writer._reserve_ids)."""
    if keys_rebuilt:
        from interchange import writer

        if connection.vendor != "postgresql":
            pytest.skip("keys are dropped and rebuilt on PostgreSQL only")
        monkeypatch.setattr(writer, "REBUILD_KEYS_FROM", 1)
    assert import_folder(full_folder(folder)).ok
    # Records entered in the product (no source reference) travel too.
    extra = ClientFactory(bsn=valid_bsn(50), first_name="Ana", last_name="Silva", team=None)
    ContactFactory(client=extra, subject='Zei: "ja; morgen"')
    first = tmp_path / "first"
    export_folder(first)
    _empty_the_database()
    result = import_folder(first)
    assert result.problems == []
    assert result.summary["clients.csv"]["created"] == 4
    second = tmp_path / "second"
    export_folder(second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert len(names) == 8
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert f"wo-{extra.pk}" in (first / "clients.csv").read_text()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="keys are dropped and rebuilt on PostgreSQL only"
)
@pytest.mark.parametrize("by_copy", [True, False], ids=["read by COPY", "read by the loop"])
def test_a_large_first_import_numbers_records_in_the_files_order_and_leaves_later_ids_free(
    folder, monkeypatch, by_copy
):
    """Written as a large first import is (keys dropped and rebuilt: ids by line, not by a
    sort), the contacts get ids in the order of their lines, whose numbers have a gap (a row
    without text, or a cell over two lines), and a contact logged in the product afterwards
    gets a new id (none of the imported ones)."""
    from interchange import copyload, writer

    monkeypatch.setattr(writer, "REBUILD_KEYS_FROM", 1)
    reserved, loaded = [], []
    reserve, load = writer._reserve_ids, copyload.load
    monkeypatch.setattr(writer, "_reserve_ids", lambda *a: reserved.append(a) or reserve(*a))

    def spied(spec, *args, **kwargs):
        loaded.append((spec.name, load(spec, *args, **kwargs)))
        return loaded[-1][1]

    monkeypatch.setattr(copyload, "load", spied)
    # In the product before: the table holds no imported rows yet.
    made = ContactFactory(client=ClientFactory(bsn=valid_bsn(50)))
    folder = full_folder(folder)
    (folder / "contacts.csv").write_text(
        lines(
            "contact_ref,client_ref,date,channel,subject",
            "Z9,C2,2024-03-09,email,",
            # COPY reads a row without text (and it is left out); a quoted cell goes to the loop.
            "A1,C1,2024-03-01,phone," + ("Gesprek" if by_copy else '"Ge-\nsprek"'),
            ",,,," if by_copy else "",
            "M5,C1,2024-03-08,in_person,Intake",
        ),
        encoding="utf-8",
        newline="",
    )
    assert import_folder(folder).ok
    assert ("contacts.csv", by_copy) in loaded
    # Lines 2 to 5, the one without text among them (COPY) or the cell over two lines (loop).
    assert [lines for model, lines in reserved if model is Contact] == [(2, 5)]
    imported = list(Contact.objects.exclude(pk=made.pk).order_by("pk"))
    assert [c.source_ref for c in imported] == ["Z9", "A1", "M5"]
    assert imported[0].pk > made.pk
    later = ContactFactory(client=imported[0].client)
    assert later.pk > imported[-1].pk


def test_the_export_is_comma_delimited_utf8_without_bom(folder, tmp_path):
    assert import_folder(full_folder(folder)).ok
    export_folder(tmp_path / "out")
    data = (tmp_path / "out" / "clients.csv").read_bytes()
    assert data.startswith(b"client_ref,bsn,first_name,")
    assert "محمد".encode() in data
    contacts = (tmp_path / "out" / "contacts.csv").read_text(encoding="utf-8")
    assert 'K1,C1,2024-03-01,phone,"Gesprek over\nwerk"' in contacts
    employers = (tmp_path / "out" / "employers.csv").read_text(encoding="utf-8")
    assert 'E1,"Bakkerij ""De Korenschoof""",12345678,Assen,true' in employers


def test_the_export_command_writes_every_file(folder, tmp_path, capsys):
    assert import_folder(full_folder(folder)).ok
    call_command("export_data", str(tmp_path / "out"))
    assert "clients.csv" in capsys.readouterr().out
    assert (tmp_path / "out" / "provisions.csv").read_text().count("\n") == 3


def test_the_fast_path_that_drops_and_rebuilds_keys_leaves_every_key_in_place(folder, monkeypatch):
    """On PostgreSQL a large first import drops foreign keys and indexes and rebuilds them."""
    from interchange import writer

    def keys():
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE conrelid::regclass::text LIKE ANY "
                "(ARRAY['clients_%%', 'placements_%%', 'trajectories_%%', 'employers_%%']) "
                "UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE tablename LIKE ANY "
                "(ARRAY['clients_%%', 'placements_%%', 'trajectories_%%', 'employers_%%']) "
                "ORDER BY 1, 2, 3"
            )
            return cursor.fetchall()

    before = keys()
    monkeypatch.setattr(writer, "REBUILD_KEYS_FROM", 1)
    result = import_folder(full_folder(folder))
    assert result.problems == []
    assert keys() == before
    assert Contact.objects.filter(client__source_ref="C1").count() == 2


def test_a_dry_run_keeps_the_keys_so_readers_are_not_locked_out(folder, monkeypatch):
    from interchange import writer

    def refuse(table):
        raise AssertionError(f"a dry run dropped the keys of {table}")

    monkeypatch.setattr(writer, "REBUILD_KEYS_FROM", 1)
    monkeypatch.setattr(writer, "_KeysDropped", refuse)
    result = import_folder(full_folder(folder), dry_run=True)
    assert result.problems == []
    assert result.summary["contacts.csv"]["created"] == 3


@pytest.mark.parametrize("many", [False, True])
def test_a_reimport_ends_a_trajectory_opens_the_next_and_adds_and_changes_contacts(
    folder, monkeypatch, many
):
    """A re-import finds in one join what differs and what is new, then updates before it
    inserts: the client's open trajectory is ended before the next one opens (one open
    trajectory per client). A dry run counts the same and writes nothing. With many changes
    (the threshold lowered) PostgreSQL gets the changed rows' statistics before they are
    joined; the temporary table goes with the write."""
    from django.test.utils import CaptureQueriesContext

    from interchange import writer

    if many:
        monkeypatch.setattr(writer, "ANALYZE_CHANGES_FROM", 1)
    first = full_folder(folder)
    assert import_folder(first).ok
    files = {path.name: path.read_bytes() for path in first.iterdir()}
    files["trajectories.csv"] = lines(
        "trajectory_ref,client_ref,route,branch_team,start_date,end_date,outcome,"
        "project,project_group",
        "T1,C1,employee,hodezo,2021-01-04,2022-03-01,work,pilot,met instrument",
        "T2,C1,participation,,2022-04-01,2024-01-31,work,,",  # ended
        "T3,C3,employee,bilt,2021-05-01,2023-06-30,work,,",
        "T4,C1,employee,,2024-02-01,,,,",  # the next, open
    )
    files["contacts.csv"] = lines(
        "contact_ref,client_ref,date,channel,subject",
        'K1,C1,2024-03-01,phone,"Gesprek over\nwerk"',
        "K2,C1,2024-03-08,in_person,Intake",
        "K3,C2,2024-03-09,phone,Teruggebeld",  # changed
        "K4,C2,2024-03-10,email,",  # new
    )
    again = folder(files, name="again")
    before = snapshot()

    dry = import_folder(again, dry_run=True)
    assert dry.problems == []
    assert snapshot() == before
    with CaptureQueriesContext(connection) as queries:
        real = import_folder(again)
    assert real.problems == []
    analyzed = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE pg_temp.")]
    assert len(analyzed) == (2 if many and connection.vendor == "postgresql" else 0), analyzed
    one_new_one_changed = {"rows": 4, "created": 1, "updated": 1, "unchanged": 2}
    for result in (dry, real):
        assert result.summary["trajectories.csv"] == one_new_one_changed
        assert result.summary["contacts.csv"] == one_new_one_changed
        assert result.summary["clients.csv"]["unchanged"] == 3
    trajectories = Trajectory.objects.filter(client__source_ref="C1").order_by("start_date")
    assert [(t.source_ref, t.end_date) for t in trajectories] == [
        ("T1", datetime.date(2022, 3, 1)),
        ("T2", datetime.date(2024, 1, 31)),
        ("T4", None),
    ]
    k3 = Contact.objects.get(source_ref="K3")
    assert (k3.channel, k3.subject, k3.version) == ("phone", "Teruggebeld", 2)
    assert Contact.objects.get(source_ref="K4").client.source_ref == "C2"
    # Records nobody changed kept their version: only what differed was written.
    assert Contact.objects.get(source_ref="K2").version == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relname = %s "
            "AND relnamespace = pg_my_temp_schema()"
            if connection.vendor == "postgresql"
            else "SELECT count(*) FROM sqlite_temp_master WHERE name = %s",
            [writer.CHANGES],
        )
        assert cursor.fetchone()[0] == 0
