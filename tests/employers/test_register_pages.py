"""The register rule, placed candidates and the shortlist's letters on the pages (issue 19)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from employers import services
from employers.models import Match, RegisterRule, Shortlist, Vacancy
from placements.models import Placement

pytestmark = pytest.mark.django_db


def ranking_pks(response) -> list[int]:
    return [row.pk for row, _contributions, _km in response.context["rows"]]


def test_the_vacancy_form_sets_the_register_rule_and_the_page_shows_it(am_client, vacancy):
    form = am_client.get(reverse("employers:vacancy_update", args=[vacancy.pk])).context["form"]
    assert [code for code, _label in form.fields["register_rule"].choices] == [
        "no",
        "suitable",
        "first",
        "only",
    ]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(register_rule="only", version=form["version"].value(), skills=[])
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    answer = am_client.post(reverse("employers:vacancy_update", args=[vacancy.pk]), data)
    assert answer.status_code == 302, answer.context["form"].errors
    vacancy.refresh_from_db()
    assert vacancy.register_rule == RegisterRule.ONLY
    body = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk])).content.decode()
    with translation.override("nl"):
        shown = str(vacancy.get_register_rule_display())
    assert f'<span id="register-rule">{shown}</span>' in body
    assert 'id="register-note"' in body


def test_an_unknown_register_rule_is_refused_on_the_form_with_the_input_kept(am_client, vacancy):
    form = am_client.get(reverse("employers:vacancy_update", args=[vacancy.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(register_rule="maybe", title="Nieuwe titel", version=form["version"].value())
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    answer = am_client.post(reverse("employers:vacancy_update", args=[vacancy.pk]), data)
    assert answer.status_code == 200
    assert "register_rule" in answer.context["form"].errors
    assert answer.context["form"]["title"].value() == "Nieuwe titel"
    assert Vacancy.objects.get(pk=vacancy.pk).register_rule == RegisterRule.SUITABLE


def test_a_register_only_vacancy_page_ranks_only_register_candidates(
    am_client, vacancy, make_candidate
):
    Vacancy.objects.filter(pk=vacancy.pk).update(register_rule=RegisterRule.ONLY)
    inside = make_candidate(register=True)
    make_candidate(register=False)
    response = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk]))
    assert ranking_pks(response) == [inside.pk]


def test_placed_candidates_are_left_out_and_shown_marked_when_asked(
    am_client, vacancy, make_candidate
):
    placed = make_candidate()
    free = make_candidate()
    Placement.objects.create(
        client=placed.client,
        employer=vacancy.employer,
        kind="secondment",
        start_date=timezone.localdate(),
    )
    url = reverse("employers:vacancy_detail", args=[vacancy.pk])
    response = am_client.get(url)
    assert ranking_pks(response) == [free.pk]
    assert 'id="placed-note"' in response.content.decode()
    response = am_client.get(url, {"include_placed": "on"})
    assert set(ranking_pks(response)) == {placed.pk, free.pk}
    body = response.content.decode()
    row = re.search(rf'data-candidate="{placed.pk}">.*?</tr>', body, re.S).group(0)
    assert 'class="badge text-bg-warning placed"' in row
    other = re.search(rf'data-candidate="{free.pk}">.*?</tr>', body, re.S).group(0)
    assert "text-bg-warning placed" not in other
    # A placed candidate shown may be proposed all the same.
    answer = am_client.post(
        reverse("employers:match_propose", args=[vacancy.pk, placed.pk]),
        {"query": "include_placed=on"},
    )
    assert answer.status_code == 302
    assert Match.objects.filter(vacancy=vacancy, client=placed.client).exists()


def make_shortlist(am_client, vacancy, profiles, scores, account_manager) -> Shortlist:
    for profile, score in zip(profiles, scores, strict=True):
        services.match_propose(
            actor=account_manager, vacancy=vacancy, profile=profile, score=score, explanation=[]
        )
    am_client.post(
        reverse("employers:shortlist_create", args=[vacancy.pk]),
        {"match_ids": [m.pk for m in Match.objects.filter(vacancy=vacancy)]},
    )
    return Shortlist.objects.filter(vacancy=vacancy).latest("created_at")


def test_the_account_manager_sees_who_is_which_letter_as_the_employer_sees_it(
    am_client, client, vacancy, make_candidate, account_manager
):
    anna = make_candidate(first_name="Anna", last_name="Kuipers")
    yusuf = make_candidate(first_name="Yusuf", last_name="Demir")
    kees = make_candidate(first_name="Kees", last_name="Smit")
    shortlist = make_shortlist(
        am_client, vacancy, [anna, yusuf, kees], [60, 80, 60], account_manager
    )

    page = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk]))
    key = re.search(
        rf'<table[^>]*id="shortlist-key-{shortlist.pk}".*?</table>', page.content.decode(), re.S
    ).group(0)
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(\d+)</td>", key)
    # Best score first, ties by the order they were proposed: Yusuf, then Anna, then Kees.
    assert [(name, int(number)) for _letter, name, number in rows] == [
        ("Yusuf Demir", yusuf.client.pk),
        ("Anna Kuipers", anna.client.pk),
        ("Kees Smit", kees.client.pk),
    ]
    assert reverse("employers:candidate_detail", args=[yusuf.pk]) in key
    mine = [(letter, m.pk) for letter, m in page.context["shortlists"][0].letters]

    client.logout()
    employers_page = client.get(reverse("shortlists:shortlist", args=[shortlist.token]))
    theirs = [(letter, m.pk) for letter, m in employers_page.context["candidates"]]
    assert (
        mine
        == theirs
        == [
            ("A", Match.objects.get(client=yusuf.client).pk),
            ("B", Match.objects.get(client=anna.client).pk),
            ("C", Match.objects.get(client=kees.client).pk),
        ]
    )
    body = employers_page.content.decode()
    assert "shortlist-key" not in body
    for profile in (anna, yusuf, kees):
        assert profile.client.last_name not in body
        assert str(profile.client.pk) not in re.sub(r"<[^>]+>", "", body).split()


@pytest.mark.parametrize("candidates", [1, 6])
def test_the_vacancy_page_with_a_shortlist_keeps_its_queries(
    am_client, vacancy, make_candidate, account_manager, candidates, django_assert_num_queries
):
    profiles = [make_candidate() for _ in range(candidates)]
    make_shortlist(am_client, vacancy, profiles, [50] * candidates, account_manager)
    # As the ranking page without a shortlist: the shortlists and their letters are one query.
    with django_assert_num_queries(14):
        response = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk]))
    assert len(response.context["shortlists"][0].letters) == candidates


@pytest.mark.parametrize("candidates", [2, 40])
def test_a_register_first_ranking_runs_a_constant_number_of_queries(
    am_client, vacancy, make_candidate, candidates, django_assert_num_queries
):
    Vacancy.objects.filter(pk=vacancy.pk).update(register_rule=RegisterRule.FIRST)
    for i in range(candidates):
        make_candidate(register=i % 2 == 0, skills=("customer_contact", "cleaning_methods"))
    # session, user, permissions (2), vacancy, its skills, the count of both tiers, the page
    # of the register's tier and of the others', pipeline, rejection reasons, shortlists,
    # session renewal (3)
    with django_assert_num_queries(15):
        response = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk]))
    ranked = response.context["rows"]
    registered = [row.client.target_group_register for row, _c, _km in ranked]
    assert registered == sorted(registered, reverse=True) and registered[-1] is False
