"""One open coach period for every client that has a coach, from the day they registered: the
history starts with what the product holds (clients.handover writes every later change)."""

from django.db import migrations


def backfill(apps, schema_editor):
    Client = apps.get_model("clients", "Client")
    CoachPeriod = apps.get_model("clients", "CoachPeriod")
    has_open = CoachPeriod.objects.filter(ended_on__isnull=True).values("client_id")
    rows = (
        Client.objects.filter(coach__isnull=False)
        .exclude(pk__in=has_open)
        .values_list("pk", "coach_id", "team_id", "registered_on")
        .iterator(chunk_size=2000)
    )
    batch = []
    for pk, coach, team, registered in rows:
        batch.append(
            CoachPeriod(
                client_id=pk,
                coach_id=coach,
                team_id=team,
                started_on=registered,
                reason="registration",
            )
        )
        if len(batch) >= 2000:
            CoachPeriod.objects.bulk_create(batch)
            batch = []
    CoachPeriod.objects.bulk_create(batch)


def remove(apps, schema_editor):
    apps.get_model("clients", "CoachPeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0010_coach_history_handover")]

    operations = [migrations.RunPython(backfill, remove)]
