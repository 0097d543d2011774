"""A school leaver's data in the client's right-of-access export, and their anonymisation with
the client (`anonymise`, through core.gdpr.register_anonymiser). Imported by
SchoolsConfig.ready(); the export section reads one query."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client, Route
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person
from schools.models import Advice, ExitConversation, Leaver, SchoolKind

history.register_owned_records(Leaver, "client")
history.register_owned_records(ExitConversation, "leaver__client")

LEAVER_EXPORT = [
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
    "created_by",
    "created_at",
]
CONVERSATION_EXPORT = [
    "held_on",
    "school_contact",
    "job_coach",
    "account_manager",
    "advice",
    "route",
    "explanation",
    "recorded_by",
]


@gdpr.register(120)
def school_leaver(client: Client) -> Section:
    leavers = Leaver.objects.filter(client=client).select_related(
        "school",
        "municipality",
        "created_by",
        "conversation__job_coach",
        "conversation__account_manager",
        "conversation__recorded_by",
    )
    records = []
    for leaver in leavers:
        record = {name: getattr(leaver, name) for name in LEAVER_EXPORT}
        record["school"] = (
            f"{leaver.school} ({choice_label(leaver.school.kind, SchoolKind.choices)})"
        )
        record["municipality"] = str(leaver.municipality or "")
        record["created_by"] = person(leaver.created_by)
        conversation = getattr(leaver, "conversation", None)
        for name in CONVERSATION_EXPORT:
            record[name] = getattr(conversation, name) if conversation else ""
        if conversation:
            record["job_coach"] = person(conversation.job_coach)
            record["account_manager"] = person(conversation.account_manager)
            record["recorded_by"] = person(conversation.recorded_by)
            record["advice"] = choice_label(conversation.advice, Advice.choices)
            record["route"] = choice_label(conversation.route, Route.choices)
        records.append(record)
    return Section(
        key="school_leaver",
        title=_("School leaver"),
        fields=[(name, field_label(Leaver, name)) for name in LEAVER_EXPORT]
        + [(name, field_label(ExitConversation, name)) for name in CONVERSATION_EXPORT],
        records=records,
        intro=_("The school the client left and the advice of the exit conversation."),
    )


# What an anonymised leaver is called, as the anonymised client (privacy.services).
ANONYMISED_FIRST_NAME = "Geanonimiseerde"
ANONYMISED_LAST_NAME = "schoolverlater"


@gdpr.register_anonymiser(120)
def anonymise(client: Client) -> int:
    """Remove what identifies the client's leaver record and keep what the yearly overview
    counts (school, year, advice, the link to the client); returns how many leavers.

    Registered with core.gdpr.register_anonymiser: privacy.services.client_anonymise calls it
    in its transaction, with the audit log off."""
    count = 0
    for leaver in Leaver.objects.filter(client=client, anonymised_at__isnull=True):
        Leaver.objects.filter(pk=leaver.pk).update(
            first_name=ANONYMISED_FIRST_NAME,
            name_prefix="",
            last_name=ANONYMISED_LAST_NAME,
            birth_date=datetime.date(leaver.birth_date.year, 7, 1),
            bsn="",
            email="",
            phone="",
            address="",
            postcode="",
            notes="",
            anonymised_at=timezone.now(),
        )
        count += 1
    ExitConversation.objects.filter(leaver__client=client).update(school_contact="", explanation="")
    return count
