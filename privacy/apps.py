from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = _("Privacy (GDPR)")

    def ready(self):
        # The sections every export ends with: change history and access log of all records.
        from privacy import sections  # noqa: F401
