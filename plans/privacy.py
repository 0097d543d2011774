"""The plans section of a right-of-access export (privacy.export): every version of every
plan with its dates and agreements, and the name its PDF has in the export archive (the PDF is
a document, so the zip holds it already). One query; imported by PlansConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from audit import history
from core import gdpr
from core.gdpr import Section, field_label, person
from documents.privacy import archive_path
from plans.models import PlanVersion

history.register_owned_records(PlanVersion, "trajectory__client")

EXPORT = [
    "trajectory",
    "number",
    "made_at",
    "made_by",
    "agreements",
    "review_on",
    "signed_on",
    "signed_recorded_by",
    "signed_recorded_at",
]


@gdpr.register(95)
def plan_versions(client) -> Section:
    rows = (
        PlanVersion.objects.filter(trajectory__client=client)
        .select_related("trajectory__route", "made_by", "signed_recorded_by", "document")
        .order_by("trajectory__start_date", "trajectory_id", "number")
    )
    return Section(
        key="plan_versions",
        title=_("Plans of approach"),
        fields=[(name, field_label(PlanVersion, name)) for name in EXPORT]
        + [("archive_path", _("file in the archive"))],
        records=[
            {
                **{name: getattr(version, name) for name in EXPORT},
                "trajectory": str(version.trajectory),
                "made_by": person(version.made_by),
                "signed_recorded_by": person(version.signed_recorded_by),
                "archive_path": archive_path(version.document),
            }
            for version in rows
        ],
    )
