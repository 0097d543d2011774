"""The ranking: each criterion's points worked out by hand, and fairness."""

import datetime

import pytest

from clients.models import TargetGroup
from employers import matching
from employers.models import CandidateProfile, Vacancy

pytestmark = pytest.mark.django_db

WEIGHTS = {
    "sector": 25,
    "hours": 20,
    "skills": 25,
    "distance": 15,
    "availability": 10,
    "register": 5,
}


def ranked(vacancy, weights=WEIGHTS, **filters):
    return list(
        matching.candidates_for(
            vacancy,
            CandidateProfile.objects.matchable(),
            weights=weights,
            filters=matching.Filters(**filters),
        )
    )


def test_each_criterion_contributes_as_worked_out_by_hand(vacancy, make_candidate, settings):
    settings.MATCHING_WEIGHTS = WEIGHTS
    # Assen vacancy, 32 hours, skills customer contact + cleaning, for the register.
    full = make_candidate()  # care, 1 of 2 skills, 32 h, Assen, available, in register
    partial = make_candidate(
        municipality="Tynaarlo",  # Vries: about 9 km from Assen town hall -> within 10 km
        sectors=("retail",),
        skills=(),
        hours=16,
        available_from=datetime.date.today() + datetime.timedelta(days=20),
        register=False,
    )
    # Emmen from Assen: dy = (52.7858 - 52.9925) * 111.2 = -22.98 km,
    # dx = (6.8976 - 6.5649) * 111.2 * cos(52.9925 deg) = 22.27 km: 32.0 km, the 35 km band: 0.5
    far = make_candidate(municipality="Emmen")
    rows = {row.pk: row for row in ranked(vacancy)}
    # full: sector 25 + hours 20 + skills 25*1/2=12.5 + distance 15 + availability 10
    # + register 5 = 87.5
    assert rows[full.pk].score == pytest.approx(87.5)
    # partial: sector 0 + hours 20*16/32=10 + skills 0 + distance 15 (within 10 km)
    # + availability 10*0.5=5 (within 30 days) + register 0 = 30
    assert rows[partial.pk].score == pytest.approx(30.0)
    # far: as full, but distance 15*0.5 = 7.5 -> 80
    assert rows[far.pk].score == pytest.approx(80.0)
    assert [r.pk for r in ranked(vacancy)] == [full.pk, far.pk, partial.pk]


def test_explanation_lists_every_criterion_with_its_points(vacancy, make_candidate, settings):
    settings.MATCHING_WEIGHTS = WEIGHTS
    make_candidate()
    row = ranked(vacancy)[0]
    explained = {c.code: c for c in matching.explain(row, WEIGHTS, vacancy=vacancy)}
    assert list(explained) == list(matching.CRITERIA)
    assert explained["skills"].points == 12.5
    assert explained["skills"].detail == "1 van 2 vereiste vaardigheden"
    assert explained["hours"].detail == "32 van 32 uur"
    assert sum(c.points for c in explained.values()) == pytest.approx(row.score)


def test_reweighing_changes_the_order(vacancy, make_candidate):
    near_no_sector = make_candidate(sectors=("retail",))
    far_sector = make_candidate(municipality="Emmen")
    default = [r.pk for r in ranked(vacancy)]
    assert default == [far_sector.pk, near_no_sector.pk]
    only_distance = dict.fromkeys(WEIGHTS, 0) | {"distance": 10}
    assert [r.pk for r in ranked(vacancy, only_distance)] == [near_no_sector.pk, far_sector.pk]


def test_filters_narrow_the_ranking(vacancy, make_candidate):
    near = make_candidate()
    make_candidate(municipality="Emmen")
    make_candidate(sectors=("retail",))
    assert {r.pk for r in ranked(vacancy, max_distance_km=20, sector_required=True)} == {near.pk}


