from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel, the timeline entries, the export sections, the demo and who is
        # placed (hooks: not available to rank) register.
        from placements import demo, dossier, hooks, models, privacy, reference, timeline  # noqa: F401

        # Changes to placements, assessments and provisions are changes to client data; the
        # parameter table is audited too, since granted amounts were computed from it.
        for model in (
            models.Placement,
            models.WageValueAssessment,
            models.AssessmentTask,
            models.Provision,
            models.SubsidyCalculation,
            models.FollowUp,
            models.WageParameters,
        ):
            auditlog.register(model)
