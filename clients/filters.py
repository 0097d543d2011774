import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.forms import caseworkers
from clients.models import Client, TargetGroup
from core.filters import FilterSet, ModelChoiceFilter
from core.models import Municipality, Team
from core.validators import normalize_bsn


def coaches_of_teams(user):
    """The caseworkers of the user's teams, and the user themself when a caseworker: the
    coaches the caseload can filter on (the same few whatever the region's size).

    The team members are asked first (`any_of`): joined to every user, "in my teams or me"
    read all 20,000 coaches of a million clients' region, 43-60 ms of the caseload's time."""
    colleagues = Team.members.through.objects.filter(team__members=user).values("user_id")
    return caseworkers().filter(Q(pk__any_of=colleagues) | Q(pk=user.pk))


class ClientFilter(FilterSet):
    """The caseload list's filters. The BSN filter is only fed from a POST (see ClientListView)."""

    STATUS_CHOICES = [("active", _("Active")), ("inactive", _("Left the caseload"))]

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=TargetGroup.choices, empty_label=_("All target groups")
    )
    # The user's own teams and their coaches, not every team and coach of the region: the
    # caseload shows those teams' clients (Client.objects.for_user), and a region of 2,000
    # coaches would put them all in every page (issue 20).
    coach = ModelChoiceFilter(
        label=_("Work coach"),
        queryset=lambda request: coaches_of_teams(request.user),
        empty_label=_("All coaches"),
    )
    team = ModelChoiceFilter(
        label=_("Team"),
        queryset=lambda request: Team.objects.filter(members=request.user),
        empty_label=_("All teams"),
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


class UnassignedClientFilter(FilterSet):
    """The filters of the worklist of clients without team and coach (clients.worklist)."""

    STATUS_CHOICES = [("current", _("On the caseload or still to come")), ("left", _("Left"))]

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    # Only where unassigned clients live: not the 400 names of every municipality since 2016.
    municipality = ModelChoiceFilter(
        label=_("Municipality"),
        queryset=lambda request: Municipality.objects.filter(
            pk__in=Client.objects.unassigned().not_anonymised().values("municipality_id")
        ),
        empty_label=_("All municipalities"),
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), choices=TargetGroup.choices, empty_label=_("All target groups")
    )
    registered_since = django_filters.DateFilter(
        label=_("Registered since"),
        field_name="registered_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = Client
        fields = ["q", "municipality", "target_group", "registered_since", "status"]

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_status(self, queryset, name, value):
        # Who left needs no coach any more, but stays findable here (status "all" or "left").
        today = timezone.localdate()
        left = Q(deregistered_on__lte=today)
        return queryset.filter(left) if value == "left" else queryset.exclude(left)
