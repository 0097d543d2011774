from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = _("Trajectories")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel, the timeline entries, the export section and the demo register.
        from trajectories import demo, dossier, models, privacy, reference, timeline  # noqa: F401

        # Changes to a client's trajectory are changes to client data: who, when, before, after.
        for model in (
            models.Trajectory,
            models.Goal,
            models.Activity,
            models.SkillScore,
        ):
            auditlog.register(model)
        auditlog.register(models.SkillEvaluation, exclude_fields=["version"])
