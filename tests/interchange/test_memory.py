"""The import's memory is bounded by a constant, not by the rows of the folder or the records of
the product (issue 20): what a check needs of either is asked of the database, on the staging
tables, a batch at a time."""

import time
import tracemalloc

import pytest

from bench import interchange as bench
from interchange import parsers, reader
from interchange.engine import import_folder

pytestmark = pytest.mark.usefixtures("reference_data")

MiB = 1024 * 1024
SMALL, LARGE = 1_000, 10_000  # clients, each with ten contacts (bench.interchange.generate)
# What the import holds that is bounded but larger than the small folder fills: a batch of rows
# for the staging table or read back from it, the parsed cell texts kept per column, the dates
# kept by the date parser and the chunk of a file read for its UTF-8 check. Made smaller here,
# so that both folders fill them and only what grows with the rows differs.
STAGE_BATCH = 200
KNOWN_VALUES_PER_COLUMN = 1_000
KNOWN_DATES = 1_000
CHUNK = 1 << 16
# Measured: 0.45 and 0.57 MiB; the import before issue 20's step, which kept the product's
# BSNs and the clients' open trajectories in maps, 0.62 and 3.44 MiB.
MARGIN = 1 * MiB


def _reimport_peak(folder) -> int:
    """Python's peak allocation during an unchanged re-import of the folder, in bytes: the
    product then holds every record of the folder, which a map of the product would hold."""
    assert import_folder(folder).ok
    tracemalloc.start()
    try:
        result = import_folder(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ok
    assert sum(c["created"] + c["updated"] for c in result.summary.values()) == 0
    return peak


def test_the_imports_memory_does_not_grow_with_the_rows(tmp_path, monkeypatch):
    monkeypatch.setattr("interchange.engine.STAGE_BATCH", STAGE_BATCH)
    monkeypatch.setattr("interchange.copyload.BATCH", STAGE_BATCH)  # PostgreSQL's COPY path
    monkeypatch.setattr("interchange.engine.KNOWN_VALUES_PER_COLUMN", KNOWN_VALUES_PER_COLUMN)
    monkeypatch.setattr(parsers, "KNOWN_DATES", KNOWN_DATES)
    monkeypatch.setattr(parsers, "_dates", {})
    monkeypatch.setattr(reader, "CHUNK", CHUNK)
    started = time.perf_counter()
    bench.generate(tmp_path / "small", clients=SMALL)
    small = _reimport_peak(tmp_path / "small")
    bench.generate(tmp_path / "large", clients=LARGE)
    large = _reimport_peak(tmp_path / "large")
    print(
        f"\npeak {small / MiB:.1f} MiB at {SMALL:,} clients, {large / MiB:.1f} MiB at "
        f"{LARGE:,}; {time.perf_counter() - started:.0f} s"
    )
    assert large - small < MARGIN
