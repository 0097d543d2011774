import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet, ModelChoiceFilter
from schools.models import Advice, Leaver, School


class LeaverFilter(FilterSet):
    """The leavers list: by name, school, year, advice and whether they became a client."""

    STATUS_CHOICES = [
        ("no_conversation", _("No exit conversation yet")),
        ("advised", _("Advised, not a client yet")),
        ("client", _("Became a client")),
    ]

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    school = ModelChoiceFilter(
        label=_("School"), queryset=School.objects.all(), empty_label=_("All schools")
    )
    school_year = django_filters.NumberFilter(label=_("Year of leaving"))
    advice = django_filters.ChoiceFilter(
        label=_("Advice"),
        field_name="conversation__advice",
        choices=Advice.choices,
        empty_label=_("All advices"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = Leaver
        fields = ["q", "school", "school_year", "advice", "status"]

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(name_prefix__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "no_conversation":
            return queryset.filter(conversation__isnull=True)
        if value == "advised":
            return queryset.filter(conversation__isnull=False, client__isnull=True)
        return queryset.filter(client__isnull=False)
