"""The household on the client's dossier: each member from this client's side, with a link to
the member's own dossier where the user may open it. Two queries, however large the household."""

from dataclasses import dataclass

from clients import dossier
from clients.models import Client
from households.models import REVERSE_LABELS, HouseholdMember, Relation


@dataclass(frozen=True)
class Member:
    row: HouseholdMember
    relation: str
    name: str
    birth_date: object
    dossier_id: int | None  # the member's own dossier, when there is one
    may_open: bool  # and the user may open it
    from_other_side: bool  # recorded on the member's dossier, read backwards here


def members_of(client: Client, user) -> list[Member]:
    rows = list(HouseholdMember.objects.of_client(client))
    others = {r.member_id if r.client_id == client.pk else r.client_id for r in rows} - {None}
    visible = set(
        Client.objects.for_user(user).filter(pk__in=others).values_list("pk", flat=True)
        if others
        else ()
    )
    members = []
    for row in rows:
        backwards = row.client_id != client.pk
        person = row.client if backwards else row.member
        members.append(
            Member(
                row=row,
                relation=str(
                    REVERSE_LABELS[row.relation] if backwards else Relation(row.relation).label
                ),
                name=person.full_name if person else row.name,
                birth_date=person.birth_date if person else row.birth_date,
                dossier_id=person.pk if person else None,
                may_open=person is not None and person.pk in visible,
                from_other_side=backwards,
            )
        )
    return members


@dossier.register(12)
def household_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("households.view_householdmember"):
        return None
    return dossier.Panel(
        "households/_dossier.html",
        {"household": members_of(client, user), "writable": not client.is_anonymised},
    )
