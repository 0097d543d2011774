"""State changes of the school leavers: schools, leavers, the exit conversation, and a leaver
becoming a client with one action (issue 18)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, TargetGroup
from clients.services import client_register
from core.changelog import records_actor
from core.models import Municipality, Team, User
from schools.models import Advice, ExitConversation, Leaver, School

SCHOOL_FIELDS = (
    "name",
    "kind",
    "municipality",
    "address",
    "contact_name",
    "contact_email",
    "contact_phone",
    "active",
)
LEAVER_FIELDS = (
    "school",
    "school_year",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "bsn",
    "email",
    "phone",
    "address",
    "postcode",
    "municipality",
    "expected_leaving_date",
    "notes",
)
CONVERSATION_FIELDS = (
    "held_on",
    "school_contact",
    "job_coach",
    "account_manager",
    "advice",
    "route",
    "explanation",
)


def _set(obj, fields: dict, allowed: tuple) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


@records_actor
@transaction.atomic
def school_save(*, actor: User | None, school: School | None = None, **fields) -> School:
    """Register a school (`school` None) or change one; the row is valid or not written."""
    school = school or School()
    _set(school, fields, SCHOOL_FIELDS)
    school.full_clean()
    school.save()
    return school


@records_actor
@transaction.atomic
def leaver_save(*, actor: User | None, leaver: Leaver | None = None, **fields) -> Leaver:
    """Register a leaving pupil (`leaver` None) or change their data."""
    if leaver is None:
        leaver = Leaver(created_by=actor)
    else:
        leaver.check_writable()
    _set(leaver, fields, LEAVER_FIELDS)
    leaver.full_clean()
    leaver.save()
    return leaver


@records_actor
@transaction.atomic
def conversation_record(*, actor: User | None, leaver: Leaver, **fields) -> ExitConversation:
    """Record the exit conversation and its advice, or correct it while the pupil is not a
    client yet (after that, the advice is part of the client's dossier)."""
    leaver = Leaver.objects.select_for_update().get(pk=leaver.pk)
    leaver.check_writable()
    if leaver.client_id is not None:
        raise ValidationError(
            _("This pupil is a client already; the advice can no longer be changed here."),
            code="client",
        )
    conversation = ExitConversation.objects.filter(leaver=leaver).first()
    conversation = conversation or ExitConversation(leaver=leaver)
    _set(conversation, fields, CONVERSATION_FIELDS)
    if conversation.advice != Advice.ROUTE:
        conversation.route = ""
    elif not conversation.route:
        raise ValidationError({"route": _("Choose the route the pupil is advised.")})
    conversation.recorded_by = actor
    conversation.full_clean()
    conversation.save()
    return conversation


def client_refusal(leaver: Leaver) -> str | None:
    """Why this leaver cannot become a client now, in words for the user; None when they can."""
    if leaver.is_anonymised:
        return str(_("This school leaver is anonymised and can no longer be changed."))
    if leaver.client_id is not None:
        return str(_("This pupil is a client already."))
    conversation = getattr(leaver, "conversation", None)
    if conversation is None or not conversation.advice:
        return str(
            _(
                "Record the exit conversation with an advice first; then the pupil can "
                "become a client."
            )
        )
    return None


@records_actor
@transaction.atomic
def leaver_become_client(
    *,
    actor: User,
    leaver: Leaver,
    bsn: str,
    municipality: Municipality,
    team: Team,
    coach: User | None = None,
    registered_on: datetime.date | None = None,
) -> Client:
    """Register the leaver as a client with everything known about them, target group school
    leaver and in the target-group register when that is the advice; link the two.

    `bsn` and `municipality` are what the client needs and the pupil may lack (the confirm form
    asks for them, filled in with what is known); they are kept on the leaver too. Refused
    without an exit conversation with an advice, for a pupil who is a client already, and (by
    client_register) for a BSN that is registered already."""
    leaver = (
        Leaver.objects.select_for_update(of=("self",))
        .select_related("conversation")
        .get(pk=leaver.pk)
    )
    refusal = client_refusal(leaver)
    if refusal:
        raise ValidationError(refusal, code="refused")
    advice = leaver.conversation.advice
    client = client_register(
        actor=actor,
        first_name=leaver.first_name,
        name_prefix=leaver.name_prefix,
        last_name=leaver.last_name,
        bsn=bsn,
        birth_date=leaver.birth_date,
        email=leaver.email,
        phone=leaver.phone,
        address=leaver.address,
        postcode=leaver.postcode,
        municipality=municipality,
        target_group=TargetGroup.SCHOOL_LEAVER,
        target_group_register=advice == Advice.TARGET_GROUP_REGISTER,
        registered_on=registered_on or timezone.localdate(),
        coach=coach,
        team=team,
    )
    leaver.client = client
    leaver.bsn = bsn
    leaver.municipality = municipality
    leaver.save(update_fields=["client", "bsn", "municipality"])
    return client


# How long a leaver who never became a client is kept: the diagnosis team follows a pupil for
# the year they leave and the next (README, "School leavers").
KEEP_YEARS = 2


@transaction.atomic
def leavers_cleanup(*, today: datetime.date | None = None, keep_years: int = KEEP_YEARS) -> int:
    """Delete the leavers who never became a client and left school before the last
    `keep_years` calendar years (2: this year's and last year's stay), with their exit
    conversations; returns how many leavers."""
    today = today or timezone.localdate()
    stale = Leaver.objects.filter(client__isnull=True, school_year__lt=today.year - keep_years + 1)
    return stale.delete()[1].get(Leaver._meta.label, 0)
