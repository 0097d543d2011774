import datetime

import pytest

from core.demo import demo_service_area
from core.reference import load_reference_data
from employers import reference, services
from employers.models import Sector, Skill
from tests.factories import ClientFactory


@pytest.fixture
def region(db):
    """The municipalities with their coordinates, the sectors, skills and Social Return rule."""
    load_reference_data()
    demo_service_area()
    reference.load()


@pytest.fixture
def am_client(client, account_manager):
    client.force_login(account_manager)
    return client


@pytest.fixture
def employer(region, account_manager):
    from core.models import Municipality

    return services.employer_register(
        actor=account_manager,
        name="Zorggroep Drenthe",
        kvk_number="12345678",
        municipality=Municipality.objects.get(name="Assen"),
        account_manager=account_manager,
    )


@pytest.fixture
def vacancy(employer, account_manager):
    from core.models import Municipality

    return services.vacancy_register(
        actor=account_manager,
        employer=employer,
        title="Medewerker facilitair",
        sector=Sector.objects.get(code="care"),
        hours_per_week=32,
        municipality=Municipality.objects.get(name="Assen"),
        register_rule="suitable",
        skills=Skill.objects.filter(code__in=["customer_contact", "cleaning_methods"]),
    )


@pytest.fixture
def make_candidate(region, coach, team):
    """A client of the coach with a candidate profile open for matching."""
    from core.models import Municipality

    def make(
        *,
        municipality="Assen",
        sectors=("care",),
        skills=("customer_contact",),
        hours=32,
        available_from=datetime.date(2026, 1, 1),
        register=True,
        **client_fields,
    ):
        client = ClientFactory(
            coach=coach,
            team=team,
            municipality=Municipality.objects.get(name=municipality),
            target_group_register=register,
            **client_fields,
        )
        return services.candidate_profile_save(
            actor=coach,
            client=client,
            sectors=Sector.objects.filter(code__in=sectors),
            skills=Skill.objects.filter(code__in=skills),
            hours_per_week=hours,
            available_from=available_from,
            language_level="b1",
            driving_licence=True,
            open_for_matching=True,
        )

    return make
