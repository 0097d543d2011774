from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from auditlog.registry import auditlog

        from clients import models, privacy  # noqa: F401  (privacy: the export's sections)

        # Every change to client data is recorded (who, when, before and after); the BSN masked.
        auditlog.register(models.Client, mask_fields=["bsn"], exclude_fields=["version"])
        auditlog.register(models.Contact)
        auditlog.register(models.Intake)
        auditlog.register(models.IntakeScore)
        auditlog.register(models.LadderObservation)
