"""The document kinds and a letter template of each kind, present after migrate.

The lists live in documents/reference.py; this migration and `manage.py load_reference_data`
both call its load() (with this migration's app registry here), so there is one list.
"""

from django.db import migrations


def load(apps, schema_editor):
    from documents import reference

    reference.load(apps)


def unload(apps, schema_editor):
    from documents import reference

    reference.unload(apps)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_letters_templates")]

    operations = [migrations.RunPython(load, unload)]
