"""Targets for the KPIs, the dated cost parameters of the return of route werknemer, and the
record of each report run (the source of truth for the job)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.jobs import Job, JobStatus, Step


class TargetKpi(models.TextChoices):
    """The figures a manager sets a target for; each is a rate between 0 and 1."""

    TWO_YEAR_OUTFLOW = "two_year_outflow", _("Outflow to work within two years")
    CONTACT_COVERAGE = "contact_coverage", _("Contact coverage (all clients)")
    SHELTERED_WORK_RETENTION = "sheltered_work", _("Sheltered work: still employed")


class Target(models.Model):
    """A target for one KPI in one year, set by a functional administrator."""

    kpi = models.CharField(_("KPI"), max_length=30, choices=TargetKpi)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(
        _("target"),
        max_digits=5,
        decimal_places=4,
        help_text=_("A fraction between 0 and 1: 0.8 is 80%."),
    )

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["-year", "kpi"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "year"], name="one_target_per_kpi_per_year"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=1), name="target_is_a_fraction"
            ),
        ]

    def __str__(self):
        return f"{self.get_kpi_display()} {self.year}: {self.value}"


# A report run has the job's own statuses: waiting, running, ready, failed.
RunStatus = JobStatus


class RunKind(models.TextChoices):
    YEAR = "year", _("Annual report")
    QUARTER = "quarter", _("Quarterly report")
    PERIOD = "period", _("Report over a period")


class ReportRun(Job):
    """One request for a report: who asked, for what period, how far the job is, and the files.

    A job (core.jobs.Job): a worker claims it with a conditional update, beats a heartbeat while
    it works, and a beat task re-queues a run whose heartbeat stopped (a worker that died), so a
    report is never lost and never built twice at once.
    """

    steps = (Step(RunStatus.QUEUED, RunStatus.RUNNING, "reporting.tasks.generate_report"),)
    gave_up_message = _("The worker stopped %(count)d times while making this report.")
    claim_resets = {"progress": 0, "step": ""}

    kind = models.CharField(_("kind"), max_length=10, choices=RunKind, default=RunKind.PERIOD)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty for the reports the schedule makes."),
    )
    scheduled = models.BooleanField(_("made by the schedule"), default=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    xlsx = models.BinaryField(_("Excel file"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_kpis", _("Can see the KPI dashboard and request reports"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_it_starts",
            ),
            # The schedule makes each period's report once, however often beat fires.
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=Q(scheduled=True),
                name="one_scheduled_report_per_period",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.period_start:%d-%m-%Y} – {self.period_end:%d-%m-%Y}"
        )

    @property
    def file_stem(self) -> str:
        if self.kind == RunKind.YEAR:
            return f"jaarverslag-{self.period_start.year}"
        if self.kind == RunKind.QUARTER:
            return f"kwartaalrapportage-{self.period_start.year}-K{quarter_of(self.period_start)}"
        return f"rapportage-{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}"


def quarter_of(date: datetime.date) -> int:
    return (date.month - 1) // 3 + 1


class CostParameterKind(models.TextChoices):
    """The figures the return of route werknemer is computed with (reporting.route_return)."""

    STAFF_COST_PER_FTE = "staff_cost_per_fte", _("Staff cost per coach FTE per year")
    INTEGRATION_BUDGET = "integration_budget", _("Integration budget spent per year")
    BENEFIT_SINGLE = "benefit_single", _("Average benefit per month: single")
    BENEFIT_SINGLE_PARENT = "benefit_single_parent", _("Average benefit per month: single parent")
    BENEFIT_COUPLE = "benefit_couple", _("Average benefit per month: married or cohabiting")


class CostParameterQuerySet(models.QuerySet):
    def in_force_on(self, kind: str, date: datetime.date) -> "CostParameter | None":
        """The row of `kind` in force on `date`: the latest valid_from on or before it; of
        two rows from the same date, the later correction."""
        return self.filter(kind=kind, valid_from__lte=date).order_by("-valid_from", "-pk").first()


class CostParameter(models.Model):
    """One dated value a functional administrator keeps for the return of route werknemer.

    Rows are never changed: a new value, or a correction of one, is a new row, so the history
    stays and a report of an earlier year can be made again with the figures of then. The value
    in force on a date is the row with the latest valid_from on or before it (of rows with the
    same valid_from, the last one entered).
    """

    kind = models.CharField(_("parameter"), max_length=30, choices=CostParameterKind)
    valid_from = models.DateField(_("valid from"))
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_(
            "Where the figure comes from, for example the budget or the benefit standards."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = CostParameterQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost parameter")
        verbose_name_plural = _("cost parameters")
        ordering = ["kind", "-valid_from", "-pk"]
        indexes = [models.Index(fields=["kind", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="cost_parameter_amount_positive",
                violation_error_message=_("The amount must be more than 0."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.valid_from:%d-%m-%Y}: {self.amount}"
