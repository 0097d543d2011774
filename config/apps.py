"""Dutch names for the third-party apps the Django admin lists.

The admin shows each app's `verbose_name`; these packages ship no Dutch catalogue, so their
configs are subclassed here (INSTALLED_APPS names these classes) and their model names are
translated in locale/nl like our own strings. Only names change: labels, tables and migrations
stay the packages' own.
"""

from allauth.mfa.apps import MFAConfig
from auditlog.apps import AuditlogConfig
from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_celery_beat.apps import BeatConfig
from django_celery_results.apps import CeleryResultConfig


class PeriodicTasksConfig(BeatConfig):
    verbose_name = _("Scheduled tasks")


class TaskResultsConfig(CeleryResultConfig):
    verbose_name = _("Background task results")


class LoginAttemptsConfig(AxesAppConfig):
    verbose_name = _("Login attempts")


class ChangeHistoryConfig(AuditlogConfig):
    verbose_name = _("Change history")


class TwoFactorConfig(MFAConfig):
    verbose_name = _("Two-factor authentication")

    def ready(self):
        super().ready()
        from allauth.mfa.models import Authenticator

        # allauth gives this model a plain (untranslatable) name and no plural. Setting the
        # names on _meta, not in a Meta class, changes what the admin shows and no migration
        # state (that is read from the class's own Meta).
        Authenticator._meta.verbose_name = _("authenticator")
        Authenticator._meta.verbose_name_plural = _("authenticators")
