"""The routes, branch teams and activity kinds interchange.md lists, present after migrate.

The lists live in trajectories/reference.py; this migration and `manage.py load_reference_data`
both call its load() (with this migration's app registry here), so there is one list.
"""

from django.db import migrations


def load(apps, schema_editor):
    from trajectories import reference

    reference.load(apps)


def unload(apps, schema_editor):
    from trajectories import reference

    reference.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0004_trajectory_source_ref")]

    operations = [migrations.RunPython(load, unload)]
