from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from auditlog.registry import auditlog

        # privacy: the export's sections; demo: its step of seed_demo; handover_parts and
        # handover_demo: the coach history's dossier panels, export sections and demo (issue 18).
        from clients import demo, handover_demo, handover_parts, models, privacy  # noqa: F401

        # Every change to client data is recorded (who, when, before and after); the BSN masked.
        auditlog.register(models.Client, mask_fields=["bsn"], exclude_fields=["version"])
        auditlog.register(models.Contact, exclude_fields=["version"])
        auditlog.register(models.Intake, exclude_fields=["version"])
        auditlog.register(models.IntakeScore)
        auditlog.register(models.LadderObservation, exclude_fields=["version"])
