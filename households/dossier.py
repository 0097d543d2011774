"""The household on the client's dossier: each member from this client's side, with a link to
the member's own dossier where the user may open it. The rows come with the dossier's query of
the client; which members' dossiers the user may open, in one query when any has one."""

from dataclasses import dataclass

from clients import dossier
from clients.models import Client
from households.models import REVERSE_LABELS, HouseholdMember, Relation

# The rows recorded on this client's dossier and those recorded on a member's that name this
# client, each with the person on its other side (as HouseholdMember.objects.of_client reads).
RECORDED_HERE = dossier.JSONRows("household_members", related=("member",))
RECORDED_THERE = dossier.JSONRows("household_of", related=("client",))


@dossier.register_reads(12)
def household_read(queryset, user):
    return RECORDED_THERE.annotate(RECORDED_HERE.annotate(queryset))


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
    rows = sorted(
        RECORDED_HERE.of(client) + RECORDED_THERE.of(client), key=lambda r: (r.relation, r.pk)
    )
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
