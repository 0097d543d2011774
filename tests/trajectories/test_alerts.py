"""Each signal on a hand-built dataset, with its boundaries, scoped to the clients given."""

import datetime

import pytest

from clients.models import Channel, Client, LadderObservation
from tests.factories import ClientFactory, ContactFactory
from trajectories import alerts, deadline, services
from trajectories.models import Activity, ActivityStatus, Outcome, Route, SkillEvaluation

TODAY = datetime.date(2026, 6, 15)
D = datetime.timedelta


def names(items):
    """First names of the clients concerned: of clients, trajectories or activities."""
    return [
        (
            item.trajectory.client if isinstance(item, Activity) else getattr(item, "client", item)
        ).first_name
        for item in items
    ]


@pytest.fixture
def people(coach, team):
    """Clients registered long ago, on the coach's caseload, keyed by first name."""

    def make(*first_names, **fields):
        fields.setdefault("registered_on", datetime.date(2024, 1, 8))
        return [
            ClientFactory(first_name=n, last_name=n, coach=coach, team=team, **fields)
            for n in first_names
        ]

    return make


# No conversation -------------------------------------------------------------------------


def test_no_conversation_flags_on_the_day_the_days_have_passed(people, settings):
    settings.SIGNAL_NO_CONVERSATION_DAYS = 30
    exactly, one_less, never, older, mailed = people("Exact", "Recent", "Never", "Older", "Mail")
    ContactFactory(client=exactly, date=TODAY - D(days=30), channel=Channel.PHONE)  # 30 days
    ContactFactory(client=one_less, date=TODAY - D(days=29), channel=Channel.HOME_VISIT)
    ContactFactory(client=older, date=TODAY - D(days=90), channel=Channel.IN_PERSON)
    ContactFactory(client=older, date=TODAY - D(days=45), channel=Channel.VIDEO)
    # An e-mail or a letter is not a conversation.
    ContactFactory(client=mailed, date=TODAY - D(days=1), channel=Channel.EMAIL)
    ContactFactory(client=mailed, date=TODAY - D(days=2), channel=Channel.LETTER)

    found = list(alerts.no_conversation(Client.objects.all(), today=TODAY))

    # Never spoken to first, then the oldest last conversation.
    assert names(found) == ["Mail", "Never", "Older", "Exact"]
    assert [c.last_conversation_on for c in found] == [
        None,
        None,
        TODAY - D(days=45),
        TODAY - D(days=30),
    ]


def test_no_conversation_uses_the_configured_number_of_days(people, settings):
    (spoken,) = people("Spoken")
    ContactFactory(client=spoken, date=TODAY - D(days=10), channel=Channel.PHONE)
    settings.SIGNAL_NO_CONVERSATION_DAYS = 10
    assert names(alerts.no_conversation(Client.objects.all(), today=TODAY)) == ["Spoken"]
    settings.SIGNAL_NO_CONVERSATION_DAYS = 11
    assert names(alerts.no_conversation(Client.objects.all(), today=TODAY)) == []


def test_no_conversation_counts_from_registration_and_skips_inactive_clients(people, settings):
    settings.SIGNAL_NO_CONVERSATION_DAYS = 30
    people("Registered30", registered_on=TODAY - D(days=30))
    people("Registered29", registered_on=TODAY - D(days=29))
    people(
        "Left",
        deregistered_on=TODAY - D(days=1),
        deregistration_reason="work",
    )
    assert names(alerts.no_conversation(Client.objects.all(), today=TODAY)) == ["Registered30"]


def test_signals_only_concern_the_clients_in_scope(people, coach, make_user, team):
    (mine,) = people("Mine")
    colleague = make_user("collega", teams=[team])
    ClientFactory(first_name="Theirs", coach=colleague, team=team, registered_on=mine.registered_on)
    caseload = Client.objects.for_user(coach).filter(coach=coach)
    assert names(alerts.no_conversation(caseload, today=TODAY)) == ["Mine"]


# Two-year deadline ------------------------------------------------------------------------


