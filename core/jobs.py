"""The lifecycle of a long job a worker runs for one row (a report run, an import run).

A job claims its row with a conditional UPDATE and writes a claimant token on it (host, process
id, a nonce). While it works, a `Heartbeat` thread shows it lives every JOB_HEARTBEAT_SECONDS.
A job silent for JOB_STALE_SECONDS (a few beats) is dead. Celery redelivers the message of a
killed pool child at once (CELERY_TASK_ACKS_LATE + CELERY_TASK_REJECT_ON_WORKER_LOST): that
delivery waits, with `await_silence`, until the claimant is provably dead or silent, and takes
the run over. A message lost with its whole worker (the embedded broker keeps it only in the
worker's memory) is made up for by the minutely sweep of each app (`Job.stalled_requeue`).

`Job` is the abstract model a run inherits: its lifecycle fields, and the claim, heartbeat,
finish and requeue as conditional UPDATEs on them. A service queues a job's task by its name
(`task_enqueue`), so it never imports its own tasks module; the task imports the service.
"""

import datetime
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from typing import ClassVar, NamedTuple

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

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


def task_enqueue(name: str, *args) -> None:
    """Send the Celery task `name` (its dotted path, which is also its Celery name) its
    arguments once the current transaction commits: a worker must find the rows it is sent.

    By name, imported late in this one place: a service never imports its own tasks module
    (the task imports the service). The task itself is called, not `send_task`, so its options
    and CELERY_TASK_ALWAYS_EAGER still apply.
    """
    task = import_string(name)
    transaction.on_commit(lambda: task.delay(*args))


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Step(NamedTuple):
    """One step of a job: the status it waits in, the status it runs in, and the Celery task
    (by name, see task_enqueue) that runs it. A report has one step; an import two."""

    waiting: str
    busy: str
    task: str


