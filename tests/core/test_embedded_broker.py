"""The embedded broker (config/embedded_broker.py): a worker never takes a message that is
still being written, and a file in its queue that is no message does not stop it."""

import json
import logging
import os
import subprocess
import sys
import time

import pytest
from kombu import Connection
from kombu.transport.virtual.base import BrokerState

from config import embedded_broker


@pytest.fixture
def queue_dir(tmp_path):
    """A queue folder of the test's own. (Its queue gets a name of its own too: kombu keeps
    the consumers of a queue name per transport class, across connections.)"""
    (tmp_path / "processed").mkdir()
    return tmp_path


def _connection(queue_dir, transport=embedded_broker.TRANSPORT, store_processed=False):
    folder = str(queue_dir)
    return Connection(
        "filesystem://",
        transport=transport,
        transport_options={
            "data_folder_in": folder,
            "data_folder_out": folder,
            "processed_folder": str(queue_dir / "processed"),
            "control_folder": str(queue_dir / "control"),
            "store_processed": store_processed,
        },
    )


def test_without_redis_the_workers_and_senders_use_this_transport():
    """What a process of the embedded mode connects with (its settings, without REDIS_URL):
    the worker reads and the web process sends through Celery's connection."""
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from config.celery import app; "
            "print(app.connection_for_read().transport_cls); "
            "print(type(app.connection_for_write().default_channel).__module__); "
            "from django.conf import settings; import json; "
            "print(json.dumps(app.conf.broker_transport_options, sort_keys=True, default=str)); "
            "print(settings.CELERY_QUEUE_DIR)",
        ],
        env={**os.environ, "REDIS_URL": "", "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert shown[-4:-2] == [embedded_broker.TRANSPORT, "config.embedded_broker"]
    # Taken messages are moved into processed/ beside the queue, not copied to /tmp.
    options = json.loads(shown[-2])
    assert options == embedded_broker.transport_options(shown[-1])
    assert options["store_processed"] is True
    assert options["processed_folder"] == os.path.join(shown[-1], "processed")


def _files_at_fsync(monkeypatch, folder):
    """The files of `folder` at each moment a file is flushed to disk, before it is renamed."""
    seen = []
    fsync = os.fsync

    def recording(fd):
        seen.append(sorted(os.listdir(folder)))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    return seen


def test_a_message_enters_the_queue_only_when_it_is_whole(queue_dir, monkeypatch):
    with _connection(queue_dir) as connection:
        jobs = connection.SimpleQueue(queue_dir.name)
        seen = _files_at_fsync(monkeypatch, queue_dir)
        jobs.put({"run": 7})
        # While it was written, only a file no queue reads was there.
        message = f".{queue_dir.name}.msg"
        assert seen and not any(f.endswith(message) for files in seen for f in files)
        assert any(f.endswith(embedded_broker.PARTIAL) for f in seen[-1])
        files = os.listdir(queue_dir)
        assert [f for f in files if f.endswith(message)]
        assert not [f for f in files if f.endswith(embedded_broker.PARTIAL)]
        assert jobs.get(timeout=1).payload == {"run": 7}
        jobs.close()


def test_an_exchanges_table_is_made_whole_and_mended_when_it_was_left_empty(
    queue_dir, monkeypatch, caplog
):
    control = queue_dir / "control"
    table = control / f"{queue_dir.name}.exchange"
    with _connection(queue_dir) as connection:
        seen = _files_at_fsync(monkeypatch, control)
        jobs = connection.SimpleQueue(queue_dir.name)  # binds the queue: the table is made
        assert seen and not any(table.name in files for files in seen)
        assert json.loads(table.read_text()) == [[queue_dir.name, "", queue_dir.name]]
        jobs.close()

    table.write_bytes(b"")  # what kombu's own transport leaves when its maker is killed
    with _connection(queue_dir, transport="filesystem") as connection, pytest.raises(ValueError):
        connection.SimpleQueue(queue_dir.name).put({"run": 9})
    # A process starting: kombu remembers the bindings it made per process (and transport).
    monkeypatch.setattr(embedded_broker.Transport, "global_state", BrokerState())
    with _connection(queue_dir) as connection:
        with caplog.at_level(logging.ERROR, logger="config.embedded_broker"):
            jobs = connection.SimpleQueue(queue_dir.name)
        assert "was no table, written anew" in caplog.text
        jobs.put({"run": 9})
        assert jobs.get(timeout=1).payload == {"run": 9}
        jobs.close()


def test_a_message_still_being_written_is_not_taken(queue_dir):
    with _connection(queue_dir) as connection:
        jobs = connection.SimpleQueue(queue_dir.name)
        # What a sender is writing: its name is no queue's until it is renamed.
        being_written = queue_dir / f"1_x.{queue_dir.name}.msg{embedded_broker.PARTIAL}"
        being_written.write_bytes(b'{"body": ')
        with pytest.raises(jobs.Empty):
            jobs.get(timeout=0.1)
        assert being_written.exists()
        jobs.close()


def test_a_file_that_is_no_message_is_skipped_and_the_next_message_read(queue_dir, caplog):
    with _connection(queue_dir) as connection:
        jobs = connection.SimpleQueue(queue_dir.name)
        # kombu's own transport creates the file before it writes it; a sender killed in
        # between, or a reader in between, finds it empty. It sorts before the real message.
        (queue_dir / f"0_empty.{queue_dir.name}.msg").write_bytes(b"")
        jobs.put({"run": 8})
        with caplog.at_level(logging.ERROR, logger="config.embedded_broker"):
            assert jobs.get(timeout=1).payload == {"run": 8}
        assert "was no message, skipped" in caplog.text
        with pytest.raises(jobs.Empty):
            jobs.get(timeout=0.1)
        jobs.close()


def test_kombus_own_transport_stops_on_such_a_file(queue_dir):
    """Why this transport exists: the empty file stops kombu's own reader (a worker ends with
    "Unrecoverable error")."""
    with _connection(queue_dir, transport="filesystem") as connection:
        jobs = connection.SimpleQueue(queue_dir.name)
        (queue_dir / f"0_empty.{queue_dir.name}.msg").write_bytes(b"")
        with pytest.raises(ValueError):
            jobs.get(timeout=0.1)
        jobs.close()


def test_what_killed_senders_left_and_taken_messages_are_removed_once_old(tmp_path, settings):
    from core.tasks import remove_old_broker_files

    queue, control, processed = tmp_path, tmp_path / "control", tmp_path / "processed"
    control.mkdir()
    processed.mkdir()
    old_message = queue / f"1_a.celery.msg.x{embedded_broker.PARTIAL}"
    old_table = control / f"celery.exchange.y{embedded_broker.PARTIAL}"
    being_written = queue / f"2_b.celery.msg.z{embedded_broker.PARTIAL}"
    waiting = queue / "3_c.celery.msg"  # not taken yet, however old
    taken_two_days_ago = processed / "4_d.celery.msg"
    taken_two_hours_ago = processed / "5_e.celery.msg"
    ages = {
        old_message: 2 * 60 * 60,
        old_table: 2 * 60 * 60,
        being_written: 0,
        waiting: 3 * 24 * 60 * 60,
        taken_two_days_ago: 2 * 24 * 60 * 60,
        taken_two_hours_ago: 2 * 60 * 60,
    }
    for path, age in ages.items():
        path.write_text("{}")
        os.utime(path, (time.time() - age, time.time() - age))
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "processed_folder": str(processed),
    }

    assert remove_old_broker_files() == 3
    entry = settings.CELERY_BEAT_SCHEDULE["remove-old-broker-files"]
    assert entry["task"] == "core.tasks.remove_old_broker_files"

    assert {path for path in ages if path.exists()} == {
        being_written,
        waiting,
        taken_two_hours_ago,
    }
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert remove_old_broker_files() == 0


def test_a_taken_message_is_kept_in_processed_on_the_queues_filesystem(queue_dir):
    """Moved by one rename, which only one worker can win (settings: store_processed)."""
    with _connection(queue_dir, store_processed=True) as connection:
        jobs = connection.SimpleQueue(queue_dir.name)
        jobs.put({"run": 10})
        assert jobs.get(timeout=1).payload == {"run": 10}
        assert [f.name for f in (queue_dir / "processed").iterdir()][0].endswith(
            f".{queue_dir.name}.msg"
        )
        jobs.close()
