"""The embedded broker (no REDIS_URL): kombu's filesystem transport, made safe for a file that
is being written, or was never finished.

kombu's own transport creates a message's file in the queue folder and only then writes it; a
worker that lists the folder in between takes the empty file, fails to read it as JSON and stops
("Unrecoverable error: JSONDecodeError", seen once in CI), and a process killed in between
leaves such a file for the next worker. It creates an exchange's table of queues (the control
folder's `<exchange>.exchange`, read by every message sent) the same way, so that an empty table
file would stop every sender and worker until someone deleted it.

Here each file is written under a name nobody reads, flushed to disk and renamed into place
whole (a rename within a folder is atomic). A message file that still is no message (left by
kombu's own transport, or by a machine that lost power) is logged and skipped instead of
stopping the worker; the job it would have started is sent again by the sweep
(JOB_UNCLAIMED_MINUTES). A table file that is no table is written again by the next process
that binds a queue to it, as each sender and worker does when it starts. What a sender killed
while writing leaves, and the messages workers took (kept in processed/ for a day), are deleted
by beat once a day (core.tasks.remove_old_broker_files).

Chosen by `CELERY_BROKER_TRANSPORT` in config/settings.py.
"""

import logging
import os
import time
import uuid
from pathlib import Path

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)

# What config/settings.py and a test's own embedded app name as the broker's transport.
TRANSPORT = "config.embedded_broker:Transport"


def transport_options(queue: Path | str) -> dict:
    """The transport's options for a queue folder: config/settings.py's, and those of the
    tests' own embedded sender (tests/core/test_worker.py), which must not drift apart."""
    queue = Path(queue)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(queue / "processed"),
        # Its exchange tables too (kombu's default is ./control, beside the code).
        "control_folder": str(queue / "control"),
        # A message a worker takes is moved into processed/ (on the queue's own filesystem: one
        # rename, which only one of two workers can win) instead of /tmp, which may be another
        # filesystem (a copy two workers could both make); beat deletes those a day old.
        "store_processed": True,
    }


# The end of a file being written. kombu reads a queue's messages only from names whose part
# after the first dot is "<queue>.msg", and a table only under "<exchange>.exchange".
PARTIAL = ".partial"


def _write_whole(path: Path, content, *, replace: bool) -> bool:
    """Write `content` as JSON to `path` all at once: under a name of its own first, then
    renamed. `replace`: over whatever is there; otherwise only if nothing is (False: something
    was)."""
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}{PARTIAL}")
    try:
        with open(partial, "wb") as file:
            file.write(str_to_bytes(dumps(content)))
            file.flush()
            os.fsync(file.fileno())
        if replace:
            os.replace(partial, path)
        else:
            try:
                os.link(partial, path)  # fails if the file exists: another process made it
            except FileExistsError:
                return False
        return True
    except OSError as error:
        raise ChannelError(f"Cannot write {path}") from error
    finally:
        partial.unlink(missing_ok=True)


def remove_old(folders, pattern: str, *, older_than: float) -> int:
    """Delete the files of `folders` that match `pattern` once they are `older_than` seconds
    old: those senders killed while writing left behind (`*.partial`; one still being written
    is younger), and the messages workers took (processed/); how many."""
    now = time.time()
    removed = 0
    for folder in folders:
        for path in Path(folder).glob(pattern):
            try:
                if now - path.stat().st_mtime > older_than:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # its sender finished, or another sweep took it
                continue
    return removed


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        # kombu's name: the time first, so that the queue is read in the order it was sent.
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        _write_whole(Path(self.data_folder_out) / name, payload, replace=True)

    def _get(self, queue):
        while True:  # until a message reads, or the queue is empty (kombu raises Empty)
            try:
                return super()._get(queue)
            except ValueError as error:  # the file was taken off the queue before it was read
                logger.error("A message of queue %s was no message, skipped: %s", queue, error)

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        file = self._exchange_file(exchange)
        self.control_folder.mkdir(exist_ok=True)
        binding = [routing_key or "", pattern or "", queue or ""]
        if not file.exists() and _write_whole(file, [binding], replace=False):
            return
        try:  # kombu adds the binding to the table under its lock
            super()._queue_bind(exchange, routing_key, pattern, queue)
        except ValueError as error:  # no table: made by a process that died making it
            logger.error("The table of exchange %s was no table, written anew: %s", exchange, error)
            _write_whole(file, [binding], replace=True)


class Transport(filesystem.Transport):
    Channel = Channel
