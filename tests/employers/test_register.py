"""The target-group register in matching (issue 19): a vacancy set aside for the register ranks
only its candidates or ranks them first; placed clients stop ranking as available."""

import datetime

import pytest
from django.utils import timezone, translation

from employers import matching
from employers.models import CandidateProfile, RegisterRule, Vacancy
from placements.models import Placement

pytestmark = pytest.mark.django_db


def ranked(vacancy, **filters):
    return list(
        matching.candidates_for(
            vacancy, CandidateProfile.objects.matchable(), filters=matching.Filters(**filters)
        )
    )


def paged(vacancy, size, **filters):
    """The ranking as the vacancy page reads it, page by page."""
    ranking = matching.CandidateRanking(
        vacancy, CandidateProfile.objects.matchable(), filters=matching.Filters(**filters)
    )
    return [
        row for start in range(0, ranking.count(), size) for row in ranking[start : start + size]
    ]


def set_rule(vacancy, rule) -> Vacancy:
    Vacancy.objects.filter(pk=vacancy.pk).update(register_rule=rule)
    return Vacancy.objects.prefetch_related("skills").get(pk=vacancy.pk)


def place(profile, kind="regular", start=None, end=None):
    today = timezone.localdate()
    return Placement.objects.create(
        client=profile.client,
        employer=profile._employer,
        kind=kind,
        start_date=start or today - datetime.timedelta(days=10),
        end_date=end,
    )


@pytest.fixture
def mixed(vacancy, make_candidate):
    """Two register candidates who fit less well than two outside the register."""
    outside_best = make_candidate(register=False, skills=("customer_contact", "cleaning_methods"))
    outside = make_candidate(register=False)
    inside_far = make_candidate(register=True, municipality="Emmen", skills=())
    inside = make_candidate(register=True, skills=())
    for profile in (outside_best, outside, inside_far, inside):
        profile._employer = vacancy.employer
    return {
        "outside_best": outside_best,
        "outside": outside,
        "inside_far": inside_far,
        "inside": inside,
    }


def test_suitable_keeps_the_old_meaning_register_status_scores_only(vacancy, mixed):
    vacancy = set_rule(vacancy, RegisterRule.SUITABLE)
    rows = ranked(vacancy)
    assert len(rows) == 4
    assert rows[0].pk == mixed["outside_best"].pk
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)


def test_only_ranks_register_candidates_alone(vacancy, mixed):
    vacancy = set_rule(vacancy, RegisterRule.ONLY)
    expected = [mixed["inside"].pk, mixed["inside_far"].pk]
    assert [r.pk for r in ranked(vacancy)] == expected
    assert [r.pk for r in paged(vacancy, 1)] == expected
    assert matching.CandidateRanking(vacancy, CandidateProfile.objects.matchable()).count() == 2


def test_first_ranks_register_candidates_before_better_scoring_others(vacancy, mixed):
    vacancy = set_rule(vacancy, RegisterRule.FIRST)
    expected = [
        m.pk
        for m in (mixed["inside"], mixed["inside_far"], mixed["outside_best"], mixed["outside"])
    ]
    rows = ranked(vacancy)
    assert [r.pk for r in rows] == expected
    assert rows[2].score > rows[0].score  # the order is the register's, not the score's
    for size in (1, 2, 3, 10):
        assert [r.pk for r in paged(vacancy, size)] == expected
    weights = matching.default_weights()
    with translation.override("en"):  # the Dutch is the lead's catalogue's
        first = {c.code: c for c in matching.explain(rows[0], weights, vacancy=vacancy)}
        after = {c.code: c for c in matching.explain(rows[2], weights, vacancy=vacancy)}
    assert first["register"].detail == (
        "in the target-group register: ranked first, the vacancy is set aside for it"
    )
    assert after["register"].detail == (
        "not in the target-group register: ranked after the register candidates"
    )
    # Nothing but the order changes: the points are those of a vacancy suitable for it.
    assert first["register"].points > 0 and after["register"].points == 0


