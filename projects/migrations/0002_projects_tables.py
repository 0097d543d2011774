"""The tables take this app's names (trajectories_project -> projects_project, ...).

After trajectories 0006, so the trajectories' foreign keys already point to these models. A
rename keeps the rows, the keys and the grants of the application role (audit/grants.py grants
every table again after each migrate anyway).
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0001_initial'),
        ('trajectories', '0006_projects_moved_to_their_app'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='event',
            table=None,
        ),
        migrations.AlterModelTable(
            name='eventparticipant',
            table=None,
        ),
        migrations.AlterModelTable(
            name='project',
            table=None,
        ),
        migrations.AlterModelTable(
            name='projectgroup',
            table=None,
        ),
        migrations.AlterModelTable(
            name='projectstage',
            table=None,
        ),
        migrations.AlterModelTable(
            name='stagereached',
            table=None,
        ),
    ]
