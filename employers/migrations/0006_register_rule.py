"""A vacancy says what it asks of the target-group register: not asked, suitable (register
status counts in the score), register candidates first, or only them (issue 19).

The yes/no it replaces meant "suitable": a vacancy that had it keeps that meaning.
"""

from django.db import migrations, models


def from_yes_no(apps, schema_editor):
    Vacancy = apps.get_model("employers", "Vacancy")
    Vacancy.objects.filter(suitable_for_register=True).update(register_rule="suitable")


def to_yes_no(apps, schema_editor):
    Vacancy = apps.get_model("employers", "Vacancy")
    Vacancy.objects.exclude(register_rule="no").update(suitable_for_register=True)


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0005_name_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="vacancy",
            name="register_rule",
            field=models.CharField(
                choices=[
                    ("no", "Not for the register"),
                    ("suitable", "Suitable for the register: register status counts in the score"),
                    ("first", "Set aside for the register: register candidates first"),
                    ("only", "Set aside for the register: only register candidates"),
                ],
                default="no",
                help_text=(
                    "A job-agreement (banenafspraak) job: register status counts in the score, "
                    "and the job may be set aside for candidates in the register."
                ),
                max_length=10,
                verbose_name="target-group register",
            ),
        ),
        migrations.RunPython(from_yes_no, to_yes_no),
        migrations.RemoveField(
            model_name="vacancy",
            name="suitable_for_register",
        ),
    ]
