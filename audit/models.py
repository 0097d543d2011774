"""The access log: who read which dossier, profile or full BSN, when, from where, the result.

Changes to data are recorded by django-auditlog (its LogEntry table). This table records *reads*.
Both are kept apart from the data they describe: no foreign key to a client, so anonymising or
deleting a client leaves its log intact, and a log row is never updated or deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    DOSSIER = "dossier", _("Dossier")
    CANDIDATE_PROFILE = "candidate_profile", _("Candidate profile")
    FULL_BSN = "full_bsn", _("Full BSN")
    EXPORT = "export", _("Export of personal data")
    # Whoever finds a client by BSN learns that the BSN is registered, and whose it is.
    BSN_LOOKUP = "bsn_lookup", _("Look-up by BSN")
    BSN_CHANGE = "bsn_change", _("Change of BSN")
    # A name (and what the page says of the client) shown in a list that is not the dossier:
    # a project's members, the clients to add to it. Kept apart from DOSSIER so "who opened
    # my dossier" counts only dossiers opened.
    LISTED = "listed", _("Shown in a list")


class AccessResult(models.TextChoices):
    GRANTED = "granted", _("Granted")
    DENIED = "denied", _("Denied")


class AccessLogQuerySet(models.QuerySet):
    def for_object(self, model: type[models.Model], pk):
        """Every access to this object, granted or denied, newest first."""
        return self.filter(object_type=model._meta.label_lower, object_id=str(pk))

    def denied(self):
        return self.filter(result=AccessResult.DENIED)

    def for_list(self):
        """Everything a list row shows (the user's name) in a constant number of queries."""
        return self.select_related("user")


class AccessLog(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    # No real foreign key: a log row must survive whatever happens to the user or the object.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150)
    kind = models.CharField(_("what"), max_length=20, choices=AccessKind)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AccessResult)
    # What a bare object id cannot say: how many records an export held, which import run.
    detail = models.CharField(_("detail"), max_length=200, blank=True, default="")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.kind} {self.object_id}"


class AccessReport(models.Model):
    """The weekly report of unusual access (privacy.unusual), kept as it was computed.

    One row per week: the beat task may run twice (acks late), and a rerun replaces, never
    duplicates. The findings are a snapshot (names and counts), so the page needs no joins.
    """

    week_start = models.DateField(_("week starting"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)
    factor = models.DecimalField(_("factor"), max_digits=5, decimal_places=2)
    minimum_reads = models.PositiveIntegerField(_("minimum reads"))
    findings = models.JSONField(_("findings"), default=dict)

    class Meta:
        verbose_name = _("report of unusual access")
        verbose_name_plural = _("reports of unusual access")
        ordering = ["-week_start"]

    def __str__(self):
        return f"{self.week_start:%Y-%m-%d}"

    @property
    def finding_count(self) -> int:
        return sum(len(rows) for rows in self.findings.values())
