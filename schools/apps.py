from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = _("School leavers")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel, the export section and the demo register themselves.
        from schools import demo, dossier, models, privacy  # noqa: F401

        # Leavers are personal data of pupils; the schools and conversations are audited too,
        # since an advice decides where a pupil goes.
        auditlog.register(models.School)
        auditlog.register(models.Leaver)
        auditlog.register(models.ExitConversation)
