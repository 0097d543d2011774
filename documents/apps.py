from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents and letters")

    def ready(self):
        from auditlog.registry import auditlog

        # The dossier panel and start-page part, the timeline entries, the export sections,
        # the reference lists and the demo register.
        from documents import demo, dossier, models, privacy, reference, timeline  # noqa: F401

        # A document or letter in a dossier is client data; the templates are audited too,
        # since letters were sent from them.
        auditlog.register(models.Document)
        auditlog.register(models.Letter)
        auditlog.register(models.LetterTemplate, exclude_fields=["version"])
