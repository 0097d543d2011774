import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet
from diagnosis.models import ReferralStatus


class ReferralFilter(FilterSet):
    """The diagnosis team's referrals: the open ones until another status (or all) is chosen."""

    ALL = "all"

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ALL, _("All")), *ReferralStatus.choices],
        empty_label=None,
        method="filter_status",
    )

    def filter_status(self, queryset, name, value):
        return queryset if value == self.ALL else queryset.filter(status=value)
