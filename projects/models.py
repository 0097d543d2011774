"""Projects and pilots with their funnel stages and groups, and events with their participants.

A project (an ESF project, an experiment with partners) follows clients through the stages of
its funnel; trajectories name the project and group they belong to (trajectories.Trajectory
points here by name, so trajectories never imports this app). An event such as a job festival
counts what came of taking part.
"""

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client


class ProjectKind(models.TextChoices):
    PROJECT = "project", _("Project")
    PILOT = "pilot", _("Pilot")
    EXPERIMENT = "experiment", _("Experiment with comparable groups")


class Funder(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    ESF = "esf", _("European Social Fund (ESF)")
    UWV = "uwv", _("UWV")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National government")
    OTHER = "other", _("Other")


class ProjectQuerySet(models.QuerySet):
    def open(self):
        """Projects not closed: clients can still be added."""
        return self.filter(closed_on__isnull=True)


class Project(models.Model):
    """A project, pilot or experiment (an ESF project, a pilot with UWV) with its members.

    Managers create projects; the project's leaders (any user, per project) keep it: its
    stages, groups and screening criteria, its members and their stages.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ProjectKind, default=ProjectKind.PROJECT
    )
    funder = models.CharField(
        _("funder"), max_length=15, choices=Funder, default=Funder.MUNICIPALITY
    )
    description = models.TextField(_("description"), blank=True)
    goal = models.TextField(
        _("goal"), blank=True, help_text=_("What the project wants to reach, in words.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    target = models.PositiveIntegerField(
        _("target"), null=True, blank=True, help_text=_("Number of clients to reach work.")
    )
    planned_size = models.PositiveIntegerField(
        _("planned number of participants"), null=True, blank=True
    )
    target_share = models.PositiveSmallIntegerField(
        _("target share to work (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the participants to reach regular work, in percent."),
    )
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="projects_led",
        verbose_name=_("project leaders"),
        help_text=_("They keep the project: its members, stages, groups and criteria."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = IntegerVersionField()

    objects = ProjectQuerySet.as_manager()

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

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


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


class Milestone(models.TextChoices):
    """What a stage means to the product: where a member enters, is admitted, is placed."""

    NONE = "", _("(none)")
    SCREENED = "screened", _("Screened: a client added to the project starts here")
    ADMITTED = "admitted", _("Admitted: all screening criteria met")
    PLACED = "placed", _("Placed: a placement that starts moves the client here")


class ProjectStage(models.Model):
    """A stage of a project's funnel (screened, selected, admitted, placed), in order."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stages", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("Stages are shown from low to high.")
    )
    milestone = models.CharField(
        _("milestone"), max_length=10, choices=Milestone, default=Milestone.NONE, blank=True
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
            models.UniqueConstraint(
                fields=["project", "milestone"],
                condition=~Q(milestone=""),
                name="project_stage_milestone_once",
                violation_error_message=_("Another stage of this project has this milestone."),
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
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Why the stage was corrected by hand (empty when recorded as it happened)."),
    )
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


class ScreeningCriterion(models.Model):
    """One point of a project's screening checklist ("at least 12 hours a week available")."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("project")
    )
    text = models.CharField(_("criterion"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("screening criterion")
        verbose_name_plural = _("screening criteria")
        ordering = ["project", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "text"],
                name="screening_criterion_text_unique",
                violation_error_message=_("This project already has this criterion."),
            )
        ]

    def __str__(self):
        return self.text


class MemberStatus(models.TextChoices):
    ADMITTED = "admitted", _("Admitted")
    NOT_ADMITTED = "not_admitted", _("Not admitted")
    LEFT = "left", _("Left the project")


class ProjectMemberQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(client__in=Client.objects.for_user(user))


class ProjectMember(models.Model):
    """A client screened for a project: admitted or not (with the reason), their group, and the
    stage of the funnel they are in now (personal data). A client may be in several projects."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="members", verbose_name=_("project")
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.CASCADE,
        related_name="project_memberships",
        verbose_name=_("client"),
    )
    group = models.ForeignKey(
        ProjectGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("group"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MemberStatus, default=MemberStatus.ADMITTED
    )
    criteria_met = models.ManyToManyField(
        ScreeningCriterion, blank=True, related_name="+", verbose_name=_("criteria met")
    )
    not_admitted_reason = models.TextField(_("reason not admitted"), blank=True)
    screened_on = models.DateField(_("screened on"), default=timezone.localdate)
    stage = models.ForeignKey(
        ProjectStage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members_now",
        verbose_name=_("stage now"),
    )
    stage_since = models.DateField(_("in this stage since"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    version = IntegerVersionField()

    objects = ProjectMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "client"],
                name="project_member_once",
                violation_error_message=_("This client is already in this project."),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_admitted") | ~Q(not_admitted_reason=""),
                name="project_member_not_admitted_has_reason",
                violation_error_message=_("Say why the client is not admitted."),
            ),
        ]
        indexes = [models.Index(fields=["project", "stage"])]

    def __str__(self):
        return f"{self.project}: {self.get_status_display()}"


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
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("project"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = IntegerVersionField()

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
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    invited_on = models.DateField(_("invitation sent on"), null=True, blank=True)
    # The follow-up three months after the event: what came of it by then.
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up_result = models.CharField(
        _("result after three months"), max_length=20, choices=EventResult, blank=True
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
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
