"""The filters of the employer, vacancy and candidate lists (core.lists.ListPage)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.filters import FilterSet, ModelChoiceFilter
from core.models import Municipality
from employers import profiles
from employers.models import Sector, Vacancy


def search_box():
    return forms.TextInput(attrs={"type": "search"})


def tick_box():
    """A checkbox that sends `1`, as the links and bookmarks of these lists always had it."""
    return forms.CheckboxInput(attrs={"value": "1"})


def active_sectors(request):
    return Sector.objects.filter(active=True)


class EmployerFilter(FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or KvK number"), method="filter_search", widget=search_box()
    )
    municipality = ModelChoiceFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        empty_label=_("All municipalities"),
    )
    mine = django_filters.BooleanFilter(
        label=_("Only my employers"), method="filter_mine", widget=tick_box()
    )
    social_enterprise = django_filters.BooleanFilter(
        label=_("Only social enterprises"), method="filter_social_enterprise", widget=tick_box()
    )

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_mine(self, queryset, name, value):
        return queryset.filter(account_manager=self.request.user) if value else queryset

    def filter_social_enterprise(self, queryset, name, value):
        return queryset.filter(social_enterprise=True) if value else queryset


class VacancyFilter(FilterSet):
    """The vacancies list: the open ones until another status (or all) is chosen."""

    ALL = "all"

    q = django_filters.CharFilter(
        label=_("Title or employer"), method="filter_search", widget=search_box()
    )
    sector = ModelChoiceFilter(
        label=_("Sector"), queryset=active_sectors, empty_label=_("All sectors")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(ALL, _("All")), *Vacancy.Status.choices],
        empty_label=None,
        method="filter_status",
    )

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(employer__name__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset if value == self.ALL else queryset.filter(status=value)


class CandidateFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="filter_name", widget=search_box())
    sector = ModelChoiceFilter(
        label=_("Sector of interest"),
        queryset=active_sectors,
        empty_label=_("All sectors"),
        field_name="sectors",
    )
    incomplete = django_filters.BooleanFilter(
        label=_("Only incomplete profiles"), method="filter_incomplete", widget=tick_box()
    )

    def filter_name(self, queryset, name, value):
        return queryset.filter(client__in=Client.objects.search(value))

    def filter_incomplete(self, queryset, name, value):
        if not value:
            return queryset
        return profiles.with_completeness(queryset).filter(filled__lt=len(profiles.PARTS))
