import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients.models import Client, TargetGroup
from schools import services
from schools.models import Advice, ExitConversation, Leaver
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_a_leaver_becomes_a_client_with_everything_known_about_them(
    leaver, advise, diagnosis_consultant, coach, team, assen
):
    advise(leaver, Advice.TARGET_GROUP_REGISTER)
    client = services.leaver_become_client(
        actor=diagnosis_consultant,
        leaver=leaver,
        bsn="123456782",
        municipality=assen,
        team=team,
        coach=coach,
    )
    assert (client.first_name, client.last_name) == ("Daan", "Bakker")
    assert client.birth_date == datetime.date(2008, 3, 14)
    assert client.bsn == "123456782"
    assert (client.email, client.phone) == ("daan@example.org", "0612345678")
    assert client.target_group == TargetGroup.SCHOOL_LEAVER
    assert client.target_group_register is True
    assert (client.coach, client.team, client.municipality) == (coach, team, assen)
    assert client.registered_on == timezone.localdate()
    leaver.refresh_from_db()
    assert leaver.client == client


@pytest.mark.parametrize(
    ("advice", "route"),
    [
        (Advice.SHELTERED_WORK, ""),
        (Advice.ROUTE, "participation"),
        (Advice.FURTHER_EDUCATION, ""),
    ],
)
def test_only_the_register_advice_puts_the_client_in_the_register(
    leaver, advise, diagnosis_consultant, team, assen, advice, route
):
    advise(leaver, advice, route)
    client = services.leaver_become_client(
        actor=diagnosis_consultant, leaver=leaver, bsn="123456782", municipality=assen, team=team
    )
    assert client.target_group_register is False


def test_a_leaver_without_an_exit_conversation_cannot_become_a_client(
    leaver, diagnosis_consultant, team, assen
):
    with pytest.raises(ValidationError) as refused:
        services.leaver_become_client(
            actor=diagnosis_consultant,
            leaver=leaver,
            bsn="123456782",
            municipality=assen,
            team=team,
        )
    assert "uitstroomgesprek" in " ".join(refused.value.messages)
    assert not Client.objects.exists()


def test_a_leaver_becomes_a_client_once(leaver, advise, diagnosis_consultant, team, assen):
    advise(leaver)
    services.leaver_become_client(
        actor=diagnosis_consultant, leaver=leaver, bsn="123456782", municipality=assen, team=team
    )
    with pytest.raises(ValidationError) as refused:
        services.leaver_become_client(
            actor=diagnosis_consultant,
            leaver=leaver,
            bsn="111222333",
            municipality=assen,
            team=team,
        )
    assert "al cliënt" in " ".join(refused.value.messages)
    assert Client.objects.count() == 1


def test_a_registered_bsn_is_refused_and_nothing_is_written(
    leaver, advise, diagnosis_consultant, team, assen
):
    ClientFactory(bsn="123456782")
    advise(leaver)
    with pytest.raises(ValidationError) as refused:
        services.leaver_become_client(
            actor=diagnosis_consultant,
            leaver=leaver,
            bsn="123456782",
            municipality=assen,
            team=team,
        )
    assert "bsn" in refused.value.message_dict
    leaver.refresh_from_db()
    assert leaver.client is None
    assert Client.objects.count() == 1


def test_the_bsn_and_municipality_asked_at_registration_are_kept_on_the_leaver(
    make_leaver, advise, diagnosis_consultant, team, tynaarlo
):
    pupil = make_leaver()  # no BSN, no municipality known
    advise(pupil)
    services.leaver_become_client(
        actor=diagnosis_consultant, leaver=pupil, bsn="111222333", municipality=tynaarlo, team=team
    )
    pupil.refresh_from_db()
    assert (pupil.bsn, pupil.municipality) == ("111222333", tynaarlo)


def test_a_route_advice_needs_its_route(leaver, advise):
    with pytest.raises(ValidationError) as refused:
        advise(leaver, Advice.ROUTE, "")
    assert "route" in refused.value.message_dict
    assert not ExitConversation.objects.exists()


def test_another_advice_drops_a_route_given_with_it(leaver, advise):
    conversation = advise(leaver, Advice.SHELTERED_WORK, "employee")
    assert conversation.route == ""


def test_the_advice_is_corrected_until_the_pupil_is_a_client(
    leaver, advise, diagnosis_consultant, team, assen
):
    advise(leaver, Advice.SHELTERED_WORK)
    advise(leaver, Advice.ROUTE, "employee")
    assert ExitConversation.objects.get().advice == Advice.ROUTE
    services.leaver_become_client(
        actor=diagnosis_consultant, leaver=leaver, bsn="123456782", municipality=assen, team=team
    )
    with pytest.raises(ValidationError):
        advise(leaver, Advice.SHELTERED_WORK)
    assert ExitConversation.objects.get().advice == Advice.ROUTE


def test_a_leaver_bsn_must_pass_the_eleven_test(make_leaver):
    with pytest.raises(ValidationError) as refused:
        make_leaver(bsn="123456789")
    assert "elfproef" in " ".join(refused.value.message_dict["bsn"])
    assert not Leaver.objects.exists()


@pytest.mark.parametrize("year", [1999, timezone.localdate().year + 2])
def test_the_year_of_leaving_is_checked(make_leaver, year):
    with pytest.raises(ValidationError) as refused:
        make_leaver(school_year=year)
    assert "school_year" in refused.value.message_dict


def test_the_cleanup_removes_old_leavers_who_never_became_a_client(
    make_leaver, advise, diagnosis_consultant, team, assen
):
    today = datetime.date(2026, 12, 5)
    kept_this_year = make_leaver(first_name="Noa", school_year=2026)
    kept_last_year = make_leaver(first_name="Sem", school_year=2025)
    removed = make_leaver(first_name="Bram", school_year=2024)
    advise(removed)
    became_client = make_leaver(first_name="Lotte", school_year=2023, bsn="123456782")
    advise(became_client)
    services.leaver_become_client(
        actor=diagnosis_consultant,
        leaver=became_client,
        bsn="123456782",
        municipality=assen,
        team=team,
    )
    assert services.leavers_cleanup(today=today) == 1
    assert set(Leaver.objects.values_list("pk", flat=True)) == {
        kept_this_year.pk,
        kept_last_year.pk,
        became_client.pk,
    }
    assert not ExitConversation.objects.filter(leaver_id=removed.pk).exists()


def test_celery_beat_runs_the_cleanup_every_month(settings, make_leaver):
    from schools.tasks import school_leavers_cleanup

    entry = settings.CELERY_BEAT_SCHEDULE["school-leavers-cleanup"]
    assert entry["task"] == school_leavers_cleanup.name
    assert entry["schedule"].day_of_month == {2}
    make_leaver(first_name="Bram", school_year=2000)
    assert school_leavers_cleanup() == 1
    assert school_leavers_cleanup() == 0
    assert not Leaver.objects.exists()
