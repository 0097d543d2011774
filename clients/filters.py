import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.forms import caseworkers
from clients.models import Client, TargetGroup
from core.models import Team
from core.validators import normalize_bsn


class ClientFilter(django_filters.FilterSet):
    """The caseload list's filters. The BSN filter is only fed from a POST (see ClientListView)."""

    STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Left the caseload"))]

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=TargetGroup.choices, empty_label=_("All target groups")
    )
    coach = django_filters.ModelChoiceFilter(
        label=_("Work coach"), queryset=caseworkers(), empty_label=_("All coaches")
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"), queryset=Team.objects.all(), empty_label=_("All teams")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )
    bsn = django_filters.CharFilter(label=_("BSN"), method="filter_bsn", widget=forms.HiddenInput)

    class Meta:
        model = Client
        fields = ["q", "target_group", "coach", "team", "status"]

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_status(self, queryset, name, value):
        return queryset.active() if value == "active" else queryset.inactive()

    def filter_bsn(self, queryset, name, value):
        return queryset.filter(bsn=normalize_bsn(value))