def test_candidates_differing_only_in_personal_fields_get_the_same_score(vacancy, make_candidate):
    """Gender, birth country and origin are not even stored; everything else personal that is
    stored differs here: name (Dutch / Arabic), age (23 / 61), target group (status holder /
    social assistance), address, postcode (another neighbourhood of Assen), e-mail, phone."""
    one = make_candidate(
        first_name="Jan",
        last_name="de Vries",
        birth_date=datetime.date(2003, 1, 1),
        target_group=TargetGroup.SOCIAL_ASSISTANCE,
        address="Brink 1",
        postcode="9401 AB",
        email="jan@example.org",
    )
    other = make_candidate(
        first_name="Fatima",
        last_name="El Amrani",
        birth_date=datetime.date(1965, 6, 30),
        target_group=TargetGroup.STATUS_HOLDER,
        address="Kloosterveen 200",
        postcode="9408 XZ",
        phone="06-12345678",
    )
    rows = {row.pk: row for row in ranked(vacancy)}
    assert rows[one.pk].score == rows[other.pk].score
    for code in matching.CRITERIA:
        assert getattr(rows[one.pk], f"c_{code}") == getattr(rows[other.pk], f"c_{code}")


def test_the_score_reads_no_column_but_those_of_the_six_criteria(vacancy, make_candidate):
    """A guard for the next change: every column the score's expression reads, listed."""
    from django.db.models.expressions import Col

    def read(expression, columns):
        for node in expression.flatten():
            if hasattr(node, "children"):  # a condition (WHERE node) of a When
                walk(node, columns)
            if isinstance(node, Col):
                columns.add(node.target.name)
            inner = getattr(node, "query", None)
            if inner is not None:
                walk(inner.where, columns)

    def walk(where, columns):
        for child in where.children:
            if hasattr(child, "children"):
                walk(child, columns)
            else:
                read(getattr(child, "lhs", child), columns)

    make_candidate()
    qs = matching.candidates_for(vacancy, CandidateProfile.objects.matchable())
    columns = set()
    for name, annotation in qs.query.annotations.items():
        if name.startswith("c_") or name in ("score", "n_skills"):
            read(annotation, columns)
    assert columns <= {
        "hours_per_week",
        "available_from",
        "latitude",
        "longitude",
        "target_group_register",
        "candidateprofile",
        "sector",
        "skill",
        "id",
    }, columns
    assert {"target_group_register", "latitude", "available_from", "hours_per_week"} <= columns


def test_vacancies_ranked_for_a_candidate(vacancy, make_candidate, employer, account_manager):
    from core.models import Municipality
    from employers import services
    from employers.models import Sector

    profile = make_candidate()
    retail = services.vacancy_register(
        actor=account_manager,
        employer=employer,
        title="Vakkenvuller",
        sector=Sector.objects.get(code="retail"),
        hours_per_week=16,
        municipality=Municipality.objects.get(name="Emmen"),
    )
    rows = list(matching.vacancies_for(profile, Vacancy.objects.open(), weights=WEIGHTS))
    assert [r.pk for r in rows] == [vacancy.pk, retail.pk]
    # retail: sector 0, hours 20 (16 <= 32), skills 25 (none required), distance 15*0.5
    # (Emmen, 32 km), availability 10, register 5 (not asked) = 67.5
    assert rows[1].score == pytest.approx(67.5)
    assert rows[0].score == pytest.approx(87.5)


def test_postcode_area_coordinates_refine_the_distance(vacancy, make_candidate):
    from core.models import PostcodeArea
    from employers import locations

    candidate = make_candidate(municipality="Tynaarlo", postcode="9471 AB")
    assert candidate.latitude == pytest.approx(53.074)  # Tynaarlo's town hall in Vries
    PostcodeArea.objects.create(code="9471", latitude="53.09400", longitude="6.68100")
    locations.refresh_all()
    candidate.refresh_from_db()
    assert candidate.latitude == pytest.approx(53.094)  # Zuidlaren


