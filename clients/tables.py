import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.lists import DateColumn, Table


class ClientTable(Table):
    name = tables.Column(
        verbose_name=_("Name"),
        accessor="sort_name",
        order_by=("last_name", "first_name"),
        linkify=("clients:detail", {"pk": tables.A("pk")}),
    )
    bsn = tables.Column(verbose_name=_("BSN"), accessor="bsn_masked", orderable=False)
    birth_date = DateColumn(short=True)
    target_group = tables.Column()
    municipality = tables.Column()
    coach = tables.Column()
    team = tables.Column()
    last_contact_on = DateColumn(verbose_name=_("Last contact"), short=True)

    class Meta(Table.Meta):
        model = Client
        fields = ()
        sequence = (
            "name",
            "bsn",
            "birth_date",
            "target_group",
            "municipality",
            "coach",
            "team",
            "last_contact_on",
        )
        empty_text = _("No clients match these filters.")


class UnassignedClientTable(Table):
    """The worklist of clients without team and coach: enough to tell them apart, no dossier."""

    selected = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "input": {"aria-label": lambda record: _("Select %(name)s") % {"name": record}},
            "th__input": {"hidden": True},
        },
        verbose_name=_("Select"),
        orderable=False,
    )
    name = tables.Column(
        verbose_name=_("Name"), accessor="sort_name", order_by=("last_name", "first_name")
    )
    birth_date = DateColumn(short=True)
    municipality = tables.Column()
    target_group = tables.Column()
    registered_on = DateColumn(short=True)
    # Why they are here: no team, or one nobody works in; no coach, or one who left.
    team = tables.Column(default="–")
    coach = tables.Column(default="–")
    source_ref = tables.Column(verbose_name=_("Reference"), default="")

    class Meta(Table.Meta):
        model = Client
        fields = ()
        sequence = (
            "selected",
            "name",
            "birth_date",
            "municipality",
            "target_group",
            "registered_on",
            "team",
            "coach",
            "source_ref",
        )
        empty_text = _("Every client has a team or a work coach.")