@pytest.fixture
def start(coach, employee_route):
    def do(client, start_date, route=None):
        return services.trajectory_start(
            actor=coach, client=client, route=route or employee_route, start_date=start_date
        )

    return do


def test_deadline_window_is_inclusive_at_exactly_the_number_of_weeks(people, start, settings):
    settings.SIGNAL_DEADLINE_WEEKS = 12
    # TODAY + 12 weeks = 2026-09-07; a deadline on that day is two years after 2024-09-07.
    on_edge, just_outside, passed = people("Edge", "Outside", "Passed")
    start(on_edge, datetime.date(2024, 9, 7))
    start(just_outside, datetime.date(2024, 9, 8))
    start(passed, datetime.date(2024, 1, 8))  # deadline 2026-01-08, still open: most urgent
    found = list(alerts.deadline_approaching(Client.objects.all(), today=TODAY))
    assert names(found) == ["Passed", "Edge"]
    assert found[1].deadline == datetime.date(2026, 9, 7)


def test_deadline_leaves_out_other_routes_and_ended_trajectories(people, start, coach):
    other_route, ended = people("Participation", "Ended")
    start(other_route, datetime.date(2024, 1, 8), route=Route.objects.get(code="participation"))
    services.trajectory_end(
        actor=coach,
        trajectory=start(ended, datetime.date(2024, 1, 8)),
        end_date=datetime.date(2025, 1, 8),
        outcome=Outcome.WORK,
    )
    assert list(alerts.deadline_approaching(Client.objects.all(), today=TODAY)) == []


def test_a_29_february_start_has_its_deadline_on_28_february(people, start, settings):
    settings.SIGNAL_DEADLINE_WEEKS = 0
    (leap,) = people("Leap")
    trajectory = start(leap, datetime.date(2024, 2, 29))
    assert trajectory.deadline == datetime.date(2026, 2, 28)
    clients = Client.objects.all()
    assert names(alerts.deadline_approaching(clients, today=datetime.date(2026, 2, 28))) == ["Leap"]
    assert names(alerts.deadline_approaching(clients, today=datetime.date(2026, 2, 27))) == []


def test_the_start_bound_matches_the_deadline_rule():
    assert deadline.latest_start(datetime.date(2026, 2, 28)) == datetime.date(2024, 2, 29)
    # 2028 is a leap year; a start on 29 Feb 2026 does not exist, 1 March 2026 ends 1 March 2028.
    assert deadline.latest_start(datetime.date(2028, 2, 29)) == datetime.date(2026, 2, 28)
    assert deadline.latest_start(datetime.date(2027, 2, 28)) == datetime.date(2025, 2, 28)
    assert deadline.latest_start(datetime.date(2026, 9, 7)) == datetime.date(2024, 9, 7)


# Activities without a result ---------------------------------------------------------------


def test_activities_that_ended_without_a_result(people, start, coach, language_course):
    (client,) = people("Amal")
    trajectory = start(client, datetime.date(2026, 1, 5))

    def add(**fields):
        fields.setdefault("start_date", datetime.date(2026, 2, 2))
        return services.activity_add(
            actor=coach, trajectory=trajectory, kind=language_course, **fields
        )

    yesterday = add(end_date=TODAY - D(days=1), status=ActivityStatus.RUNNING)
    add(end_date=TODAY, status=ActivityStatus.RUNNING)  # ends today: not yet ended
    completed = add(status=ActivityStatus.COMPLETED)
    add(end_date=TODAY - D(days=1), status=ActivityStatus.COMPLETED, result="Niveau A2 gehaald")
    add(end_date=TODAY - D(days=1), status=ActivityStatus.CANCELLED)
    add(status=ActivityStatus.PLANNED)

    found = list(alerts.activities_without_result(Client.objects.all(), today=TODAY))
    assert [a.pk for a in found] == [yesterday.pk, completed.pk]


# Evaluations due ---------------------------------------------------------------------------


