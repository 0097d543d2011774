"""The project and event models move here from trajectories, tables and rows untouched.

State only: the tables trajectories/migrations/0001 and 0003 made (trajectories_project, ...)
become this app's models as they are; trajectories 0006 then forgets them and points
Trajectory.project and project_group here, and 0002 gives the tables this app's names.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('clients', '0007_name_validators'),
        ('trajectories', '0005_load_routes_branch_teams_activity_kinds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Event',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('date', models.DateField(verbose_name='date')),
                        ('kind', models.CharField(choices=[('job_festival', 'Job festival'), ('speed_date', 'Speed dating with employers'), ('information', 'Information meeting'), ('workshop', 'Workshop'), ('other', 'Other')], default='job_festival', max_length=20, verbose_name='kind')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                    ],
                    options={
                        'verbose_name': 'event',
                        'verbose_name_plural': 'events',
                        'db_table': 'trajectories_event',
                        'ordering': ['-date', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Project',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True, verbose_name='code')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('start_date', models.DateField(blank=True, null=True, verbose_name='start date')),
                        ('end_date', models.DateField(blank=True, null=True, verbose_name='end date')),
                        ('target', models.PositiveIntegerField(blank=True, help_text='Number of clients to reach work.', null=True, verbose_name='target')),
                    ],
                    options={
                        'verbose_name': 'project',
                        'verbose_name_plural': 'projects',
                        'db_table': 'trajectories_project',
                        'ordering': ['name'],
                        'permissions': [('view_project_results', 'Can view the results of projects and events')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('start_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='project_ends_after_start', violation_error_message='A project cannot end before it starts.')],
                    },
                ),
                migrations.CreateModel(
                    name='ProjectStage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('position', models.PositiveSmallIntegerField(help_text='Stages are shown from low to high.', verbose_name='position')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stages', to='projects.project', verbose_name='project')),
                    ],
                    options={
                        'verbose_name': 'funnel stage',
                        'verbose_name_plural': 'funnel stages',
                        'db_table': 'trajectories_projectstage',
                        'ordering': ['project', 'position'],
                    },
                ),
                migrations.CreateModel(
                    name='StageReached',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reached_on', models.DateField(verbose_name='reached on')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='project_stages', to='clients.client', verbose_name='client')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stages_reached', to='projects.project', verbose_name='project')),
                        ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('stage', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reached', to='projects.projectstage', verbose_name='stage')),
                    ],
                    options={
                        'verbose_name': 'stage reached',
                        'verbose_name_plural': 'stages reached',
                        'db_table': 'trajectories_stagereached',
                        'ordering': ['reached_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='EventParticipant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('result', models.CharField(choices=[('work', 'Paid work'), ('work_learning', 'Work-and-learn place'), ('education', 'Education'), ('work_experience', 'Work-development place'), ('nothing_yet', 'Nothing yet')], default='nothing_yet', max_length=20, verbose_name='result')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='event_participations', to='clients.client', verbose_name='client')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='projects.event', verbose_name='event')),
                        ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by')),
                    ],
                    options={
                        'verbose_name': 'event participant',
                        'verbose_name_plural': 'event participants',
                        'db_table': 'trajectories_eventparticipant',
                        'ordering': ['event', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('event', 'client'), name='event_participant_once', violation_error_message='This client is already a participant.')],
                    },
                ),
                migrations.CreateModel(
                    name='ProjectGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='projects.project', verbose_name='project')),
                    ],
                    options={
                        'verbose_name': 'project group',
                        'verbose_name_plural': 'project groups',
                        'db_table': 'trajectories_projectgroup',
                        'ordering': ['project', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('project', 'name'), name='project_group_name_unique')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='projectstage',
                    constraint=models.UniqueConstraint(fields=('project', 'position'), name='project_stage_position_unique', violation_error_message='Another stage of this project has this position.'),
                ),
                migrations.AddConstraint(
                    model_name='projectstage',
                    constraint=models.UniqueConstraint(fields=('project', 'name'), name='project_stage_name_unique', violation_error_message='This project already has a stage with this name.'),
                ),
                migrations.AddConstraint(
                    model_name='stagereached',
                    constraint=models.UniqueConstraint(fields=('project', 'client', 'stage'), name='stage_reached_once', violation_error_message='This client already reached this stage.'),
                ),
            ],
            database_operations=[],
        ),
    ]
