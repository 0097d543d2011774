"""Targets for the KPIs, and the record of each report run (the source of truth for the job)."""

import datetime

from django.conf import settings
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
