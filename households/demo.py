"""Demo households: partners (one with their own re-integration obligation, one a client of
their own), children and an adult housemate, for some of the demo clients."""

import datetime

from clients.models import Client
from core.demo import DEMO_STEPS, DemoContext, DemoStep
from households.models import HouseholdMember, Relation

CHILDREN = [("Noah", 2014), ("Sara", 2017), ("Adam", 2020)]
PARTNERS = ["Youssef", "Mariam", "Tesfay", "Linda", "Ahmad", "Petra"]


def seed(context: DemoContext) -> int:
    clients = list(Client.objects.not_anonymised().filter(coach__isnull=False).order_by("pk")[:24])
    rows = []
    for index, client in enumerate(clients[:12]):
        rows.append(
            HouseholdMember(
                client=client,
                relation=Relation.PARTNER,
                first_name=PARTNERS[index % len(PARTNERS)],
                last_name=client.last_name,
                birth_date=datetime.date(client.birth_date.year + (index % 5) - 2, 5, 1 + index),
                obligation=index % 3 == 0,
                notes="Werkt parttime in de zorg" if index % 4 == 1 else "",
                created_by=client.coach,
            )
        )
        for first_name, year in CHILDREN[: index % 3]:
            rows.append(
                HouseholdMember(
                    client=client,
                    relation=Relation.CHILD,
                    first_name=first_name,
                    last_name=client.last_name,
                    birth_date=datetime.date(year, 3, 10),
                    created_by=client.coach,
                )
            )
    if len(clients) >= 16:
        # Two clients who live together, each with a dossier: linked both ways.
        rows.append(
            HouseholdMember(
                client=clients[12],
                member=clients[13],
                relation=Relation.HOUSEMATE,
                obligation=True,
                created_by=clients[12].coach,
            )
        )
        rows.append(
            HouseholdMember(
                client=clients[14],
                relation=Relation.HOUSEMATE,
                first_name="Ruud",
                last_name="Bakker",
                birth_date=datetime.date(1961, 8, 2),
                created_by=clients[14].coach,
            )
        )
    HouseholdMember.objects.bulk_create(rows)
    return len(rows)


def _step(context: DemoContext) -> None:
    context.count("household members", seed(context))


DEMO_STEPS.register(74)(DemoStep(seed=_step, holds_data=HouseholdMember.objects.exists))
