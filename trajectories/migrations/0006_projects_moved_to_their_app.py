"""Projects and events are an app of their own now (projects/migrations/0001, issue 16).

State only: trajectories forgets the six models, and a trajectory's project and project group
point to projects.Project and projects.ProjectGroup; the tables and the foreign keys in the
database stay as they are (projects 0002 renames the tables).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0001_initial'),
        ('trajectories', '0005_load_routes_branch_teams_activity_kinds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='eventparticipant',
                    name='event',
                ),
                migrations.RemoveField(
                    model_name='eventparticipant',
                    name='client',
                ),
                migrations.RemoveField(
                    model_name='eventparticipant',
                    name='registered_by',
                ),
                migrations.RemoveField(
                    model_name='projectgroup',
                    name='project',
                ),
                migrations.RemoveField(
                    model_name='projectstage',
                    name='project',
                ),
                migrations.RemoveField(
                    model_name='stagereached',
                    name='project',
                ),
                migrations.AlterField(
                    model_name='trajectory',
                    name='project',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='trajectories', to='projects.project', verbose_name='project'),
                ),
                migrations.AlterField(
                    model_name='trajectory',
                    name='project_group',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='trajectories', to='projects.projectgroup', verbose_name='project group'),
                ),
                migrations.RemoveField(
                    model_name='stagereached',
                    name='stage',
                ),
                migrations.RemoveField(
                    model_name='stagereached',
                    name='client',
                ),
                migrations.RemoveField(
                    model_name='stagereached',
                    name='recorded_by',
                ),
                migrations.DeleteModel(
                    name='Event',
                ),
                migrations.DeleteModel(
                    name='EventParticipant',
                ),
                migrations.DeleteModel(
                    name='Project',
                ),
                migrations.DeleteModel(
                    name='ProjectGroup',
                ),
                migrations.DeleteModel(
                    name='ProjectStage',
                ),
                migrations.DeleteModel(
                    name='StageReached',
                ),
            ],
            database_operations=[],
        ),
    ]
