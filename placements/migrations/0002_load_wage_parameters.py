"""The dated parameters of the wage-cost subsidy, present after migrate.

The lists live in placements/reference.py; this migration and `manage.py load_reference_data`
both call its load() (with this migration's app registry here), so there is one list.
"""

from django.db import migrations


def load(apps, schema_editor):
    from placements import reference

    reference.load(apps)


def unload(apps, schema_editor):
    from placements import reference

    reference.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_placements_assessments_provisions_aftercare")]

    operations = [migrations.RunPython(load, unload)]
