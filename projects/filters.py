"""The filters of the list a project's clients are added from (projects.views.members_add)."""

import django_filters
from django.db.models import DecimalField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Intake, Route, TargetGroup
from core.filters import FilterSet, ModelChoiceFilter
from core.models import Municipality
from placements.models import WageValueAssessment

# Wage-value bands as the experiments name them: lower bound included, upper bound not.
WAGE_VALUE_BANDS = {
    "0-40": (0, 40),
    "40-60": (40, 60),
    "60-80": (60, 80),
    "80-101": (80, 101),
}
BAND_CHOICES = [
    ("0-40", _("below 40%")),
    ("40-60", _("40 to 60%")),
    ("60-80", _("60 to 80%")),
    ("80-101", _("80% or more")),
]


def with_wage_value_and_advice(clients):
    """Annotate `wage_value`: the latest wage-value assessment's percentage, and `advice`: the
    route advised at the latest diagnosis intake (removed intakes left out)."""
    latest_value = (
        WageValueAssessment.objects.filter(client=OuterRef("pk"))
        .order_by("-assessed_on", "-pk")
        .values("wage_value_percent")[:1]
    )
    latest_advice = (
        Intake.objects.filter(client=OuterRef("pk"))
        .order_by("-held_on", "-created_at")
        .values("advised_route")[:1]
    )
    return clients.annotate(
        wage_value=Subquery(latest_value, output_field=DecimalField()),
        advice=Subquery(latest_advice),
    )


class CandidateFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=TargetGroup.choices, empty_label=_("All target groups")
    )
    municipality = ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.service_area(),
        empty_label=_("All municipalities"),
    )
    wage_value = django_filters.ChoiceFilter(
        label=_("Wage value"),
        choices=BAND_CHOICES,
        method="filter_wage_value",
        empty_label=_("Any wage value"),
    )
    advice = django_filters.ChoiceFilter(
        label=_("Advice"), choices=Route.choices, empty_label=_("Any advice")
    )

    class Meta:
        model = Client
        fields = ["q", "target_group", "municipality", "wage_value", "advice"]

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_wage_value(self, queryset, name, value):
        low, high = WAGE_VALUE_BANDS[value]
        return queryset.filter(wage_value__gte=low, wage_value__lt=high)
