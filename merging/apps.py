from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MergingConfig(AppConfig):
    name = "merging"
    verbose_name = _("Merging dossiers")

    def ready(self):
        # What a merge record holds about the merged dossier goes with the kept client's
        # anonymisation and appears in their right-of-access export. The merge itself is in
        # both clients' change history (services.clients_merge); the record is not audited
        # as a row, or the append-only log would keep the merged name after anonymisation.
        from merging import privacy  # noqa: F401
