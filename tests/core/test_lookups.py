import pytest
from django.db import connection
from django.db.models import Q

from clients.models import Client
from core.models import Team
from tests.factories import ClientFactory


@pytest.fixture
def clients_of_teams():
    teams = [Team.objects.create(name=f"Team {n}") for n in range(3)]
    for n, team in enumerate([teams[0], teams[1], None, teams[2]]):
        ClientFactory(last_name=f"B{n}", team=team)
    return Team.objects.filter(name__in=["Team 0", "Team 2"]).values("pk")


def _names(queryset):
    return set(queryset.values_list("last_name", flat=True))


@pytest.mark.django_db
def test_any_of_finds_what_in_finds(clients_of_teams):
    """field__any_of is field__in by another name (core.lookups): the same rows alone, ORed,
    negated (a client without a team stays out of neither exclude), with an empty queryset and
    with a list of values."""
    chosen = clients_of_teams
    for condition in (
        lambda lookup, rhs: Q(**{f"team__{lookup}": rhs}),
        lambda lookup, rhs: Q(**{f"team__{lookup}": rhs}) | Q(last_name="B1"),
        lambda lookup, rhs: ~Q(**{f"team__{lookup}": rhs}),
        lambda lookup, rhs: Q(**{f"team__{lookup}": Team.objects.none()}) | Q(last_name="B2"),
    ):
        by_in = _names(Client.objects.filter(condition("in", chosen)))
        assert _names(Client.objects.filter(condition("any_of", chosen))) == by_in
    assert _names(Client.objects.filter(team__any_of=chosen)) == {"B0", "B3"}
    assert _names(Client.objects.exclude(team__any_of=chosen)) == {"B1", "B2"}
    values = list(chosen.values_list("pk", flat=True))
    assert _names(Client.objects.filter(team__any_of=values)) == {"B0", "B3"}
    assert not Client.objects.filter(team__any_of=Team.objects.none()).exists()


@pytest.mark.django_db
def test_any_of_is_an_array_on_postgresql(clients_of_teams):
    """On PostgreSQL the subquery is evaluated once, as an array, so that an OR of it with
    another indexed condition stays an index scan (README, A million clients)."""
    of_teams = Client.objects.filter(team__any_of=clients_of_teams)
    by_pk = Client.objects.filter(pk__any_of=of_teams.values("pk"))  # not a foreign key
    assert _names(by_pk) == {"B0", "B3"}
    for queryset in (of_teams, by_pk):
        sql = str(queryset.query)
        if connection.vendor == "postgresql":
            assert "= ANY(ARRAY(SELECT" in sql
        else:
            assert " IN (SELECT" in sql
