from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Agenda")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel, the start-page signal, the export section and the demo register.
        from agenda import demo, dossier, models, privacy  # noqa: F401

        # An appointment is client data: who planned, moved or cancelled it, when, before, after.
        auditlog.register(models.Appointment, exclude_fields=["version"])
        auditlog.register(models.Participant)
