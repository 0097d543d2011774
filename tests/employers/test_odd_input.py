"""Odd values in the ranking's query string on a vacancy never answer 500 (issue 15, item 5)."""

import pytest
from django.urls import reverse

from employers.forms import RankingForm

pytestmark = pytest.mark.django_db

ODD_VALUES = ["²", "99999999999999999999", "-1", "abc", "\x00", "x" * 5000, "\u202eAnn"]


def test_odd_ranking_values_on_a_vacancy_show_the_page(am_client, vacancy, make_candidate):
    make_candidate()
    url = reverse("employers:vacancy_detail", args=[vacancy.pk])
    for parameter in RankingForm().fields:
        for value in ODD_VALUES:
            response = am_client.get(url, {parameter: value})
            assert response.status_code == 200, (parameter, value, response.status_code)
