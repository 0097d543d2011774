import django_tables2 as tables
from django.utils.translation import gettext_lazy

from core.lists import Table
from merging.models import Merge


class MergeTable(Table):
    """Merges done, newest first: numbers, who and why; the kept client by number only."""

    at = tables.DateTimeColumn(verbose_name=gettext_lazy("When"), short=True)
    merged_client_id = tables.Column(verbose_name=gettext_lazy("Merged dossier"))
    kept = tables.Column(verbose_name=gettext_lazy("Into dossier"), accessor="kept_id")
    actor = tables.Column(verbose_name=gettext_lazy("By"))
    reason = tables.Column(verbose_name=gettext_lazy("Reason"))

    caption = gettext_lazy("Merges done")
    row_header = "at"
    pager_label = gettext_lazy("Pages of merges")

    class Meta(Table.Meta):
        model = Merge
        fields = ()
        orderable = False
        empty_text = gettext_lazy("No dossiers have been merged yet.")
