"""The coach history and the handover of a caseload: the rules (clients.handover)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import handover, services
from clients.handover_parts import coach_history, handover_notes
from clients.models import Client, CoachChangeReason, CoachPeriod, HandoverNote
from core import gdpr, roles
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving(make_user, team):
    return make_user("vertrekt", roles.WORK_COACH, teams=[team], first_name="Karin")


@pytest.fixture
def anna(make_user, team):
    return make_user("anna", roles.WORK_COACH, teams=[team], first_name="Anna", max_caseload=3)


@pytest.fixture
def bram(make_user, team):
    return make_user("bram", roles.WORK_COACH, teams=[team], first_name="Bram", max_caseload=5)


def _caseload(coach, team, n, **fields):
    clients = [
        ClientFactory(coach=coach, team=team, last_name=f"Klant{i:02d}", **fields) for i in range(n)
    ]
    handover.coach_periods_sync(
        clients=Client.objects.filter(pk__in=[c.pk for c in clients]),
        actor=None,
        reason=CoachChangeReason.REGISTRATION,
    )
    return clients


def test_registering_a_client_opens_their_first_coach_period_on_the_registration_date(
    coach, team, assen
):
    client = services.client_register(
        actor=coach,
        first_name="Ilse",
        last_name="Bakker",
        bsn="111222333",
        birth_date=datetime.date(1990, 5, 1),
        municipality=assen,
        target_group="wajong",
        registered_on=datetime.date(2026, 3, 2),
        coach=coach,
        team=team,
    )
    period = CoachPeriod.objects.get(client=client)
    assert (period.coach, period.team, period.started_on, period.ended_on) == (
        coach,
        team,
        datetime.date(2026, 3, 2),
        None,
    )
    assert period.reason == CoachChangeReason.REGISTRATION
    assert period.changed_by == coach


def test_changing_the_coach_on_the_edit_form_closes_the_period_and_opens_the_next(
    coach, team, anna
):
    (client,) = _caseload(coach, team, 1)
    services.client_update(actor=coach, client=client, coach=anna)
    today = timezone.localdate()
    old, new = CoachPeriod.objects.filter(client=client).order_by("pk")
    assert (old.coach, old.started_on, old.ended_on) == (coach, client.registered_on, today)
    assert (new.coach, new.started_on, new.ended_on) == (anna, today, None)
    assert new.reason == CoachChangeReason.REASSIGNMENT


def test_a_coach_set_again_after_a_time_without_one_starts_today_not_at_registration(
    coach, team, anna
):
    (client,) = _caseload(coach, team, 1)
    services.client_update(actor=coach, client=client, coach=None)
    services.client_update(actor=coach, client=Client.objects.get(pk=client.pk), coach=anna)
    today = timezone.localdate()
    first, second = CoachPeriod.objects.filter(client=client).order_by("pk")
    assert (first.coach, first.started_on, first.ended_on) == (coach, client.registered_on, today)
    assert (second.coach, second.started_on, second.ended_on) == (anna, today, None)


def test_an_edit_that_keeps_the_coach_writes_no_period(coach, team):
    (client,) = _caseload(coach, team, 1)
    services.client_update(actor=coach, client=client, phone="0612345678")
    assert CoachPeriod.objects.filter(client=client).count() == 1


def test_the_worklist_assignment_records_a_coach_period(manager, coach, team):
    client = ClientFactory(team=None, coach=None)
    services.clients_assign(
        actor=manager, clients=Client.objects.filter(pk=client.pk), team=team, coach=coach
    )
    period = CoachPeriod.objects.get(client=client)
    assert (period.coach, period.team, period.reason, period.changed_by) == (
        coach,
        team,
        CoachChangeReason.ASSIGNMENT,
        manager,
    )


def test_the_maximum_follows_the_hours_unless_set(make_user, settings, team):
    settings.CASELOAD_PER_FULL_TIME = 60
    settings.CASELOAD_FULL_TIME_HOURS = 36
    make_user("vol", roles.WORK_COACH, teams=[team], casework_hours=36)
    make_user("deel", roles.WORK_COACH, teams=[team], casework_hours=32)
    make_user("vast", roles.WORK_COACH, teams=[team], casework_hours=24, max_caseload=45)
    rows = {u.username: u for u in handover.with_capacity(handover.caseworkers())}
    assert rows["vol"].maximum == 60
    assert rows["deel"].maximum == 53  # 32 / 36 x 60 = 53.3, rounded down
    assert rows["vast"].maximum == 45  # set for this coach, whatever the hours


def test_the_caseload_counts_active_clients_only(coach, team, settings):
    settings.CASELOAD_PER_FULL_TIME = 60
    settings.CASELOAD_FULL_TIME_HOURS = 36
    today = timezone.localdate()
    ClientFactory(coach=coach, team=team)
    ClientFactory(coach=coach, team=team)
    ClientFactory(
        coach=coach,
        team=team,
        deregistered_on=today - datetime.timedelta(days=1),
        deregistration_reason="work",
    )
    ClientFactory(coach=coach, team=team, registered_on=today + datetime.timedelta(days=5))
    (row,) = handover.team_capacity(team)
    assert row.clients_count == 2
    assert row.room == 60 - 2


def test_a_handover_spreads_the_clients_by_most_room(manager, leaving, anna, bram, team):
    ClientFactory(coach=anna, team=team)  # anna: 1 of 3, room 2; bram: 0 of 5, room 5
    clients = _caseload(leaving, team, 6)
    received = handover.caseload_hand_over(
        actor=manager,
        from_coach=leaving,
        clients=Client.objects.filter(pk__in=[c.pk for c in clients]),
        team=team,
        to_coaches=[anna, bram],
        note="Zie de laatste contactmomenten.",
    )
    # One at a time to the most room: bram 5,4,3 then equal with anna at 2 (bram first, he
    # had more room at the start), anna 2 -> 1, then bram and anna at 1: bram. Bram 5, anna 1.
    assert {coach.username: n for coach, n in received.items()} == {"bram": 5, "anna": 1}
    assert Client.objects.filter(coach=bram).count() == 5
    assert Client.objects.filter(coach=anna).count() == 2
    assert not Client.objects.filter(coach=leaving).exists()


def test_a_handover_writes_history_periods_and_a_note_per_client(
    manager, leaving, anna, team, other_team
):
    client, other = _caseload(leaving, team, 2)
    version = client.version
    handover.caseload_hand_over(
        actor=manager,
        from_coach=leaving,
        clients=Client.objects.filter(pk=client.pk),
        team=team,
        to_coaches=[anna],
        note="Belt liever dan dat ze mailt.",
        reason=CoachChangeReason.COACH_LEFT,
    )
    client.refresh_from_db()
    assert client.coach == anna
    assert client.version == version + 1  # an edit begun before the handover is refused
    closed, opened = CoachPeriod.objects.filter(client=client).order_by("pk")
    assert closed.coach == leaving and closed.ended_on == timezone.localdate()
    assert (opened.coach, opened.reason, opened.note, opened.changed_by) == (
        anna,
        CoachChangeReason.COACH_LEFT,
        "Belt liever dan dat ze mailt.",
        manager,
    )
    note = HandoverNote.objects.get(client=client)
    assert (note.from_coach, note.to_coach, note.written_by, note.dismissed_at) == (
        leaving,
        anna,
        manager,
        None,
    )
    entry = LogEntry.objects.get_for_object(client).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == manager
    assert entry.changes == {"coach": [str(leaving.pk), str(anna.pk)]}
    # The client not chosen stays where it was.
    other.refresh_from_db()
    assert other.coach == leaving
    assert not HandoverNote.objects.filter(client=other).exists()


def test_a_handover_moves_only_the_departing_coachs_clients(manager, leaving, coach, anna, team):
    (own,) = _caseload(leaving, team, 1)
    (someone_elses,) = _caseload(coach, team, 1)
    handover.caseload_hand_over(
        actor=manager,
        from_coach=leaving,
        clients=Client.objects.filter(pk__in=[own.pk, someone_elses.pk]),
        team=team,
        to_coaches=[anna],
        note="Overdracht",
    )
    someone_elses.refresh_from_db()
    assert someone_elses.coach == coach


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"note": "  "}, "note"),
        ({"to_coaches": []}, "to_coaches"),
        ({"to_coaches": "self"}, "to_coaches"),
        ({"to_coaches": "outsider"}, "to_coaches"),
        ({"reason": CoachChangeReason.IMPORT}, "reason"),
    ],
)
def test_a_refused_handover_writes_nothing(
    manager, leaving, anna, team, make_user, other_team, change, field
):
    outsider = make_user("buiten", roles.WORK_COACH, teams=[other_team])
    clients = _caseload(leaving, team, 2)
    arguments = {"note": "Overdracht", "to_coaches": [anna], **change}
    named = {"self": [leaving], "outsider": [outsider]}
    if isinstance(arguments["to_coaches"], str):
        arguments["to_coaches"] = named[arguments["to_coaches"]]
    with pytest.raises(ValidationError) as refused:
        handover.caseload_hand_over(
            actor=manager,
            from_coach=leaving,
            clients=Client.objects.filter(pk__in=[c.pk for c in clients]),
            team=team,
            **arguments,
        )
    assert field in refused.value.error_dict
    assert Client.objects.filter(coach=leaving).count() == 2
    assert CoachPeriod.objects.count() == 2
    assert not HandoverNote.objects.exists()


def test_only_the_new_coach_dismisses_the_note(manager, leaving, anna, bram, team):
    (client,) = _caseload(leaving, team, 1)
    handover.caseload_hand_over(
        actor=manager,
        from_coach=leaving,
        clients=Client.objects.filter(pk=client.pk),
        team=team,
        to_coaches=[anna],
        note="Overdracht",
    )
    note = HandoverNote.objects.get()
    with pytest.raises(ValidationError):
        handover.handover_note_dismiss(actor=bram, note=note)
    handover.handover_note_dismiss(actor=anna, note=note)
    note.refresh_from_db()
    assert note.dismissed_by == anna and note.dismissed_at is not None
    first = note.dismissed_at
    handover.handover_note_dismiss(actor=anna, note=note)  # twice: nothing changes
    note.refresh_from_db()
    assert note.dismissed_at == first


def test_the_import_sync_follows_coaches_set_wise(coach, anna, team):
    today = timezone.localdate()
    moved = ClientFactory(coach=coach, team=team, source_ref="c1")
    kept = ClientFactory(coach=coach, team=team, source_ref="c2")
    cleared = ClientFactory(coach=coach, team=team, source_ref="c3")
    imported = Client.objects.filter(source_ref__isnull=False)
    handover.coach_periods_sync(clients=imported, actor=None)  # the first import
    assert set(CoachPeriod.objects.values_list("started_on", flat=True)) == {moved.registered_on}
    Client.objects.filter(pk=moved.pk).update(coach=anna)  # a re-import, as its UPDATE does
    Client.objects.filter(pk=cleared.pk).update(coach=None)
    handover.coach_periods_sync(clients=imported, actor=None)
    periods = CoachPeriod.objects.order_by("pk")
    assert [(p.client_id, p.coach_id, p.started_on, p.ended_on) for p in periods] == [
        (moved.pk, coach.pk, moved.registered_on, today),
        (kept.pk, coach.pk, kept.registered_on, None),
        (cleared.pk, coach.pk, cleared.registered_on, today),
        (moved.pk, anna.pk, today, None),
    ]
    assert periods.last().reason == CoachChangeReason.IMPORT


def test_the_export_and_the_anonymisation_take_history_and_notes(manager, leaving, anna, team):
    (client,) = _caseload(leaving, team, 1)
    handover.caseload_hand_over(
        actor=manager,
        from_coach=leaving,
        clients=Client.objects.filter(pk=client.pk),
        team=team,
        to_coaches=[anna],
        note="Heeft schulden bij de woningcorporatie.",
    )
    history = coach_history(client)
    assert [r["coach"] for r in history.records] == [str(leaving), str(anna)]
    assert history.records[1]["reason"] == "Overdracht"
    assert handover_notes(client).records[0]["text"] == "Heeft schulden bij de woningcorporatie."
    gdpr.anonymise(client)
    assert set(CoachPeriod.objects.values_list("note", flat=True)) == {""}
    assert HandoverNote.objects.get().text == ""
    assert CoachPeriod.objects.count() == 2  # who coached when stays


def test_a_caseload_goes_to_work_coaches_not_to_the_diagnosis_consultant(
    manager, leaving, diagnosis_consultant, team
):
    clients = _caseload(leaving, team, 1)
    with pytest.raises(ValidationError) as refused:
        handover.caseload_hand_over(
            actor=manager,
            from_coach=leaving,
            clients=Client.objects.filter(pk__in=[c.pk for c in clients]),
            team=team,
            to_coaches=[diagnosis_consultant],
            note="Overdracht",
        )
    assert "to_coaches" in refused.value.error_dict
    rows = {row.user.username for row in handover.team_capacity(team)}
    assert rows == {"vertrekt"}  # a diagnosis consultant without clients is no coach to fill
