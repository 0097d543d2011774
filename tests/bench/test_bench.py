"""make bench's table (bench/scale.py): the rows, their goals and the JSON, at a tiny scale."""

import datetime
import io
import json
import re
from unittest import mock

import pytest
from django.db import connection

from bench import region as regions
from bench import scale

KEYS = {"machine", "clients", "import_rows_per_s", "copy_rows_per_s", "rows"}
ROW_KEYS = {
    "name",
    "small_s",
    "large_s",
    "ratio",
    "small_queries",
    "large_queries",
    "sql_ratio",
}


def test_ratios_that_miss_their_goal_are_marked():
    small = {
        "dossier": scale.Measure(0.020, 15),
        "caseload list": scale.Measure(0.050, 20),
        "kpis for a year": scale.Measure(0.010, 12, plain=0.008),
    }
    large = {
        "dossier": scale.Measure(0.025, 15),  # 1.25: fine
        "caseload list": scale.Measure(0.100, 21),  # 2.0 and one query more
        "kpis for a year": scale.Measure(0.300, 12, plain=0.100),  # 3x plain SQL
    }
    rows = {row.name: row for row in scale.build(small, large)}

    assert [name for name in rows] == ["caseload list", "dossier", "kpis for a year"]
    assert rows["dossier"].ratio == 1.25 and rows["dossier"].misses == []
    assert rows["caseload list"].misses == ["ratio", "queries"]
    assert rows["kpis for a year"].sql_ratio == 3.0
    assert rows["kpis for a year"].misses == ["ratio", "sql_ratio"]
    assert rows["dossier"].sql_ratio is None

    text = scale.table(list(rows.values()), small_clients=1000, large_clients=100_000)
    lines = text.splitlines()
    assert "100,000 clients" in lines[0]
    caseload = next(line for line in lines if line.startswith("caseload list"))
    assert "2.00 !" in caseload and "20 / 21 !" in caseload
    dossier = next(line for line in lines if line.startswith("dossier"))
    assert "!" not in dossier
    # Aligned: every row of the table as wide as the rule under the header.
    assert len({len(line) for line in lines[1:2]}) == 1


@pytest.mark.django_db
def test_a_tiny_region_gives_every_page_and_the_json():
    region = regions.generate(100)
    # The coach measured has the same caseload at every scale: the region grows by coaches.
    assert region.caseload == regions.CASELOAD
    assert region.rows["contacts"] == 1000 and region.rows["appointments"] > 0

    pages = {
        "caseload list",
        "dossier",
        "agenda (coach's week)",
        "client form (register)",
        "candidate ranking (vacancy)",
    }
    measured = scale.measure_region(region, repeat=1, only=pages)
    assert set(measured) == pages
    assert all(m.seconds > 0 and m.queries > 0 for m in measured.values())
    assert measured["candidate ranking (vacancy)"].plain > 0

    rows = scale.build(measured, measured)
    document = json.loads(
        json.dumps(
            scale.as_json(
                rows,
                machine=scale.machine(),
                clients=100,
                import_rows_per_s=1000,
                copy_rows_per_s=2000,
            )
        )
    )
    assert set(document) == KEYS
    assert "vCPU" in document["machine"] and "Python 3." in document["machine"]
    assert all(set(row) == ROW_KEYS for row in document["rows"])
    assert all(row["ratio"] == 1.0 for row in document["rows"])


@pytest.mark.django_db
def test_the_import_is_timed_against_a_plain_copy():
    imported = scale.measure_import(20, repeat=1)

    assert imported["rows"] > 200
    assert imported["import_s"] > 0 and imported["copy_s"] > 0
    row = scale.import_measure(imported, 20)
    assert row.seconds == pytest.approx(imported["import_s"] * 50)


@pytest.mark.django_db(transaction=True)
def test_bench_import_prints_its_ratios_and_what_they_are_made_of():
    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench_import", clients=20, slow_statements=0, stdout=out)

    text = out.getvalue()
    # What each table's COPY and key rebuild took, and the import's statements with their time.
    assert re.search(r"^plain COPY per table .*clients_contact \d+\.\d \+ \d+\.\d s", text, re.M)
    assert re.search(r"^ +\d+\.\d\d s  INSERT INTO .clients_client", text, re.M)
    ratio = float(re.search(r"^import / plain COPY: (\d+\.\d+)x \(goal[^)]*1\.5x", text, re.M)[1])
    parts = re.search(r"^import's parts / plain COPY: writing (\S+)x, checking (\S+)x$", text, re.M)
    writing, checking = float(parts[1]), float(parts[2])
    # The parts are the import's own two phases, each timed within the import and against the
    # same COPY: together they are the whole but for rounding and discovering the files.
    assert writing > 0 and checking > 0
    assert ratio * 0.8 <= writing + checking <= ratio + 0.016  # three roundings to 0.01


