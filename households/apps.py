from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel, the export section, the anonymisation step and the demo.
        from households import demo, dossier, models, privacy  # noqa: F401

        auditlog.register(models.HouseholdMember)
