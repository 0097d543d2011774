"""Settings for a worker whose jobs take a few seconds longer, so a test can kill it mid-job.

A report pauses before it builds, after the run was claimed (status "running"). An import
pauses at its first written rows, inside its transaction (so a kill leaves half an import to
roll back); a check (a dry run) does not pause. WO_SLOW_SECONDS sets the pause (default 8).
WO_SWEEP_SECONDS, when set, makes `-B` run only the two stalled-job sweeps, that often, from a
schedule file (tests/test_crash_recovery.py: a whole worker killed, a new one started).
"""

import os
import time

from celery.signals import task_prerun

from config.test_settings import *  # noqa: F403

PAUSE_SECONDS = float(os.environ.get("WO_SLOW_SECONDS", "8"))

if os.environ.get("WO_SWEEP_SECONDS"):
    CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
    CELERY_BEAT_SCHEDULE = {
        name: {"task": f"{app}.tasks.{name.replace('-', '_')}", "schedule": every}
        for app, name, every in [
            ("reporting", "requeue-stalled-reports", float(os.environ["WO_SWEEP_SECONDS"])),
            ("interchange", "requeue-stalled-imports", float(os.environ["WO_SWEEP_SECONDS"])),
        ]
    }


@task_prerun.connect
def _slow_down(**kwargs):
    from interchange import services
    from reporting import report

    if not getattr(report.build, "slowed_down", False):
        build = report.build

        def slow_build(*args, **kwargs):
            time.sleep(PAUSE_SECONDS)
            return build(*args, **kwargs)

        slow_build.slowed_down = True
        report.build = slow_build

    if not getattr(services.import_folder, "slowed_down", False):
        import_folder = services.import_folder

        def slow_import_folder(folder, *, dry_run=False, progress=None, actor=None):
            paused = []

            def slow_progress(stage, file, fraction):
                progress(stage, file, fraction)
                if stage == "write" and not dry_run and not paused:
                    paused.append(True)
                    time.sleep(PAUSE_SECONDS)

            return import_folder(folder, dry_run=dry_run, progress=slow_progress, actor=actor)

        slow_import_folder.slowed_down = True
        services.import_folder = slow_import_folder
