from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Organisation")

    def ready(self):
        from core import (
            lookups,  # noqa: F401 (registers field__any_of)
            permission_cache,
        )
        from core.roles import sync_roles

        permission_cache.connect()

        # Runs after each app's migrations; the last run sees every permission.
        post_migrate.connect(sync_roles, dispatch_uid="core.sync_roles")
