import pytest
from django.db import connection

from clients.models import Client
from core.expressions import AnyOf
from core.models import Team
from tests.factories import ClientFactory


@pytest.mark.django_db
def test_any_of_finds_what_in_finds_and_is_an_array_on_postgresql():
    """AnyOf is `IN (subquery)` by another name: the same rows, ORed or alone; PostgreSQL gets
    it as `= ANY(ARRAY(...))` so that an OR of it with another index condition stays an index
    scan (core/expressions.py)."""
    teams = [Team.objects.create(name=f"Team {n}") for n in range(3)]
    for n, team in enumerate([teams[0], teams[1], None, teams[2]]):
        ClientFactory(last_name=f"B{n}", team=team)
    chosen = Team.objects.filter(name__in=["Team 0", "Team 2"]).values("pk")
    by_in = set(Client.objects.filter(team__in=chosen).values_list("last_name", flat=True))
    by_any = Client.objects.filter(AnyOf("team", chosen))
    assert set(by_any.values_list("last_name", flat=True)) == by_in == {"B0", "B3"}
    either = Client.objects.filter(AnyOf("team", chosen) | AnyOf("team", Team.objects.none()))
    assert either.count() == 2
    nothing = Client.objects.filter(AnyOf("team", Team.objects.filter(name="none").values("pk")))
    assert not nothing.exists()
    sql = str(by_any.query)
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert " IN (SELECT" in sql
