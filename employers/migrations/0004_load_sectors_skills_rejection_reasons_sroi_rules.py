"""Sectors, skills, rejection reasons and the starting Social Return rule, present after migrate.

The lists live in employers/reference.py; this migration and `manage.py load_reference_data`
both call its load() (with this migration's app registry here), so there is one list.
"""

from django.db import migrations


def load(apps, schema_editor):
    from employers import reference

    reference.load(apps)


def unload(apps, schema_editor):
    from employers import reference

    reference.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("employers", "0003_candidate_criteria_indexes")]

    operations = [migrations.RunPython(load, unload)]
