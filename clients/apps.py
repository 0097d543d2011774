from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from auditlog.registry import auditlog

        # privacy: the export's sections; demo: its step of seed_demo.
        from clients import demo, models, privacy  # noqa: F401

        # Every change to client data is recorded (who, when, before and after); the BSN masked.
        auditlog.register(models.Client, mask_fields=["bsn"], exclude_fields=["version"])
        auditlog.register(models.Contact, exclude_fields=["version"])
        auditlog.register(models.Intake, exclude_fields=["version"])
        auditlog.register(models.IntakeScore)
        auditlog.register(models.LadderObservation, exclude_fields=["version"])
