"""Projects and pilots with their funnel stages and groups, and events with their participants.

A project (an ESF project, an experiment with partners) follows clients through the stages of
its funnel; trajectories name the project and group they belong to (trajectories.Trajectory
points here by name, so trajectories never imports this app). An event such as a job festival
counts what came of taking part.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client


class Project(models.Model):
    """A project or pilot (an ESF project, an experiment with partners) that has trajectories."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    target = models.PositiveIntegerField(
        _("target"), null=True, blank=True, help_text=_("Number of clients to reach work.")
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        permissions = [
            # Project and event pages: figures for managers, figures and own clients for casework.
            ("view_project_results", _("Can view the results of projects and events")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("A project cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name


class ProjectGroup(models.Model):
    """A group within a project, e.g. an experiment arm ("wage value 40-60%, with instruments")."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="groups", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("project group")
        verbose_name_plural = _("project groups")
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="project_group_name_unique")
        ]

    def __str__(self):
        return self.name


class ProjectStage(models.Model):
    """A stage of a project's funnel (screened, selected, admitted, placed), in order."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stages", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Stages are shown from low to high.")
    )

    class Meta:
        verbose_name = _("funnel stage")
        verbose_name_plural = _("funnel stages")
        ordering = ["project", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "position"],
                name="project_stage_position_unique",
                violation_error_message=_("Another stage of this project has this position."),
            ),
            models.UniqueConstraint(
                fields=["project", "name"],
                name="project_stage_name_unique",
                violation_error_message=_("This project already has a stage with this name."),
            ),
        ]

    def __str__(self):
        return self.name


class StageReachedQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(client__in=Client.objects.for_user(user))


class StageReached(models.Model):
    """A client reached a stage of a project's funnel on a date (personal data)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stages_reached", verbose_name=_("project")
    )
    stage = models.ForeignKey(
        ProjectStage, on_delete=models.CASCADE, related_name="reached", verbose_name=_("stage")
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="project_stages",
        verbose_name=_("client"),
    )
    reached_on = models.DateField(_("reached on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = StageReachedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage reached")
        verbose_name_plural = _("stages reached")
        ordering = ["reached_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "client", "stage"],
                name="stage_reached_once",
                violation_error_message=_("This client already reached this stage."),
            ),
        ]

    def __str__(self):
        return f"{self.stage} ({self.reached_on:%d-%m-%Y})"

    def clean(self):
        if self.stage_id and self.project_id and self.stage.project_id != self.project_id:
            raise ValidationError({"stage": _("This stage belongs to another project.")})


class EventKind(models.TextChoices):
    JOB_FESTIVAL = "job_festival", _("Job festival")
    SPEED_DATE = "speed_date", _("Speed dating with employers")
    INFORMATION = "information", _("Information meeting")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other")


class Event(models.Model):
    """An event such as a job festival, with clients taking part."""

    name = models.CharField(_("name"), max_length=150)
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind, default=EventKind.JOB_FESTIVAL
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date", "name"]

    def __str__(self):
        return f"{self.name} ({self.date:%d-%m-%Y})"


class EventResult(models.TextChoices):
    """What came of taking part, for one participant."""

    WORK = "work", _("Paid work")
    WORK_LEARNING = "work_learning", _("Work-and-learn place")
    EDUCATION = "education", _("Education")
    WORK_EXPERIENCE = "work_experience", _("Work-development place")
    NOTHING_YET = "nothing_yet", _("Nothing yet")


class EventParticipantQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(client__in=Client.objects.for_user(user))


class EventParticipant(models.Model):
    """A client who took part in an event, and what came of it (personal data)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("event")
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="event_participations",
        verbose_name=_("client"),
    )
    result = models.CharField(
        _("result"), max_length=20, choices=EventResult, default=EventResult.NOTHING_YET
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EventParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "client"],
                name="event_participant_once",
                violation_error_message=_("This client is already a participant."),
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.get_result_display()}"
