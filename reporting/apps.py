from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reports and KPIs")

    def ready(self):
        from auditlog.registry import auditlog

        # The demo's cost parameters (core.demo.DEMO_STEPS).
        from reporting import demo, models  # noqa: F401

        # Who entered which cost parameter stays traceable beside the row's own entered by.
        auditlog.register(models.CostParameter)
