"""Settings for a worker whose reports take a few seconds longer, so a test can kill it mid-report.

The delay is added inside the report run, after the run was claimed (status "running").
"""

import time

from celery.signals import task_prerun

from config.test_settings import *  # noqa: F403

PAUSE_SECONDS = 8


@task_prerun.connect
def _slow_down_reports(**kwargs):
    from reporting import report

    if getattr(report.build, "slowed_down", False):
        return
    build = report.build

    def slow_build(*args, **kwargs):
        time.sleep(PAUSE_SECONDS)
        return build(*args, **kwargs)

    slow_build.slowed_down = True
    report.build = slow_build