def test_evaluation_due_after_the_kinds_interval(people, start, coach, wop, language_course):
    assert wop.evaluation_interval_days == 14
    a, b, c, d, e = people("Due", "Early", "Evaluated", "NotEvaluatedKind", "Planned")

    def running(client, kind, start_date, status=ActivityStatus.RUNNING):
        trajectory = start(client, datetime.date(2026, 1, 5))
        return services.activity_add(
            actor=coach, trajectory=trajectory, kind=kind, start_date=start_date, status=status
        )

    running(a, wop, TODAY - D(days=14))  # started exactly 14 days ago: due today
    running(b, wop, TODAY - D(days=13))
    evaluated = running(c, wop, TODAY - D(days=60))
    SkillEvaluation.objects.create(activity=evaluated, evaluated_on=TODAY - D(days=40))
    SkillEvaluation.objects.create(activity=evaluated, evaluated_on=TODAY - D(days=13))
    running(d, language_course, TODAY - D(days=60))
    running(e, wop, TODAY - D(days=60), status=ActivityStatus.PLANNED)

    found = list(alerts.evaluations_due(Client.objects.all(), today=TODAY))
    assert names(found) == ["Due"]
    assert found[0].due_on == TODAY
    assert found[0].last_evaluated_on is None

    # One day on, the evaluation of 13 days ago is due too, with its own due date.
    found = list(alerts.evaluations_due(Client.objects.all(), today=TODAY + D(days=1)))
    assert names(found) == ["Due", "Early", "Evaluated"]
    assert found[2].last_evaluated_on == TODAY - D(days=13)
    assert found[2].due_on == TODAY + D(days=1)


def test_evaluation_interval_is_read_per_kind(people, start, coach, wop):
    wop.evaluation_interval_days = 30
    wop.save()
    (client,) = people("Monthly")
    trajectory = start(client, datetime.date(2026, 1, 5))
    Activity.objects.create(
        trajectory=trajectory, kind=wop, start_date=TODAY - D(days=29), status="running"
    )
    assert names(alerts.evaluations_due(Client.objects.all(), today=TODAY)) == []
    found = alerts.evaluations_due(Client.objects.all(), today=TODAY + D(days=1))
    assert names(found) == ["Monthly"]


# Participation ladder ----------------------------------------------------------------------


def test_ladder_measurement_six_months_old(people):
    # TODAY - 6 months = 2025-12-15.
    edge, recent, none_long, none_new = people("Edge", "Recent", "NoneLong", "NoneNew")
    none_new.registered_on = datetime.date(2025, 12, 16)
    none_new.save()
    LadderObservation.objects.create(client=edge, step=2, observed_on=datetime.date(2025, 6, 1))
    LadderObservation.objects.create(client=edge, step=3, observed_on=datetime.date(2025, 12, 15))
    LadderObservation.objects.create(client=recent, step=3, observed_on=datetime.date(2025, 12, 16))

    found = list(alerts.ladder_outdated(Client.objects.all(), today=TODAY))
    assert names(found) == ["NoneLong", "Edge"]
    assert found[1].last_ladder_on == datetime.date(2025, 12, 15)


# All together --------------------------------------------------------------------------------


def test_signals_for_gives_titles_with_the_settings_numbers_and_counts(people, settings):
    settings.SIGNAL_NO_CONVERSATION_DAYS = 21
    settings.SIGNAL_DEADLINE_WEEKS = 8
    people("Amal", "Bram")
    signals = alerts.signals_for(Client.objects.all(), today=TODAY)
    assert [(s.code, s.title, s.count) for s in signals] == [
        ("no_conversation", "Geen gesprek in 21 dagen", 2),
        ("deadline", "Route werknemer: tweejaarstermijn binnen 8 weken", 0),
        ("activity_result", "Activiteiten afgelopen zonder resultaat", 0),
        ("evaluation_due", "Tussenevaluaties te doen", 0),
        ("ladder", "Participatieladder niet gemeten in zes maanden", 2),
    ]
    assert [r.detail for r in signals[0].rows] == ["nog geen gesprek", "nog geen gesprek"]
    counts_only = alerts.signals_for(Client.objects.all(), today=TODAY, with_clients=False)
    assert [(s.count, s.rows) for s in counts_only] == [(2, []), (0, []), (0, []), (0, []), (2, [])]
