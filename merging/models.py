"""A merge: two dossiers of the same person made one (merging.services.clients_merge)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MergeQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list row shows (the kept client, who merged), in one query."""
        return self.select_related("kept", "actor")


class Merge(models.Model):
    """The record of one merge: which dossier was kept, which was merged into it (its number
    and name as they were, since the merged dossier is anonymised), who, when, why, and how
    many records of each kind moved."""

    kept = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="merges",
        verbose_name=_("kept client"),
    )
    # No foreign key: the merged client's row stays (anonymised), but the record must read the
    # same whatever happens to it.
    merged_client_id = models.PositiveIntegerField(_("merged client number"), db_index=True)
    merged_name = models.CharField(_("name of the merged client"), max_length=330)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged by"),
    )
    at = models.DateTimeField(_("merged at"), auto_now_add=True)
    # {"app_label.model": count} of the records that moved, and the kept client's fields that
    # were empty and taken from the merged one.
    moved = models.JSONField(_("records moved"), default=dict)
    copied_fields = models.JSONField(_("fields taken over"), default=list)

    objects = MergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("merge of dossiers")
        verbose_name_plural = _("merges of dossiers")
        ordering = ["-at", "-pk"]
        permissions = [("merge_clients", _("Can merge two dossiers of the same person"))]

    def __str__(self):
        return f"{self.merged_client_id} -> {self.kept_id}"
