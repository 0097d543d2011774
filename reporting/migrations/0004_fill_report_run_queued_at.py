"""A queued report's clock moves from heartbeat_at to queued_at (core.jobs.Job).

Until 0003 a run's enqueue stamped heartbeat_at; a run still waiting keeps that time as the
moment it was queued, so the sweep does not take it for lost any earlier or later.
"""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    ReportRun = apps.get_model("reporting", "ReportRun")
    ReportRun.objects.filter(status="queued", queued_at__isnull=True).update(
        queued_at=F("heartbeat_at")
    )


def unfill(apps, schema_editor):
    ReportRun = apps.get_model("reporting", "ReportRun")
    ReportRun.objects.filter(status="queued", queued_at__isnull=False).update(
        heartbeat_at=F("queued_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_report_run_job"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
