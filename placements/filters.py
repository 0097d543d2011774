"""The filter of the placements list (core.lists.ListPage): running, ended or all."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet


class PlacementFilter(FilterSet):
    RUNNING, ENDED, ALL = "running", "ended", "all"

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(RUNNING, _("Running")), (ENDED, _("Ended")), (ALL, _("All"))],
        empty_label=None,
        method="filter_status",
    )

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == self.RUNNING:
            return queryset.running_on(today)
        if value == self.ENDED:
            return queryset.ended_by(today)
        return queryset
