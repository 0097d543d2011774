"""The merges in a right-of-access export, and what anonymising the kept client removes from
them; imported by MergingConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core import gdpr
from core.gdpr import Section, field_label, person
from merging.models import Merge

MERGE_EXPORT = ["at", "merged_client_id", "merged_name", "reason", "actor"]


@gdpr.register(880)
def merges(client: Client) -> Section:
    """The dossiers merged into this one: the person's data were held twice."""
    rows = Merge.objects.filter(kept=client).select_related("actor").order_by("at", "pk")
    return Section(
        key="merges",
        title=_("Dossiers merged into this one"),
        fields=[(name, field_label(Merge, name)) for name in MERGE_EXPORT],
        records=[
            {
                "at": merge.at,
                "merged_client_id": merge.merged_client_id,
                "merged_name": merge.merged_name,
                "reason": merge.reason,
                "actor": person(merge.actor),
            }
            for merge in rows
        ],
    )


@gdpr.register_anonymiser(170)
def anonymise(client: Client) -> None:
    """The merged dossier's name and the free-text reason go; the numbers and dates stay."""
    Merge.objects.filter(kept=client).update(merged_name="", reason="")