@pytest.fixture
def crowd(make_candidate):
    """Sixty candidates (seeded): half spread over every criterion, half close to what the
    vacancy asks, so that the top of a ranking is crowded and scores tie."""
    import random

    rng = random.Random(6)
    today = datetime.date.today()
    soon = today + datetime.timedelta(days=20)
    for i in range(60):
        strong = i % 2 == 0
        make_candidate(
            municipality=rng.choice(
                ["Assen", "Tynaarlo"]
                if strong
                else ["Assen", "Emmen", "Midden-Drenthe", "Aa en Hunze", "Groningen"]
            ),
            sectors=["care"]
            if strong
            else rng.sample(["care", "retail", "logistics"], rng.randint(0, 2)),
            skills=rng.sample(
                ["customer_contact", "cleaning_methods", "forklift"], rng.randint(1, 3)
            ),
            hours=rng.choice([24, 32, 36] if strong else [None, 8, 16, 24, 32]),
            available_from=rng.choice(
                [today, soon] if strong else [None, today, soon, today.replace(year=today.year + 1)]
            ),
            register=rng.random() < 0.5,
        )


@pytest.mark.parametrize(
    "weights",
    [
        WEIGHTS,
        dict.fromkeys(WEIGHTS, 10),
        WEIGHTS | {"sector": 60, "distance": 0},
        WEIGHTS | {"hours": 70, "register": 0},
        dict.fromkeys(WEIGHTS, 0) | {"distance": 10, "availability": 1},
        dict.fromkeys(WEIGHTS, 0) | {"skills": 10},
        dict.fromkeys(WEIGHTS, 0),
    ],
    ids=["default", "equal", "sector", "hours", "distance", "skills", "none"],
)
def test_a_page_of_the_ranking_is_that_of_scoring_everyone(vacancy, crowd, weights):
    """CandidateRanking scores only a pool of candidates that can be on the page; whatever the
    weights, filters and page, it must give exactly the order of scoring everyone."""
    matchable = CandidateProfile.objects.matchable()
    narrowed = False
    for filters in (matching.Filters(), matching.Filters(max_distance_km=30)):
        everyone = [
            r.pk
            for r in matching.candidates_for(vacancy, matchable, weights=weights, filters=filters)
        ]
        ranking = matching.CandidateRanking(vacancy, matchable, weights=weights, filters=filters)
        assert ranking.count() == len(everyone)
        for start, stop in ((0, 5), (5, 10), (0, 12), (30, 40), (55, 65)):
            assert [r.pk for r in ranking[start:stop]] == everyone[start:stop], (start, stop)
            narrowed |= ranking.attempts[-1] is not None
    if weights == WEIGHTS:
        assert narrowed, "the default weights must reach the page through a pool"


def test_a_vacancy_without_skills_or_place_is_ranked_through_a_pool(vacancy, crowd):
    vacancy.skills.clear()
    vacancy.latitude = vacancy.longitude = None
    vacancy = Vacancy.objects.get(pk=vacancy.pk)
    matchable = CandidateProfile.objects.matchable()
    everyone = [r.pk for r in matching.candidates_for(vacancy, matchable, weights=WEIGHTS)]
    ranking = matching.CandidateRanking(vacancy, matchable, weights=WEIGHTS)
    assert [r.pk for r in ranking[0:5]] == everyone[:5]
    assert ranking.attempts[-1] is not None


def test_distance_bands_outside_their_meaning_are_refused(vacancy, make_candidate, settings):
    from django.core.exceptions import ImproperlyConfigured

    make_candidate()
    for bands in ([(10, 2.0)], [(-10, 1.0)]):
        settings.MATCHING_DISTANCE_BANDS = bands
        with pytest.raises(ImproperlyConfigured):
            ranked(vacancy)


def test_without_distance_bands_distance_gives_nothing(vacancy, make_candidate, settings):
    settings.MATCHING_DISTANCE_BANDS = []
    make_candidate()
    assert ranked(vacancy)[0].c_distance == 0.0


