"""The change history names who did it, also when a command or a Celery task calls a service."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry

from clients import services
from clients.models import Contact

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


def logged(client, actor):
    contact = services.contact_log(actor=actor, client=client, date=DAY, channel="phone")
    return LogEntry.objects.get_for_object(contact).get()


def test_a_service_called_without_a_request_names_its_actor(client_of_coach, coach):
    entry = logged(client_of_coach, coach)
    assert entry.actor == coach
    assert entry.remote_addr is None


def test_in_a_request_the_requests_user_and_address_stay(client_of_coach, coach, manager):
    # What auditlog's middleware does for a request of `coach` from 10.20.0.5.
    with set_actor(coach, remote_addr="10.20.0.5"):
        entry = logged(client_of_coach, manager)
        after = logged(client_of_coach, None)  # the request's context still holds afterwards
    assert (entry.actor, entry.remote_addr) == (coach, "10.20.0.5")
    assert (after.actor, after.remote_addr) == (coach, "10.20.0.5")


def test_the_actor_is_named_only_for_the_service_it_was_given_to(client_of_coach, coach):
    logged(client_of_coach, coach)
    later = Contact.objects.create(client=client_of_coach, date=DAY, channel="phone")
    assert LogEntry.objects.get_for_object(later).get().actor is None