class Job(models.Model):
    """The row a long job works for is the source of truth, not the broker (the embedded broker
    loses a killed worker's message; Redis returns it only after its visibility timeout).

    A worker claims a step with a conditional UPDATE (`claim`), so a second delivery of the same
    message does nothing while the first lives; it beats (`beat`) while it works and records
    the outcome while the claim is still its own (`finish`, `fail`). A redelivered message takes
    a run over once its claimant is provably dead or silent; `stalled_requeue` (beat, every
    minute) queues a run again whose worker died with its message, or whose message was lost.
    A subclass names its `steps` and `gave_up_message`, and may override `status` (its choices)
    and the hooks `last_seen`, `as_seen`, `taken_over` and `give_up`.
    """

    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus, default=JobStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # When it was last put in the queue: not claimed within JOB_UNCLAIMED_MINUTES of this, its
    # message counts as lost (stalled_requeue).
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # host:pid:nonce of the worker process that claimed it (claimant_token): a redelivered
    # message takes the run over when that process is gone or its heartbeat stopped.
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True, editable=False)

    steps: ClassVar[tuple[Step, ...]] = ()
    # Why a run whose worker died JOB_MAX_ATTEMPTS times failed; "%(count)d" is that number.
    gave_up_message: ClassVar[str]
    # What else a claim starts afresh (a report's progress).
    claim_resets: ClassVar[dict] = {}

    class Meta:
        abstract = True

    @property
    def is_running(self) -> bool:
        """Waiting for a worker or being worked on."""
        return self.status in self.running_statuses()

    @property
    def is_finished(self) -> bool:
        return not self.is_running

    @classmethod
    def running_statuses(cls) -> list[str]:
        return [status for step in cls.steps for status in (step.waiting, step.busy)]

    @classmethod
    def step_of(cls, status: str) -> Step:
        """The step a status waits or runs in."""
        return next(step for step in cls.steps if status in (step.waiting, step.busy))

    @classmethod
    def enqueue(cls, pk: int, step: Step | None = None) -> None:
        """Queue a step of the run (its first by default) after the commit, and start its clock:
        it counts as lost only if no worker claims it within JOB_UNCLAIMED_MINUTES of now (not
        of when the run was asked for)."""
        step = step or cls.steps[0]
        cls.objects.filter(pk=pk).update(queued_at=timezone.now())
        task_enqueue(step.task, pk)

    @classmethod
    def claim(cls, pk: int, token: str, step: Step | None = None) -> bool:
        """Claim a queued step, or take over a running one whose worker died; the conditional
        UPDATE lets one delivery win. False: done, or a live worker has it."""
        step = step or cls.steps[0]
        now = timezone.now()
        claimed = {
            "status": step.busy,
            "attempts": F("attempts") + 1,
            "started_at": now,
            "heartbeat_at": now,
            "finished_at": None,
            "error": "",
            "claimed_by": token,
            **cls.claim_resets,
        }
        # Read first: on SQLite an UPDATE waits for the write lock a running import holds.
        queued = cls.objects.filter(pk=pk, status=step.waiting)
        if queued.exists() and queued.update(**claimed):
            return True
        # A redelivered message (its pool child was killed): wait, at most a few heartbeats,
        # for the claimant to be provably dead or silent, then take over from exactly what was
        # seen.
        seen = await_silence(lambda: cls.seen(pk, step.busy))
        if seen is None:
            return False
        log.warning(
            "%s %s: taking over from dead worker %s", cls._meta.verbose_name, pk, seen.claimant
        )
        dead = cls.objects.filter(pk=pk, status=step.busy, **cls.as_seen(seen))
        if cls.give_up(pk, dead) or not dead.update(**claimed):
            return False
        cls.taken_over(pk, seen)
        return True

    @classmethod
    def seen(cls, pk: int, busy: str) -> Seen | None:
        """The run's claimant and last sign of life while it is `busy`; None once it is not."""
        row = (
            cls.objects.filter(pk=pk, status=busy)
            .values_list("claimed_by", "heartbeat_at", "started_at")
            .first()
        )
        return cls.last_seen(pk, *row) if row else None

    @classmethod
    def last_seen(
        cls,
        pk: int,
        claimant: str,
        heartbeat_at: datetime.datetime | None,
        started_at: datetime.datetime | None,
    ) -> Seen:
        """Hook: a running run's last sign of life. Here its heartbeat_at."""
        return Seen(claimant, heartbeat_at)

    @classmethod
    def as_seen(cls, seen: Seen) -> dict:
        """Hook: the filter that finds the run only while it is as it was seen, so a worker
        that beat a moment ago keeps it."""
        return {"claimed_by": seen.claimant, "heartbeat_at": seen.beat}

    @classmethod
    def taken_over(cls, pk: int, seen: Seen) -> None:
        """Hook: after a take-over from the dead claimant `seen` (an import deletes its folder)."""

    @classmethod
    def give_up(cls, pk: int, dead: models.QuerySet) -> bool:
        """A run whose worker died JOB_MAX_ATTEMPTS times fails, instead of killing the next
        one. `dead`: the run as it was seen dead."""
        return bool(
            dead.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
                status=JobStatus.FAILED,
                error=cls.gave_up_message % {"count": settings.JOB_MAX_ATTEMPTS},
                finished_at=timezone.now(),
            )
        )

    @classmethod
    def mine(cls, pk: int, token: str) -> models.QuerySet:
        """The run while the claim `token` holds it: what its worker may still write."""
        return cls.objects.filter(pk=pk, claimed_by=token, status__in=[s.busy for s in cls.steps])

    @classmethod
    def beat(cls, pk: int, token: str, **fields) -> None:
        """The worker holding the claim shows it lives (with `fields`, e.g. its progress)."""
        cls.mine(pk, token).update(heartbeat_at=timezone.now(), **fields)

    @classmethod
    def finish(cls, pk: int, token: str, status: str, **fields) -> bool:
        """Record the outcome, only while the claim is still ours: a worker that took over a
        run it thought dead (a heartbeat lost to a locked database) records its own."""
        now = timezone.now()
        return bool(
            cls.mine(pk, token).update(status=status, finished_at=now, heartbeat_at=now, **fields)
        )

    @classmethod
    def fail(cls, pk: int, token: str, error: str) -> bool:
        """The step failed: the run says why (and is not retried by itself)."""
        return cls.finish(pk, token, JobStatus.FAILED, error=error)

    @classmethod
    def stalled_requeue(cls, now: datetime.datetime | None = None) -> list[int]:
        """Runs a dead worker left behind go back to the queue (beat, every minute).

        Running, and its claimant's process is gone from this host or it gave no sign of life
        for JOB_STALE_SECONDS: the whole worker died with its message (a killed pool child's
        message comes back by itself, see claim). Queued JOB_UNCLAIMED_MINUTES ago and not
        claimed: its message was lost. Both are queued (again); the claim makes a duplicate
        harmless.
        """
        now = now or timezone.now()
        unclaimed = now - datetime.timedelta(minutes=settings.JOB_UNCLAIMED_MINUTES)
        requeued = []
        for pk, status, claimant, beat, started_at, queued_at, created_at in cls.objects.filter(
            status__in=cls.running_statuses()
        ).values_list(
            "pk", "status", "claimed_by", "heartbeat_at", "started_at", "queued_at", "created_at"
        ):
            step = cls.step_of(status)
            if status == step.waiting:
                if (queued_at or created_at) >= unclaimed:
                    continue
            else:
                seen = cls.last_seen(pk, claimant, beat, started_at)
                if not is_dead(seen, now):
                    continue
                # Checked again in the update: a worker that beat a moment ago keeps its run,
                # else two workers would work on it at once.
                dead = cls.objects.filter(pk=pk, status=status, **cls.as_seen(seen))
                if cls.give_up(pk, dead) or not dead.update(status=step.waiting):
                    continue
            cls.enqueue(pk, step)
            requeued.append(pk)
        return requeued
