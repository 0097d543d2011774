"""manage.py create_user: the first functional administrator of an empty installation."""

import pytest
from django.core.management import CommandError, call_command

from core import roles
from core.models import Team, User

pytestmark = pytest.mark.django_db


def test_the_first_functional_administrator_is_made_from_the_command_line(monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "een-lang-wachtwoord-2026")
    call_command(
        "create_user", "hmulder", "--role", "functional_admin", "--password-env", "FIRST_PASSWORD"
    )
    user = User.objects.get(username="hmulder")
    assert user.check_password("een-lang-wachtwoord-2026")
    assert user.is_staff and not user.is_superuser
    assert user.has_role(roles.FUNCTIONAL_ADMIN)
    assert user.has_perm("core.administer")


def test_a_coach_joins_the_teams_named_which_are_made_if_new(monkeypatch):
    monkeypatch.setenv("PW", "een-lang-wachtwoord-2026")
    Team.objects.create(name="Team Vught")
    call_command(
        "create_user", "sdevries", "--role", "work_coach", "--team", "Team Vught",
        "--team", "Team Den Bosch", "--password-env", "PW",
    )  # fmt: skip
    user = User.objects.get(username="sdevries")
    assert sorted(user.teams.values_list("name", flat=True)) == ["Team Den Bosch", "Team Vught"]
    assert not user.is_staff


@pytest.mark.parametrize(
    "password, existing, message",
    [
        ("kort", None, "te kort"),
        ("een-lang-wachtwoord-2026", "hmulder", "exists already"),
        ("", None, "empty or not set"),
    ],
)
def test_create_user_refuses_and_writes_nothing(monkeypatch, password, existing, message):
    monkeypatch.setenv("PW", password)
    if existing:
        User.objects.create(username=existing)
    with pytest.raises(CommandError, match=message):
        call_command("create_user", "hmulder", "--role", "manager", "--password-env", "PW")
    assert User.objects.count() == (1 if existing else 0)
