"""The default letter template of the event invitation (Dutch, as the other templates), present
after migrate. documents.reference holds the text; its load() creates only what is missing, so a
template a functional administrator changed stays as it is."""

from django.db import migrations


def load(apps, schema_editor):
    from documents import reference

    reference.load(apps)


def unload(apps, schema_editor):
    apps.get_model("documents", "LetterTemplate").objects.filter(kind="event_invitation").delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_letter_kind_event_invitation")]

    operations = [migrations.RunPython(load, unload)]
