"""The two sides of the ranking benchmark (bench_matching, and the ranking row of make bench):
a ranked, explained first page of candidates, and the plain filtered list of the same ones."""

from employers import matching, profiles

PAGE = 25


def plain(matchable):
    """The count and the first page, as employers.views.candidate_list reads it."""
    qs = matchable.only("pk").order_by("client__last_name", "client__first_name", "pk")
    return qs.count(), profiles.page_with_completeness(list(qs[:PAGE]))


def ranking(vacancy, matchable, *, pool=True):
    """The count and the first page ranked and explained; the pools it tried."""
    weights = matching.default_weights()
    ranked = matching.CandidateRanking(vacancy, matchable, weights=weights)
    if not pool:
        ranked.SHORTFALLS = ()
    total = ranked.count()
    rows = ranked[:PAGE]
    for row in rows:
        matching.explain(row, weights, vacancy=vacancy)
    return total, ranked.attempts
