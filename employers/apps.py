from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers and matching")

    def ready(self):
        from auditlog.registry import auditlog

        # Panels on the employer and client dossiers; a client's new postcode moves them; the
        # sections of a right-of-access export; the demo's step.
        from employers import demo, hooks, models, panels, privacy, reference  # noqa: F401

        auditlog.register(models.Employer, exclude_fields=["version"])
        auditlog.register(models.ContactPerson)
        auditlog.register(models.EmployerContact)
        auditlog.register(models.SroiObligation)
        auditlog.register(models.Vacancy, exclude_fields=["version", "latitude", "longitude"])
        auditlog.register(
            models.CandidateProfile,
            exclude_fields=["latitude", "longitude"],
            m2m_fields={"sectors", "skills"},
        )
        auditlog.register(models.ConsentRecord)
        auditlog.register(models.Match)
        auditlog.register(models.Shortlist)
