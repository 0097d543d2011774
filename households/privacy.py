"""The household in a right-of-access export, and what anonymising a client does to it: the
members without a dossier of their own go with the client (their names are only here); a link
to another client's dossier is taken away, that dossier stays. Imported by HouseholdsConfig."""

from django.utils.translation import gettext_lazy as _

from audit import history
from clients.models import Client
from core import gdpr
from core.gdpr import Section, choice_label, field_label, person
from households.models import HouseholdMember, Relation

history.register_owned_records(HouseholdMember, "client")

FIELDS = [
    "relation",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "obligation",
    "notes",
    "created_by",
    "created_at",
]


@gdpr.register(15)
def household(client: Client) -> Section:
    rows = HouseholdMember.objects.of_client(client).select_related("created_by")
    records = []
    for row in rows:
        backwards = row.client_id != client.pk
        other = row.client if backwards else row.member
        records.append(
            {
                **{name: getattr(row, name) for name in FIELDS},
                "relation": choice_label(row.relation, Relation.choices),
                "first_name": other.first_name if other else row.first_name,
                "name_prefix": other.name_prefix if other else row.name_prefix,
                "last_name": other.last_name if other else row.last_name,
                "birth_date": other.birth_date if other else row.birth_date,
                "client_number": other.pk if other else None,
                "recorded_on": str(_("the other dossier") if backwards else _("this dossier")),
                "created_by": person(row.created_by),
            }
        )
    return Section(
        key="household",
        title=_("Household"),
        fields=[(name, field_label(HouseholdMember, name)) for name in FIELDS]
        + [("client_number", _("client number")), ("recorded_on", _("recorded on"))],
        records=records,
    )


@gdpr.register_anonymiser(20)
def anonymise(client: Client) -> None:
    HouseholdMember.objects.filter(client=client).delete()
    HouseholdMember.objects.filter(member=client).delete()
