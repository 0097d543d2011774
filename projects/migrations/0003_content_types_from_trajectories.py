"""The content types of the moved models go from app label trajectories to projects.

Renaming the row keeps its id, so what hangs on it stays attached: the permissions
(`view_project_results`, `add_stagereached`, ...) with every group and user they were granted to,
and the change history (auditlog's LogEntry, which may not be updated: it is append-only). A new
database has no such rows yet; its post_migrate makes the projects ones.
"""

from django.db import migrations

MODELS = [
    "project",
    "projectgroup",
    "projectstage",
    "stagereached",
    "event",
    "eventparticipant",
]


def _move(apps, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        # A post_migrate between two runs (`migrate projects 0001`, then the rest) may have
        # made an empty twin under the new label: its fresh permissions carry no grants a role
        # needs (core.roles.sync_roles grants again after this migrate), so it goes.
        twin = ContentType.objects.filter(app_label=new_label, model=model).first()
        if twin is not None:
            if LogEntry.objects.filter(content_type=twin).exists():
                raise RuntimeError(
                    f"Both {old_label}.{model} and {new_label}.{model} have a change history; "
                    "merge their content types by hand."
                )
            twin.delete()  # with its permissions
        old.app_label = new_label
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, "trajectories", "projects")


def backwards(apps, schema_editor):
    _move(apps, "projects", "trajectories")


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("projects", "0002_projects_tables"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
