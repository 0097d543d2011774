from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from auditlog.registry import auditlog

        # The right-of-access sections, the change history a client owns, the demo's steps.
        from projects import (  # noqa: F401
            demo,
            dossier,
            event_demo,
            event_dossier,
            event_privacy,
            hooks,
            models,
            privacy,
        )

        # A stage a client reached, a membership and an event they took part in are client data:
        # who, when, before, after.
        for model in (models.StageReached, models.ProjectMember, models.EventParticipant):
            auditlog.register(model)
