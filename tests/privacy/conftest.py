import datetime

import pytest
from auditlog.context import set_actor
from django.test import RequestFactory

from audit.models import AccessKind
from audit.services import access_record
from clients import services
from clients.models import Channel, Instrument, Route, TargetGroup, WorkEstimate
from clients.services import ScoreInput


@pytest.fixture
def rich_client(coach, team, assen):
    """A client with a change, a contact, an intake with scores, a measurement and a read,
    all written through the services so the audit trail records them as in real use."""
    with set_actor(coach):
        client = services.client_register(
            actor=coach,
            first_name="Fatima",
            last_name="El Amrani",
            bsn="111222333",
            birth_date=datetime.date(1985, 3, 14),
            email="fatima@example.nl",
            phone="0612345678",
            address="Kerkstraat 1",
            postcode="9401 AB",
            municipality=assen,
            target_group=TargetGroup.STATUS_HOLDER,
            registered_on=datetime.date(2025, 1, 6),
            coach=coach,
            team=team,
        )
        services.client_update(actor=coach, client=client, phone="0687654321")
        services.contact_log(
            actor=coach,
            client=client,
            date=datetime.date(2026, 2, 3),
            channel=Channel.PHONE,
            subject="Voortgangsgesprek",
            notes="Wil graag in de zorg werken.",
        )
        services.intake_record(
            actor=coach,
            client=client,
            held_on=datetime.date(2025, 2, 1),
            ladder_step=3,
            advised_route=Route.EMPLOYEE,
            work_estimate=WorkEstimate.WITHIN_TWO_YEARS,
            dream="Koken in een restaurant",
            capacity="Vier uur per dag",
            scores=[
                ScoreInput(Instrument.ZRM, "finances", 2, purpose="Schuldhulp bepalen"),
                ScoreInput(Instrument.LIFE_WHEEL, "work", 7),
            ],
        )
        services.ladder_observe(
            actor=coach, client=client, observed_on=datetime.date(2025, 8, 1), step=4
        )
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7")
    request.user = coach
    access_record(request=request, kind=AccessKind.DOSSIER, obj=client)
    return client
