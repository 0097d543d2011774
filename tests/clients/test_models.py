import datetime

import pytest
from django.db import IntegrityError, transaction

from clients.models import Client, Instrument, IntakeScore, LadderObservation
from tests.factories import ClientFactory, ContactFactory, IntakeFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_deregistration_before_registration():
    client = ClientFactory(registered_on=datetime.date(2025, 5, 1))
    client.deregistered_on = datetime.date(2025, 4, 30)
    client.deregistration_reason = "work"
    with pytest.raises(IntegrityError), transaction.atomic():
        client.save()


def test_database_refuses_deregistration_without_reason():
    client = ClientFactory()
    client.deregistered_on = datetime.date(2025, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        client.save()


def test_database_refuses_a_second_client_with_the_same_bsn():
    ClientFactory(bsn="123456782")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(bsn="123456782")


def test_database_refuses_zrm_score_without_purpose():
    intake = IntakeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeScore.objects.create(
            intake=intake, instrument=Instrument.ZRM, domain="finances", score=3
        )


@pytest.mark.parametrize("instrument, score", [("life_wheel", 11), ("zrm", 6), ("zrm", 0)])
def test_database_refuses_scores_outside_the_scale(instrument, score):
    intake = IntakeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeScore.objects.create(
            intake=intake,
            instrument=instrument,
            domain="finances",
            score=score,
            purpose="schuldhulp",
        )


def test_database_refuses_ladder_step_seven():
    client = ClientFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        LadderObservation.objects.create(client=client, step=7)


def test_active_on_follows_the_kpi_definition():
    # kpis.md: registered_on <= D and (deregistered_on empty or deregistered_on > D)
    day = datetime.date(2025, 6, 30)
    starts_today = ClientFactory(registered_on=day)
    leaves_today = ClientFactory(
        registered_on=datetime.date(2024, 1, 1), deregistered_on=day, deregistration_reason="work"
    )
    leaves_tomorrow = ClientFactory(
        registered_on=datetime.date(2024, 1, 1),
        deregistered_on=day + datetime.timedelta(days=1),
        deregistration_reason="moved",
    )
    ClientFactory(registered_on=day + datetime.timedelta(days=1))
    assert set(Client.objects.active_on(day)) == {starts_today, leaves_tomorrow}
    assert leaves_today.is_active_on(day) is False


def test_for_user_sees_own_caseload_and_own_teams_clients_only(coach, team, other_team):
    mine_in_other_team = ClientFactory(coach=coach, team=other_team)
    teammates = ClientFactory(team=team)
    ClientFactory(team=other_team)
    assert set(Client.objects.for_user(coach)) == {mine_in_other_team, teammates}


def test_for_user_gives_nothing_to_roles_without_dossier_access(manager, account_manager):
    ClientFactory()
    assert not Client.objects.for_user(manager).exists()
    assert not Client.objects.for_user(account_manager).exists()


def test_for_user_lists_each_client_once_for_a_coach_in_its_team(coach, team, make_user):
    colleague = make_user("colleague", "work_coach", teams=[team])
    ClientFactory(coach=coach, team=team)
    assert Client.objects.for_user(coach).count() == 1
    assert Client.objects.for_user(colleague).count() == 1


def test_search_matches_every_word_in_any_name_part():
    wanted = ClientFactory(first_name="Jan", name_prefix="van der", last_name="Berg")
    ClientFactory(first_name="Jan", last_name="Jansen")
    ClientFactory(first_name="محمد", last_name="الحسن")
    assert list(Client.objects.search("jan berg")) == [wanted]
    assert list(Client.objects.search("van der")) == [wanted]
    assert Client.objects.search("الحسن").count() == 1


def test_last_contact_is_the_latest_contact_date():
    client = ClientFactory()
    ContactFactory(client=client, date=datetime.date(2026, 1, 5))
    ContactFactory(client=client, date=datetime.date(2026, 3, 9))
    ContactFactory(client=client, date=datetime.date(2025, 12, 1))
    annotated = Client.objects.with_last_contact().get(pk=client.pk)
    assert annotated.last_contact_on == datetime.date(2026, 3, 9)


def test_names_and_masked_bsn_for_display():
    client = ClientFactory(
        first_name="Jan", name_prefix="van der", last_name="Berg", bsn="123456782"
    )
    assert client.full_name == "Jan van der Berg"
    assert client.sort_name == "Berg, Jan van der"
    assert client.bsn_masked == "*****6782"


def test_age_counts_completed_years():
    client = ClientFactory(birth_date=datetime.date(2000, 2, 29))
    assert client.age_on(datetime.date(2026, 2, 28)) == 25
    assert client.age_on(datetime.date(2026, 3, 1)) == 26


def test_a_team_can_have_clients_and_members(coach, team):
    assert list(TeamFactory(name="Team Assen").members.all()) == [coach]


@pytest.mark.parametrize("typed", ["9402cd", "9402CD", "9402 CD"])
def test_a_postcode_is_stored_one_way_whoever_registers_the_client(coach, assen, typed):
    from clients import services

    client = services.client_register(
        actor=coach,
        bsn="111222333",
        first_name="Noor",
        last_name="Bakker",
        birth_date=datetime.date(1990, 1, 1),
        postcode=typed,
        municipality=assen,
        target_group="social_assistance",
    )
    client.refresh_from_db()
    assert client.postcode == "9402 CD"


def test_an_invalid_postcode_is_reported_once_next_to_its_field(assen):
    from django.core.exceptions import ValidationError

    client = Client(
        bsn="111222333", first_name="Noor", last_name="Bakker", postcode="0123 AB",
        birth_date=datetime.date(1990, 1, 1), municipality=assen, target_group="wajong",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        client.full_clean()
    assert list(refused.value.message_dict) == ["postcode"]
    assert len(refused.value.message_dict["postcode"]) == 1
