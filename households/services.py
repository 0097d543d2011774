"""State changes of households: add, link, change and remove members, and make a member with
their own re-integration obligation a client. Each runs in one transaction; a refusal is a
ValidationError on the field it is about."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Client, Correspondence
from clients.services import client_register
from core.changelog import records_actor
from core.models import User
from households.models import ADULT_AGE, HouseholdMember, Relation, age_on

PERSON_FIELDS = ("first_name", "name_prefix", "last_name", "birth_date")
EDITABLE = (*PERSON_FIELDS, "relation", "obligation", "notes")


def _check(row: HouseholdMember) -> None:
    """The rules a row must meet, beyond its model's constraints."""
    row.full_clean()
    birth_date = row.person_birth_date()
    today = timezone.localdate()
    if birth_date is not None and birth_date > today:
        raise ValidationError({"birth_date": _("The date of birth lies in the future.")})
    if row.relation == Relation.HOUSEMATE and birth_date is not None:
        if age_on(birth_date, today) < ADULT_AGE:
            raise ValidationError(
                {"relation": _("A housemate under 18 is a child of the household.")}
            )
    if row.relation == Relation.PARTNER and birth_date is not None:
        if age_on(birth_date, today) < ADULT_AGE:
            raise ValidationError({"birth_date": _("A partner is at least 18 years old.")})
    if row.obligation and row.relation == Relation.CHILD and birth_date is not None:
        if age_on(birth_date, today) < ADULT_AGE:
            raise ValidationError(
                {"obligation": _("A child under 18 has no re-integration obligation.")}
            )
    if row.relation == Relation.PARTNER:
        people = [row.client_id, *([row.member_id] if row.member_id else [])]
        taken = (
            HouseholdMember.objects.filter(relation=Relation.PARTNER)
            .filter(Q(client__in=people) | Q(member__in=people))
            .exclude(pk=row.pk)
        )
        if taken.exists():
            raise ValidationError({"relation": _("One of the two already has a partner.")})
    if row.member_id:
        backwards = HouseholdMember.objects.filter(client_id=row.member_id, member_id=row.client_id)
        if backwards.exclude(pk=row.pk).exists():
            raise ValidationError(
                {"member": _("These two are already linked, from the other dossier.")}
            )


@records_actor
@transaction.atomic
def member_add(*, actor: User, client: Client, **fields) -> HouseholdMember:
    """A household member without a dossier of their own."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unknown household fields: {sorted(unknown)}")
    row = HouseholdMember(client=client, created_by=actor, **fields)
    _check(row)
    row.save()
    return row


@records_actor
@transaction.atomic
def member_link(
    *, actor: User, client: Client, member: Client, relation: str, notes: str = ""
) -> HouseholdMember:
    """Link another client as a household member: both dossiers show the link."""
    if member.is_anonymised:
        raise ValidationError({"member": _("This dossier has been anonymised.")})
    row = HouseholdMember(
        client=client, member=member, relation=relation, notes=notes, created_by=actor
    )
    _check(row)
    row.save()
    return row


@records_actor
@transaction.atomic
def member_change(*, actor: User, row: HouseholdMember, **changes) -> HouseholdMember:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unknown household fields: {sorted(unknown)}")
    row = (
        HouseholdMember.objects.select_for_update(of=("self",))
        .select_related("member")
        .get(pk=row.pk)
    )
    if row.member_id:
        changes = {k: v for k, v in changes.items() if k not in PERSON_FIELDS}
    for name, value in changes.items():
        setattr(row, name, value)
    _check(row)
    row.save()
    return row


@records_actor
@transaction.atomic
def member_remove(*, actor: User, row: HouseholdMember) -> None:
    """Take a member out of the household (a linked client keeps their own dossier)."""
    HouseholdMember.objects.filter(pk=row.pk).delete()


@records_actor
@transaction.atomic
def member_become_client(
    *, actor: User, row: HouseholdMember, bsn: str, birth_date, email: str = "", phone: str = ""
) -> Client:
    """The member becomes a client with one action (Participatiewet: a partner or adult
    housemate with their own re-integration obligation): names from the household row; the
    address, municipality, target group, team and coach from the client they live with; the
    row then links the two dossiers."""
    row = (
        HouseholdMember.objects.select_for_update(of=("self",))
        .select_related("client")
        .get(pk=row.pk)
    )
    if row.member_id:
        raise ValidationError(_("This household member is a client already."))
    home = row.client
    if home.is_anonymised:
        raise ValidationError(_("This dossier has been anonymised."))
    if age_on(birth_date, timezone.localdate()) < ADULT_AGE:
        raise ValidationError(
            {"birth_date": _("Only an adult household member can become a client.")}
        )
    member = client_register(
        actor=actor,
        first_name=row.first_name,
        name_prefix=row.name_prefix,
        last_name=row.last_name,
        bsn=bsn,
        birth_date=birth_date,
        email=email,
        phone=phone,
        correspondence=Correspondence.EMAIL if email else Correspondence.POST,
        address=home.address,
        postcode=home.postcode,
        municipality=home.municipality,
        target_group=home.target_group,
        coach=home.coach,
        team=home.team,
    )
    row.member = member
    row.obligation = True
    row.first_name = row.name_prefix = row.last_name = ""
    row.birth_date = None
    row.save()
    return member