@pytest.mark.django_db
def test_bench_dossier_lists_each_query_of_the_fullest_dossier(coach, client_of_coach):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench_dossier", user=coach.username, runs=1, stdout=out)
    text = out.getvalue()
    assert f"client {client_of_coach.pk}: status 200" in text
    assert "clients/views.py" in text  # where a query came from
    assert "median of 1:" in text


@pytest.mark.django_db
def test_bench_dossier_explain_gives_each_reads_planning_and_execution_time(coach, client_of_coach):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench_dossier", user=coach.username, runs=1, explain=True, stdout=out)
    timed = re.findall(r"planned in [\d.]+ ms, ran in [\d.]+ ms", out.getvalue())
    if connection.vendor == "postgresql":
        queries = int(re.search(r"status 200, (\d+) queries", out.getvalue())[1])
        assert 0 < len(timed) < queries  # every read, not the access log's INSERT
    else:
        assert timed == []  # EXPLAIN ANALYZE is PostgreSQL's


@pytest.mark.django_db
def test_bench_dossier_can_time_a_dossier_whose_charts_are_drawn_anew(coach, client_of_coach):
    """--charts-cold times the view after the client's figures changed: every chart is drawn,
    none is taken from (or left in) the cache."""
    from django.core.management import call_command

    from clients.models import LadderObservation
    from core import charts

    for months, step in ((1, 2), (7, 3)):  # the trajectories panel draws the ladder's chart
        LadderObservation.objects.create(
            client=client_of_coach,
            step=step,
            observed_on=datetime.date.today() - datetime.timedelta(days=30 * months),
        )
    views = {"user": coach.username, "client": client_of_coach.pk, "runs": 2}
    with mock.patch.object(charts.plt, "subplots", wraps=charts.plt.subplots) as drawn:
        call_command("bench_dossier", **views, stdout=io.StringIO())
        warm = drawn.call_count
        out = io.StringIO()
        call_command("bench_dossier", **views, charts_cold=True, stdout=out)
    assert "charts drawn on every view" in out.getvalue()
    assert drawn.call_count - warm >= 2  # a chart drawn on each of the two timed views


@pytest.mark.django_db
def test_bench_pages_measures_a_left_region_again_and_updates_its_file(tmp_path):
    """A page changed on a region of a million clients is measured again without generating
    the region again (bench_pages); --update puts its figures where bench_table reads them."""
    from dataclasses import asdict

    from django.core.management import call_command
    from django.core.management.base import CommandError

    region = regions.generate(100)
    part = tmp_path / "large.json"
    old = {"dossier": {"seconds": 9.0, "queries": 99, "plain": None}}
    part.write_text(json.dumps({"region": asdict(region), "measures": old}))
    out = io.StringIO()
    call_command("bench_pages", str(part), only="dossier", repeat=1, update=True, stdout=out)
    assert "dossier" in out.getvalue() and "(was 9,000 ms)" in out.getvalue()
    dossier = json.loads(part.read_text())["measures"]["dossier"]
    assert 0 < dossier["seconds"] < 9.0 and 0 < dossier["queries"] < 99

    with pytest.raises(CommandError, match="Unknown pages: the moon"):
        call_command("bench_pages", str(part), only="the moon")
    elsewhere = json.loads(part.read_text())
    elsewhere["region"]["coach"] = "nobody-here"
    part.write_text(json.dumps(elsewhere))
    with pytest.raises(CommandError, match="does not hold the region"):
        call_command("bench_pages", str(part))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="side by side: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_bench_import_can_check_one_file_at_a_time_to_compare(monkeypatch):
    from django.core.management import call_command

    from interchange import engine

    started = []
    monkeypatch.setattr(engine._Reader, "start", lambda reader: started.append(reader))
    call_command("bench_import", clients=20, one_file_at_a_time=True, stdout=io.StringIO())
    assert started == []  # no reader thread: the files were checked one after the other
    assert engine.SIDE_BY_SIDE  # and the next import checks them side by side again


def test_bench_import_sets_the_engines_knobs_for_its_own_run_only(monkeypatch):
    from django.core.management import call_command

    from bench.management.commands.bench_import import Command
    from interchange import engine

    seen = []
    monkeypatch.setattr(
        Command,
        "_run",
        lambda self, **options: seen.append((engine.SWITCH_INTERVAL, engine.SIDE_BY_SIDE)),
    )
    call_command("bench_import", switch_interval=0.004, one_file_at_a_time=True)
    call_command("bench_import")
    assert seen == [(0.004, False), (0.0002, True)]
    assert (engine.SWITCH_INTERVAL, engine.SIDE_BY_SIDE) == (0.0002, True)
