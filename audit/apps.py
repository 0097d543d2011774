from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from audit import grants

        # Once per migrate (and per flush), after every app's migrations: the tables exist.
        post_migrate.connect(grants.grant_after_migrate, sender=self)
