"""Routes, branch teams, trajectories with their plan and activities.

DOMAIN.md step 3: a trajectory puts a client on a route and follows it to an outcome. The route,
outcome and branch-team codes are those of spec/interchange.md (trajectories.csv).
"""

import datetime
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Correctable, EmployeeSkill
from trajectories import deadline as two_years


class ReferenceItem(models.Model):
    """A line of a reference list a functional administrator maintains: a code and a name."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("The code in the interchange files; lower case, never changed once in use."),
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive items are no longer offered in forms.")
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Route(ReferenceItem):
    """Route werknemer (`employee`), participation, sheltered work, daytime activities."""

    EMPLOYEE = "employee"  # the route whose two-year outflow the KPIs count (kpis.md)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("route")
        verbose_name_plural = _("routes")


class BranchTeam(ReferenceItem):
    """A team that knows the employers of a group of sectors (Hodezo, BILT, business services)."""

    sectors = models.CharField(_("sectors"), max_length=200, blank=True)
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="branch_teams",
        verbose_name=_("coaches"),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("branch team")
        verbose_name_plural = _("branch teams")
        # The team view (trajectories.teams): casework roles for their branch teams, managers
        # the figures of all; not the functional administrator who maintains the list.
        permissions = [("view_team_figures", _("Can see the team view of branch teams"))]


class ActivityKind(ReferenceItem):
    """An instrument: practical assessment, work-development place, language course, ..."""

    evaluated = models.BooleanField(
        _("with interim evaluations"),
        default=False,
        help_text=_(
            "Employee skills are evaluated during the activity (practical assessment, WOP)."
        ),
    )
    evaluation_interval_days = models.PositiveSmallIntegerField(
        _("evaluation every (days)"),
        default=14,
        help_text=_("How often an evaluation is due while the activity runs."),
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")


class Outcome(models.TextChoices):
    """How a trajectory ended (interchange.md, trajectories.csv `outcome`)."""

    WORK = "work", _("Paid work")
    WORK_LEARNING = "work_learning", _("Work-and-learn")
    EDUCATION = "education", _("Education")
    SHELTERED_WORK = "sheltered_work", _("Sheltered work")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    OTHER = "other", _("Other")


# What "reached work" means on the team view and the project page (issue 5).
TO_WORK = (Outcome.WORK, Outcome.WORK_LEARNING)


def share(part: int, whole: int) -> Fraction | None:
    """part / whole, exactly, or None when there is nothing to divide by; shown through
    core.figures (`{{ rate|share }}`: 2/3 reads 66,7%)."""
    return Fraction(part, whole) if whole else None


class TrajectoryQuerySet(models.QuerySet):
    def open(self):
        """Trajectories that have not ended."""
        return self.filter(end_date__isnull=True)

    def for_user(self, user):
        """Trajectories of the clients the user may see (Client.objects.for_user)."""
        return self.filter(client__in=Client.objects.for_user(user))


class Trajectory(models.Model):
    """A client on a route, from start to outcome. At most one open trajectory per client."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("client")
    )
    route = models.ForeignKey(
        Route, on_delete=models.PROTECT, related_name="trajectories", verbose_name=_("route")
    )
    branch_team = models.ForeignKey(
        BranchTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("branch team"),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("work coach"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome, blank=True)
    # By name: projects builds on trajectories (its funnels count their outcomes), so
    # trajectories never imports it.
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("project"),
    )
    project_group = models.ForeignKey(
        "projects.ProjectGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trajectories",
        verbose_name=_("project group"),
    )
    # The identifier in the source system of an import (interchange.md): a re-import updates
    # the same record instead of creating a second one.
    source_ref = models.CharField(  # noqa: DJ001
        _("reference in the source system"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["route", "start_date"]),
            models.Index(fields=["branch_team", "end_date"]),
            models.Index(fields=["coach", "end_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(end_date__isnull=True),
                name="one_open_trajectory_per_client",
                violation_error_message=_(
                    "This client already has an open trajectory. End it before starting another."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="trajectory_ends_after_start",
                violation_error_message=_("A trajectory cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(outcome=""))
                | (Q(end_date__isnull=False) & ~Q(outcome="")),
                name="trajectory_outcome_iff_ended",
                violation_error_message=_("An ended trajectory needs an outcome, and only then."),
            ),
        ]

    def __str__(self):
        return f"{self.route} ({self.start_date:%d-%m-%Y})"

    def clean(self):
        """What holds for every trajectory, however it came (services call full_clean); the
        rules of what a coach may choose are the services' (trajectories.services)."""
        if self.project_group_id and self.project_group.project_id != self.project_id:
            raise ValidationError(
                {
                    "project_group": ValidationError(
                        _("Choose a group of the chosen project, or leave the group empty."),
                        code="group_project",
                    )
                }
            )

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def deadline(self) -> datetime.date:
        """The two-year deadline of route werknemer (trajectories.deadline)."""
        return two_years.deadline(self.start_date)


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """A goal of the trajectory's plan (plan van aanpak), with its status and target date."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="goals", verbose_name=_("trajectory")
    )
    description = models.CharField(_("goal"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus, default=GoalStatus.OPEN
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status_date = models.DateField(_("status since"), null=True, blank=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.description


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(models.Model):
    """An instrument within a trajectory: who provides it, when, what it cost, what came of it."""

    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("trajectory"),
    )
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.PROTECT, related_name="activities", verbose_name=_("kind")
    )
    provider = models.CharField(_("provider"), max_length=150, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus, default=ActivityStatus.PLANNED
    )
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["status", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("An activity cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="activity_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.kind} ({self.start_date:%d-%m-%Y})"


class SkillEvaluation(Correctable):
    """An interim evaluation of the employee skills during an activity (WOP, assessment)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("activity")
    )
    evaluated_on = models.DateField(_("evaluated on"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("skill evaluation")
        verbose_name_plural = _("skill evaluations")
        ordering = ["evaluated_on", "pk"]

    def __str__(self):
        return f"{self.activity} {self.evaluated_on:%d-%m-%Y}"


class SkillScore(models.Model):
    """One employee skill scored 1 (insufficient) to 5 (good) in an evaluation."""

    evaluation = models.ForeignKey(
        SkillEvaluation,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("evaluation"),
    )
    skill = models.CharField(_("skill"), max_length=20, choices=EmployeeSkill)
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("skill score")
        verbose_name_plural = _("skill scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "skill"], name="skill_scored_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5),
                name="skill_score_1_to_5",
                violation_error_message=_("A skill is scored from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.get_skill_display()}: {self.score}"
