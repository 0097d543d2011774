from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans of approach")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel, the timeline entries, the export section and the demo register.
        from plans import demo, dossier, models, privacy, timeline  # noqa: F401

        # A plan version is client data: who made or signed it, when. Its snapshot is left
        # out: it repeats the goals and activities, whose own changes are in the history.
        auditlog.register(models.PlanVersion, exclude_fields=["content"])
