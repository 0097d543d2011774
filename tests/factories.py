import datetime

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from clients.models import Channel, Client, Contact, Intake, Route, TargetGroup, WorkEstimate
from core.models import Municipality, Team, User
from core.validators import bsn_check_digit


def valid_bsn(n: int) -> str:
    """The n-th of a series of distinct BSNs that pass the eleven-test."""
    for base in (10_000_000 + 2 * n, 10_000_000 + 2 * n + 1):
        check = bsn_check_digit(str(base))
        if check is not None:  # a check digit of 10 does not exist; the next base always works
            return f"{base}{check}"
    raise AssertionError("unreachable")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("welkom-bij-de-demo")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Team {n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    name = "Assen"
    in_service_area = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Every municipality exists after migrate: a test's "Assen" is that row, made as the
        # test says (in the service area unless told otherwise).
        name = kwargs.pop("name")
        return model_class.objects.update_or_create(name=name, defaults=kwargs)[0]


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    bsn = factory.Sequence(valid_bsn)
    birth_date = datetime.date(1985, 3, 14)
    postcode = "9401 AB"
    municipality = factory.SubFactory(MunicipalityFactory)
    target_group = TargetGroup.SOCIAL_ASSISTANCE
    registered_on = datetime.date(2025, 1, 6)
    team = factory.SubFactory(TeamFactory)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    date = datetime.date(2026, 2, 3)
    channel = Channel.PHONE
    subject = "Voortgangsgesprek"


class IntakeFactory(DjangoModelFactory):
    class Meta:
        model = Intake

    client = factory.SubFactory(ClientFactory)
    held_on = datetime.date(2025, 2, 1)
    advised_route = Route.EMPLOYEE
    work_estimate = WorkEstimate.WITHIN_TWO_YEARS
