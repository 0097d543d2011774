"""Placements, wage-value assessments, provisions and aftercare (DOMAIN.md steps 6 to 8).

Field names and choice codes follow ../shared/spec/interchange.md (placements.csv,
wage_value_assessments.csv, provisions.csv): the import writes to them, keep them stable.
"""

from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clients.models import Client
from employers.models import CandidateProfile, Employer


def _source_ref():
    """The identifier in the source system of an import (interchange.md `*_ref`)."""
    return models.CharField(  # noqa: DJ001
        _("reference in the source system"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )


class PlacementKind(models.TextChoices):
    REGULAR = "regular", _("Regular employment")
    SECONDMENT = "secondment", _("Secondment")
    SHELTERED_WORK = "sheltered_work", _("Sheltered work")
    WORK_EXPERIENCE = "work_experience", _("Work-development place")
    WORK_LEARNING = "work_learning", _("Work-and-learn place")
    TRIAL = "trial", _("Trial placement")


class Contract(models.TextChoices):
    PERMANENT = "permanent", _("Permanent contract")
    TEMPORARY = "temporary", _("Temporary contract")
    NONE = "none", _("No employment contract")


class PlacementEndReason(models.TextChoices):
    CONTRACT_ENDED = "contract_ended", _("Contract ended, not renewed")
    OTHER_WORK = "other_work", _("Found other work")
    DISMISSED = "dismissed", _("Dismissed by the employer")
    RESIGNED = "resigned", _("Resigned")
    HEALTH = "health", _("Health or capacity")
    COMPLETED = "completed", _("Placement completed as planned")
    OTHER = "other", _("Other")


class PlacementQuerySet(models.QuerySet):
    def for_user(self, user):
        """Placements the user may see: of clients in their scope (Client.objects.for_user), and
        for an account manager those at the employers they keep."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        scope = Q(client__in=Client.objects.for_user(user))
        if user.has_perm("placements.view_placement") and not user.has_perm("clients.view_client"):
            scope = Q(employer__account_manager=user)
        elif not user.has_perm("placements.view_placement"):
            return self.none()
        return self.filter(scope)

    def for_list(self):
        """Everything a list row shows, in one query."""
        return self.select_related("client", "employer")

    def running_on(self, date):
        """Placements started on or before `date` and not ended before it."""
        return self.filter(start_date__lte=date).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=date)
        )

    def ended_by(self, date):
        return self.filter(end_date__lt=date)


def placeable_clients(user, *, hired: int | None = None):
    """Clients the user may place: casework their own scope; an account manager only the
    candidates their role sees for matching (a profile open for matching, CandidateProfile
    .matchable), never other clients' names. `hired`: the client of a hired match of the
    user's (services.hired_match_to_place), offered even without a profile open for matching."""
    active = Client.objects.not_anonymised().active()
    if user.has_perm("clients.view_client"):
        placeable = active.filter(pk__in=Client.objects.for_user(user).values("pk"))
    elif user.has_perm("placements.add_placement"):
        placeable = active.filter(pk__in=CandidateProfile.objects.matchable().values("client_id"))
    else:
        return Client.objects.none()
    if hired is not None:
        return Client.objects.filter(Q(pk__in=placeable.values("pk")) | Q(pk=hired))
    return placeable


def placeable_employers(user, current=None):
    """Employers offered in the placement form: all for casework; an account manager's own
    (so the placement stays in their scope), plus the one already chosen."""
    employers = Employer.objects.order_by("name", "pk")
    if user.has_perm("clients.view_client") or user.is_superuser:
        return employers
    condition = Q(account_manager=user)
    if current:
        condition |= Q(pk=current)
    return employers.filter(condition)


class Placement(models.Model):
    """A client at work with an employer, in one of the forms of DOMAIN.md step 6."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="placements", verbose_name=_("client")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="placements", verbose_name=_("employer")
    )
    kind = models.CharField(_("kind of placement"), max_length=20, choices=PlacementKind)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    contract = models.CharField(_("contract"), max_length=20, choices=Contract, blank=True)
    contract_end_date = models.DateField(
        _("contract end date"),
        null=True,
        blank=True,
        help_text=_("For a temporary contract: the last day of the contract."),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Contract hours per week: more than 0, at most 40."),
    )
    hourly_wage = models.DecimalField(
        _("hourly wage (EUR)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    sroi = models.BooleanField(
        _("counts towards Social Return"),
        default=False,
        help_text=_("Counts towards the employer's Social Return (SROI) obligation."),
    )
    end_reason = models.CharField(
        _("reason the placement ended"), max_length=20, choices=PlacementEndReason, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    source_ref = _source_ref()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking, as on Client: a save based on an older version is refused.
    version = IntegerVersionField()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["kind", "start_date"]),
            models.Index(fields=["contract", "contract_end_date"]),
            models.Index(fields=["end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_ends_after_start",
                violation_error_message=_("A placement cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(contract_end_date__isnull=True)
                | Q(contract_end_date__gte=F("start_date")),
                name="placement_contract_ends_after_start",
                violation_error_message=_("A contract cannot end before the placement starts."),
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=40)),
                name="placement_hours_in_range",
                violation_error_message=_("Hours per week must be more than 0 and at most 40."),
            ),
            models.CheckConstraint(
                condition=Q(hourly_wage__isnull=True) | Q(hourly_wage__gte=0),
                name="placement_hourly_wage_not_negative",
                violation_error_message=_("The hourly wage cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.employer} ({self.start_date:%d-%m-%Y})"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class WageValueAssessment(models.Model):
    """A wage value (loonwaarde) determined by a qualified assessor at the workplace."""

    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        related_name="wage_value_assessments",
        verbose_name=_("client"),
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wage_value_assessments",
        verbose_name=_("placement"),
    )
    assessed_on = models.DateField(_("assessed on"))
    wage_value_percent = models.DecimalField(
        _("wage value (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Percentage of a regular employee's output in the same job: 0 to 100."),
    )
    method = models.CharField(_("method"), max_length=200, blank=True)
    assessor = models.CharField(
        _("assessor"),
        max_length=200,
        blank=True,
        help_text=_("Name (and organisation) of the qualified assessor."),
    )
    reference_job = models.CharField(
        _("reference job"),
        max_length=200,
        blank=True,
        help_text=_("The job of a regular employee the tasks are compared with."),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    source_ref = _source_ref()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = IntegerVersionField()

    class Meta:
        verbose_name = _("wage-value assessment")
        verbose_name_plural = _("wage-value assessments")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(wage_value_percent__gte=0) & Q(wage_value_percent__lte=100),
                name="assessment_wage_value_0_100",
                violation_error_message=_("The wage value must be between 0 and 100%."),
            ),
        ]

    def __str__(self):
        return f"{self.wage_value_percent}% ({self.assessed_on:%d-%m-%Y})"


class AssessmentTask(models.Model):
    """A main task in the national wage-value method: its share of the work and its scores.

    Scores are percentages of the reference job's norm; the assessment's wage value is computed
    from them (placements.wage_value.wage_value_from_tasks).
    """

    assessment = models.ForeignKey(
        WageValueAssessment,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("assessment"),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.CharField(_("main task"), max_length=200)
    share_percent = models.DecimalField(_("share of the work (%)"), max_digits=5, decimal_places=2)
    quality_percent = models.DecimalField(_("quality (%)"), max_digits=5, decimal_places=2)
    pace_percent = models.DecimalField(_("pace (%)"), max_digits=5, decimal_places=2)
    employability_percent = models.DecimalField(
        _("employability (%)"), max_digits=5, decimal_places=2
    )

    class Meta:
        verbose_name = _("main task")
        verbose_name_plural = _("main tasks")
        ordering = ["assessment", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="assessment_task_share_range",
                violation_error_message=_("A task's share must be more than 0 and at most 100%."),
            ),
            models.CheckConstraint(
                condition=Q(quality_percent__gte=0)
                & Q(quality_percent__lte=100)
                & Q(pace_percent__gte=0)
                & Q(pace_percent__lte=100)
                & Q(employability_percent__gte=0)
                & Q(employability_percent__lte=100),
                name="assessment_task_scores_0_100",
                violation_error_message=_("Scores must be between 0 and 100%."),
            ),
        ]

    def __str__(self):
        return self.description


class ProvisionKind(models.TextChoices):
    WAGE_COST_SUBSIDY_STRUCTURAL = (
        "wage_cost_subsidy_structural",
        _("Wage-cost subsidy (structural)"),
    )
    WAGE_COST_SUBSIDY_TEMPORARY = "wage_cost_subsidy_temporary", _("Wage-cost subsidy (temporary)")
    WAGE_DISPENSATION = "wage_dispensation", _("Wage dispensation (Wajong)")
    JOB_COACH = "job_coach", _("Job coach")
    NO_RISK_POLICY = "no_risk_policy", _("No-risk policy")
    WORKPLACE_ADAPTATION = "workplace_adaptation", _("Workplace adaptation")


WAGE_COST_SUBSIDY_KINDS = (
    ProvisionKind.WAGE_COST_SUBSIDY_STRUCTURAL,
    ProvisionKind.WAGE_COST_SUBSIDY_TEMPORARY,
)


class Decision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("provision decision", "Pending")
    GRANTED = "granted", pgettext_lazy("provision decision", "Granted")
    REFUSED = "refused", pgettext_lazy("provision decision", "Refused")


class JobCoachKind(models.TextChoices):
    INTERNAL = "internal", _("Internal job coach")
    EXTERNAL = "external", _("External job coach")


class Provision(models.Model):
    """A provision requested for a client: requested, decided, running for a period, re-assessed.

    interchange.md provisions.csv `granted_on` is `decided_on` with decision `granted`.
    """

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="provisions", verbose_name=_("client")
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provisions",
        verbose_name=_("placement"),
    )
    kind = models.CharField(_("kind of provision"), max_length=40, choices=ProvisionKind)
    requested_on = models.DateField(_("requested on"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    amount_eur = models.DecimalField(
        _("amount (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a wage-cost subsidy: the amount per month."),
    )
    reassess_on = models.DateField(_("re-assess on"), null=True, blank=True)
    job_coach_kind = models.CharField(
        _("job coach"), max_length=10, choices=JobCoachKind, blank=True
    )
    job_coach_hours = models.DecimalField(
        _("job-coach hours per month"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    source_ref = _source_ref()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = IntegerVersionField()

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "decided_on"]),
            models.Index(fields=["reassess_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(decision=Decision.PENDING) & Q(decided_on__isnull=True))
                | (~Q(decision=Decision.PENDING) & Q(decided_on__isnull=False)),
                name="provision_decided_on_iff_decided",
                violation_error_message=_(
                    "A decision needs a decision date, and a pending request has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="provision_ends_after_start",
                violation_error_message=_("A provision cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(requested_on__isnull=True)
                | Q(decided_on__gte=F("requested_on")),
                name="provision_decided_after_request",
                violation_error_message=_("A decision cannot come before the request."),
            ),
            models.CheckConstraint(
                condition=Q(amount_eur__isnull=True) | Q(amount_eur__gte=0),
                name="provision_amount_not_negative",
                violation_error_message=_("The amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(job_coach_hours__isnull=True) | Q(job_coach_hours__gt=0),
                name="provision_job_coach_hours_positive",
                violation_error_message=_("Job-coach hours must be more than 0."),
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_granted(self) -> bool:
        return self.decision == Decision.GRANTED


class WageParameters(models.Model):
    """The figures of the wage-cost subsidy formula in force from `valid_from` (DOMAIN.md step 7).

    A functional administrator keeps this table; placements.subsidy.parameters_on(date) reads
    the row in force on a date. Percentages are stored as percentages (70 for 70%).
    """

    valid_from = models.DateField(_("valid from"), unique=True)
    minimum_wage_month = models.DecimalField(
        _("statutory minimum wage per month (EUR)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Full-time, aged 21 or over, excluding holiday pay."),
    )
    holiday_pay_factor = models.DecimalField(
        _("holiday-pay factor"),
        max_digits=5,
        decimal_places=4,
        default="1.0800",
        # xgettext:no-python-format
        help_text=_("1.08 means 8% holiday pay on top of the wage."),
    )
    cap_percent = models.DecimalField(
        # xgettext:no-python-format
        _("cap on the subsidy (% of the base)"),
        max_digits=5,
        decimal_places=2,
        default="70.00",
    )
    employer_cost_percent = models.DecimalField(
        _("employer costs (%)"), max_digits=5, decimal_places=2, default="23.50"
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Where the figures were published, for example the Staatscourant."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("wage-cost subsidy parameters")
        verbose_name_plural = _("wage-cost subsidy parameters")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_wage_month__gt=0),
                name="wage_parameters_minimum_wage_positive",
                violation_error_message=_("The minimum wage must be more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(holiday_pay_factor__gte=1) & Q(holiday_pay_factor__lt=2),
                name="wage_parameters_holiday_factor_range",
                violation_error_message=_("The holiday-pay factor must be at least 1 and below 2."),
            ),
            models.CheckConstraint(
                condition=Q(cap_percent__gte=0)
                & Q(cap_percent__lte=100)
                & Q(employer_cost_percent__gte=0)
                & Q(employer_cost_percent__lte=100),
                name="wage_parameters_percent_range",
                violation_error_message=_("Percentages must be between 0 and 100."),
            ),
        ]

    def __str__(self):
        return str(_("Parameters from %(date)s") % {"date": f"{self.valid_from:%d-%m-%Y}"})


class SubsidyCalculation(models.Model):
    """A wage-cost subsidy calculation with the parameters it used, copied.

    A later change of WageParameters does not change a stored calculation or a granted amount.
    """

    provision = models.ForeignKey(
        Provision,
        on_delete=models.CASCADE,
        related_name="calculations",
        verbose_name=_("provision"),
    )
    # Inputs.
    reference_date = models.DateField(
        _("reference date"), help_text=_("The minimum wage in force on this date is used.")
    )
    wage_value_percent = models.DecimalField(_("wage value (%)"), max_digits=5, decimal_places=2)
    contract_hours = models.DecimalField(
        _("contract hours per week"), max_digits=4, decimal_places=2
    )
    full_time_hours = models.DecimalField(
        _("full-time hours per week"), max_digits=4, decimal_places=2
    )
    # The parameters used, copied from the table (and which row they came from).
    parameters = models.ForeignKey(
        WageParameters,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("parameters"),
    )
    parameters_valid_from = models.DateField(_("parameters valid from"))
    minimum_wage_month = models.DecimalField(
        _("statutory minimum wage per month (EUR)"), max_digits=8, decimal_places=2
    )
    holiday_pay_factor = models.DecimalField(
        _("holiday-pay factor"), max_digits=5, decimal_places=4
    )
    cap_percent = models.DecimalField(
        # xgettext:no-python-format
        _("cap on the subsidy (% of the base)"),
        max_digits=5,
        decimal_places=2,
    )
    employer_cost_percent = models.DecimalField(
        _("employer costs (%)"), max_digits=5, decimal_places=2
    )
    # Results, each rounded to cents.
    base_eur = models.DecimalField(_("base (EUR)"), max_digits=10, decimal_places=2)
    core_eur = models.DecimalField(_("core (EUR)"), max_digits=10, decimal_places=2)
    cap_applied = models.BooleanField(_("cap applied"), default=False)
    subsidy_eur = models.DecimalField(_("subsidy per month (EUR)"), max_digits=10, decimal_places=2)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calculated by"),
    )
    created_at = models.DateTimeField(_("calculated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("wage-cost subsidy calculation")
        verbose_name_plural = _("wage-cost subsidy calculations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wage_value_percent__gte=0) & Q(wage_value_percent__lte=100),
                name="calculation_wage_value_0_100",
                violation_error_message=_("The wage value must be between 0 and 100%."),
            ),
            models.CheckConstraint(
                condition=Q(contract_hours__gt=0)
                & Q(contract_hours__lte=40)
                & Q(full_time_hours__gt=0)
                & Q(full_time_hours__lte=40)
                & Q(contract_hours__lte=F("full_time_hours")),
                name="calculation_hours_in_range",
                violation_error_message=_(
                    "Hours must be more than 0 and at most 40, and contract hours at most the "
                    "full-time hours."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.subsidy_eur} ({self.reference_date:%d-%m-%Y})"


class FollowUpKind(models.TextChoices):
    CONTRACT_END = "contract_end", _("Temporary contract ends")
    RETENTION_6_MONTHS = "retention_6_months", _("Retention check after 6 months")
    RETENTION_12_MONTHS = "retention_12_months", _("Retention check after 12 months")
    REASSESSMENT = "reassessment", _("Provision due for re-assessment")


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        """Follow-ups not marked as done."""
        return self.filter(done_at__isnull=True)


class FollowUp(models.Model):
    """An aftercare task for the coach, made by the daily aftercare job (placements.aftercare).

    `due_on` is the date of the event (contract end, 6 or 12 months after start, re-assessment
    date). Unique per kind, subject and date: a second run on the same day creates nothing.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=FollowUpKind)
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("client")
    )
    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("placement"),
    )
    provision = models.ForeignKey(
        Provision,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("provision"),
    )
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assigned to"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "done_at", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "placement", "due_on"],
                condition=Q(placement__isnull=False),
                name="follow_up_once_per_placement_event",
            ),
            models.UniqueConstraint(
                fields=["kind", "provision", "due_on"],
                condition=Q(provision__isnull=False),
                name="follow_up_once_per_provision_event",
            ),
            models.CheckConstraint(
                condition=(Q(placement__isnull=False) & Q(provision__isnull=True))
                | (Q(placement__isnull=True) & Q(provision__isnull=False)),
                name="follow_up_about_placement_or_provision",
                violation_error_message=_("A follow-up is about one placement or one provision."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.due_on:%d-%m-%Y})"