def test_first_ranks_both_tiers_through_their_pools(vacancy, make_candidate):
    """With more candidates than a page, each tier is ranked from its pool: the same order as
    scoring everyone."""
    vacancy = set_rule(vacancy, RegisterRule.FIRST)
    for n in range(12):
        make_candidate(
            register=n % 3 == 0,
            municipality=["Assen", "Emmen", "Tynaarlo"][n % 3],
            skills=("customer_contact",) if n % 2 else (),
            hours=[32, 24, 16][n % 3],
        )
    expected = [r.pk for r in ranked(vacancy)]
    assert [r.pk for r in paged(vacancy, 3)] == expected
    ranking = matching.CandidateRanking(vacancy, CandidateProfile.objects.matchable())
    ranking[0:3]
    assert ranking.attempts[0] == 10.0


def test_a_placed_candidate_is_left_out_unless_included(vacancy, mixed):
    place(mixed["outside_best"], kind="regular")
    place(mixed["inside"], kind="secondment")
    left = [r.pk for r in ranked(vacancy)]
    assert left == [mixed["outside"].pk, mixed["inside_far"].pk]
    assert [r.pk for r in paged(vacancy, 1)] == left
    included = ranked(vacancy, include_placed=True)
    assert len(included) == 4
    assert {r.pk for r in included if r.placed} == {mixed["outside_best"].pk, mixed["inside"].pk}


@pytest.mark.parametrize("kind", ["sheltered_work", "work_learning"])
def test_sheltered_work_and_work_and_learn_count_as_placed(vacancy, mixed, kind):
    place(mixed["outside"], kind=kind)
    assert mixed["outside"].pk not in [r.pk for r in ranked(vacancy)]


@pytest.mark.parametrize("kind", ["work_experience", "trial"])
def test_a_work_development_place_or_trial_still_ranks(vacancy, mixed, kind):
    place(mixed["outside"], kind=kind)
    assert mixed["outside"].pk in [r.pk for r in ranked(vacancy)]


def test_an_ended_placement_ranks_again_and_a_future_one_not_yet_counts(vacancy, mixed):
    today = timezone.localdate()
    place(
        mixed["outside"],
        start=today - datetime.timedelta(days=100),
        end=today - datetime.timedelta(days=1),
    )
    place(mixed["inside"], start=today + datetime.timedelta(days=5))
    place(mixed["inside_far"], start=today - datetime.timedelta(days=30), end=today)
    pks = [r.pk for r in ranked(vacancy)]
    assert mixed["outside"].pk in pks  # ended yesterday
    assert mixed["inside"].pk in pks  # starts next week
    assert mixed["inside_far"].pk not in pks  # its last day is today


def test_a_register_only_vacancy_is_not_offered_to_someone_outside_the_register(
    vacancy, make_candidate
):
    only = set_rule(vacancy, RegisterRule.ONLY)
    outside = make_candidate(register=False)
    inside = make_candidate(register=True)
    for profile, offered in ((outside, False), (inside, True)):
        rows = matching.vacancies_for(profile, Vacancy.objects.open())
        assert (only.pk in [r.pk for r in rows]) is offered


def test_the_demo_sets_vacancies_aside_for_the_register_with_candidates_to_rank(db):
    import io

    from django.core.management import call_command

    call_command("seed_demo", clients=300, seed=1, allow_without_debug=True, stdout=io.StringIO())
    matchable = CandidateProfile.objects.matchable()
    for rule in (RegisterRule.ONLY, RegisterRule.FIRST):
        vacancy = Vacancy.objects.filter(register_rule=rule).first()
        assert vacancy is not None
        rows = list(matching.candidates_for(vacancy, matchable))
        in_register = [row.client.target_group_register for row in rows]
        assert sum(in_register) >= 5
        if rule == RegisterRule.ONLY:
            assert all(in_register)
        else:
            assert not all(in_register) and in_register == sorted(in_register, reverse=True)
