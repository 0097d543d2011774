"""The lifecycle of a long job a worker runs for one row (a report run, an import run).

A job claims its row with a conditional UPDATE and writes a claimant token on it (host, process
id, a nonce). While it works, a `Heartbeat` thread shows it lives every JOB_HEARTBEAT_SECONDS.
A job silent for JOB_STALE_SECONDS (a few beats) is dead. Celery redelivers the message of a
killed pool child at once (CELERY_TASK_ACKS_LATE + CELERY_TASK_REJECT_ON_WORKER_LOST): that
delivery waits, with `await_silence`, until the claimant is provably dead or silent, and takes
the run over. A message lost with its whole worker (the embedded broker keeps it only in the
worker's memory) is made up for by the minutely sweep of each app (`stalled_requeue`).
"""

import datetime
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from django.conf import settings
from django.db import connections
from django.utils import timezone

log = logging.getLogger(__name__)


def _pid_namespace() -> str:
    # Two containers may share a host name (host networking) but never a process namespace:
    # a process id means something only within it.
    try:
        return "".join(c for c in os.readlink("/proc/self/ns/pid") if c.isdigit()) or "?"
    except OSError:
        return "?"


HOST = f"{socket.gethostname()}/{_pid_namespace()}"


def claimant_token() -> str:
    """Who claims a run: this host (and process namespace) and process, and a nonce that makes
    each claim unique (the take-over is a compare-and-swap on it)."""
    return f"{HOST}:{os.getpid()}:{secrets.token_hex(4)}"


def claim_nonce(token: str) -> str:
    """The last part of a claimant token: what tells one attempt at a run from another."""
    return token.rsplit(":", 1)[-1] if token.count(":") >= 2 else ""


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by someone else
        return False
    try:  # a killed child its parent has not reaped yet is a zombie: dead all the same
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return False


def claimant_is_dead(token: str) -> bool:
    """True only when the claimant ran on this host and its process no longer exists. Another
    host, this very process or a re-used process id: not provably dead (wait for silence)."""
    try:
        host, pid, _nonce = token.rsplit(":", 2)
        pid = int(pid)
    except ValueError:
        return False
    if host != HOST or HOST.endswith("/?") or pid == os.getpid():
        return False
    return _pid_gone(pid)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)


class Seen(NamedTuple):
    """A running run as a would-be taker saw it: its claimant and its last sign of life."""

    claimant: str
    beat: datetime.datetime | None


def is_dead(seen: Seen, now: datetime.datetime | None = None) -> bool:
    """Its claimant's process is gone, or it gave no sign of life for JOB_STALE_SECONDS."""
    now = now or timezone.now()
    return claimant_is_dead(seen.claimant) or seen.beat is None or now - seen.beat >= stale_after()


def await_silence(observe: Callable[[], Seen | None], poll: float = 0.5) -> Seen | None:
    """Watch a running run until its claimant is dead or silent: then return what was seen last,
    for a conditional take-over. None when it finished or was given up meanwhile (observe()
    returned None) or when it beat: a live worker has it, this delivery is a duplicate.

    Bounded by JOB_STALE_SECONDS: silent for that long as measured here (whatever the writer's
    clock says) is dead.
    """
    first = None
    since = time.monotonic()
    while True:
        seen = observe()
        if seen is None:
            return None
        if is_dead(seen):
            return seen
        if first is None:
            first = seen
        elif seen != first:
            return None
        if time.monotonic() - since >= settings.JOB_STALE_SECONDS:
            return seen
        time.sleep(poll)


class Heartbeat:
    """A daemon thread calling beat() every JOB_HEARTBEAT_SECONDS while the job works.

    It beats however long a silent step takes (building keys, drawing a chart), and stops with
    the process: a killed worker goes silent at once. A failing beat (a locked SQLite file) is
    logged and tried again at the next beat; the job itself goes on.
    """

    def __init__(self, beat: Callable[[], None], every: float | None = None):
        self.beat = beat
        self.every = every if every is not None else settings.JOB_HEARTBEAT_SECONDS
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="job-heartbeat", daemon=True)

    def _run(self):
        try:
            while not self.stopped.wait(self.every):
                try:
                    self.beat()
                except Exception:  # noqa: BLE001 (the job must not die of its heartbeat)
                    log.warning("heartbeat failed", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections only

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=self.every + 1)
        return False
