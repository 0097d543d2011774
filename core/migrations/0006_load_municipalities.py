"""Every Dutch municipality from core/data/municipalities.csv (interchange.md, "Municipalities").

The list is read through core.municipalities.load with this migration's app registry, so the
migration and `manage.py load_municipalities` share one loader and one data file.
"""

from django.db import migrations


def load(apps, schema_editor):
    from core import municipalities

    municipalities.load(apps)


def unload(apps, schema_editor):
    from core import municipalities

    municipalities.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_municipality_history")]

    operations = [migrations.RunPython(load, unload)]