def test_a_ranking_is_indexed_and_sliced_like_a_list(vacancy, make_candidate):
    pks = [make_candidate().pk for _ in range(3)]
    ranking = matching.CandidateRanking(vacancy, CandidateProfile.objects.matchable())
    assert ranking[1:1] == [] and ranking[5:9] == []
    assert ranking[-1].pk == ranking[2].pk == max(pks)  # equal scores: by pk
    with pytest.raises(IndexError):
        ranking[3]


def test_a_client_who_moves_takes_their_profile_along(make_candidate):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clients.services import client_update
    from core.models import Municipality

    profile = make_candidate(municipality="Assen")
    client = profile.client
    client_update(actor=None, client=client, municipality=Municipality.objects.get(name="Emmen"))
    profile.refresh_from_db()
    assert profile.latitude == pytest.approx(52.7858)  # Emmen's town hall
    with CaptureQueriesContext(connection) as saved:
        client_update(actor=None, client=client, first_name="Selam")
    assert not any("employers_candidateprofile" in q["sql"] for q in saved.captured_queries)


def test_a_place_without_coordinates_makes_the_distance_unknown_not_zero(
    am_client, vacancy, make_candidate, settings
):
    # Vught came with migrate (CBS's list) but without coordinates; Assen has them.
    from django.urls import reverse

    settings.MATCHING_WEIGHTS = WEIGHTS
    near = make_candidate(first_name="Anna", last_name="Assen")
    unknown = make_candidate(municipality="Vught", first_name="Vera", last_name="Vught")
    rows = {row.pk: row for row in ranked(vacancy)}
    explained = {c.code: c for c in matching.explain(rows[unknown.pk], WEIGHTS, vacancy=vacancy)}
    assert explained["distance"].known is False
    assert explained["distance"].points == 0.0
    assert "onbekend" in explained["distance"].detail
    assert matching.distance_km(rows[unknown.pk]) is None
    known = {c.code: c for c in matching.explain(rows[near.pk], WEIGHTS, vacancy=vacancy)}
    assert known["distance"].known is True and known["distance"].points == 15.0

    body = am_client.get(reverse("employers:vacancy_detail", args=[vacancy.pk])).content.decode()
    row = body[body.index("Vera Vught") :]
    cell = row[row.index('class="criterion-distance"') :]
    assert cell.split("</td>")[0].count('<span class="points">onbekend</span>') == 1


def test_anonymising_a_client_moves_their_profile_back_to_the_town_hall(make_candidate, coach):
    """Anonymisation removes the postcode; the profile's place follows (PLACE_CHANGED)."""
    from core.models import PostcodeArea
    from privacy.services import client_anonymise

    PostcodeArea.objects.create(code="9471", latitude="53.09400", longitude="6.68100")
    candidate = make_candidate(municipality="Tynaarlo", postcode="9471 AB")
    assert candidate.latitude == pytest.approx(53.094)  # Zuidlaren, by its postcode area
    client_anonymise(client=candidate.client, actor=coach)
    candidate.refresh_from_db()
    assert candidate.latitude == pytest.approx(53.074)  # Tynaarlo's town hall in Vries


@pytest.mark.parametrize("weights", [dict.fromkeys(WEIGHTS, 0), WEIGHTS | {"sector": 60}])
def test_scoring_everyone_is_one_query_for_few_and_for_many_candidates(
    vacancy, crowd, weights, monkeypatch
):
    """Above CandidateRanking.FEW candidates the ranking sorts only (pk, score) and reads the
    page's rows in the same query: the same order, and as many queries as for a few."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    matchable = CandidateProfile.objects.matchable()
    pages = {}
    for few in (1000, 0):
        monkeypatch.setattr(matching.CandidateRanking, "FEW", few)
        ranking = matching.CandidateRanking(vacancy, matchable, weights=weights)
        ranking[40:50]  # once, so that what a first ranking reads of the vacancy is read
        with CaptureQueriesContext(connection) as queries:
            page = [r.pk for r in ranking[40:50]]
        pages[few] = (page, len(queries))
    assert pages[0] == pages[1000]
    assert len(pages[0][0]) == 10
