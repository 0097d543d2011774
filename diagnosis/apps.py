from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosisConfig(AppConfig):
    name = "diagnosis"
    verbose_name = _("Referrals to diagnosis")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel and start-page part, the timeline entries, the export sections, the
        # intake that answers a referral, the diagnosis team's scope and the demo register.
        from diagnosis import demo, dossier, models, privacy, receivers, scope, timeline  # noqa: F401

        # A referral and an assessment are client data: who asked, answered, evaluated, when.
        auditlog.register(models.Referral)
        auditlog.register(models.PracticalAssessment)
