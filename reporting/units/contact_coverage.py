"""contact_coverage (kpis.md): of the clients on the caseload on the period's last day, who had
a conversation in the period, per target group and for all clients."""

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import CONVERSATION_CHANNELS, Client, Contact, TargetGroup, on_caseload
from reporting.models import TargetKpi
from reporting.units.base import Kpi, Period, Result, rate, target_for
from reporting.units.rows import COUNT, DECIMAL2, RATE, Breakdown, Row, key_label


@dataclass(frozen=True)
class Coverage:
    population: int
    contacted: int
    rate: float | None
    conversations_per_contacted: float | None

    @classmethod
    def of(cls, population: int, contacted: int, talks: int) -> "Coverage":
        return cls(population, contacted, rate(contacted, population), rate(talks, contacted, 2))


@dataclass(frozen=True)
class ContactCoverage(Result):
    all: Coverage
    groups: dict[str, Coverage]  # every target group, in TargetGroup's order

    def as_json(self) -> dict[str, Any]:
        return {
            "all": dataclasses.asdict(self.all),
            **{group: dataclasses.asdict(figures) for group, figures in self.groups.items()},
        }


def contact_coverage_counts(period: Period, by: str) -> dict[Any, tuple[int, int, int]]:
    """(population, contacted, conversations) per value of a client field, in two queries."""
    population = dict(
        Client.objects.active_on(period.end).values_list(by).annotate(n=Count("pk")).order_by()
    )
    conversations = {
        key: (contacted, talks)
        for key, contacted, talks in Contact.objects.filter(
            on_caseload(period.end, prefix="client__"),
            channel__in=CONVERSATION_CHANNELS,
            date__range=period.as_range(),
        )
        .values_list(f"client__{by}")
        # Counting client_id, not pk: the covering index (date, channel, client, removed_at)
        # then answers without a visit to the table, on PostgreSQL as well.
        .annotate(contacted=Count("client_id", distinct=True), talks=Count("client_id"))
        .order_by()
    }
    return {key: (size, *conversations.get(key, (0, 0))) for key, size in population.items()}


def contact_coverage_by(period: Period, by: str) -> dict[Any, Coverage]:
    """Contact coverage per value of a client field (`target_group`, `municipality__name`)."""
    counts = contact_coverage_counts(period, by)
    return {key: Coverage.of(*figures) for key, figures in counts.items()}


class ContactCoverageKpi(Kpi[ContactCoverage]):
    key = "contact_coverage"
    title = gettext_lazy("Contact coverage")
    definition = gettext_lazy(
        "Of the clients on the caseload on the last day of the period, the share with at least "
        "one conversation (in person, by phone, by video or at home; not e-mail or letters) in "
        "the period, and the number of conversations per client spoken to."
    )

    def compute(self, period: Period) -> ContactCoverage:
        groups = contact_coverage_counts(period, "target_group")
        totals = [sum(counts[i] for counts in groups.values()) for i in range(3)]
        return ContactCoverage(
            all=Coverage.of(*totals),
            groups={
                group: Coverage.of(*groups.get(group, (0, 0, 0))) for group in TargetGroup.values
            },
        )

    def rows(self, now: ContactCoverage, then: ContactCoverage, period: Period) -> list[Row]:
        target = target_for(TargetKpi.CONTACT_COVERAGE, period.end.year)
        return [
            Row(_("Clients on the caseload"), now.all.population, then.all.population),
            Row(_("Spoken to at least once"), now.all.contacted, then.all.contacted),
            # all clients: the total leads, not a target group's row
            Row(_("Contact coverage"), now.all.rate, then.all.rate, RATE, target, headline=True),
            Row(
                _("Conversations per client spoken to"),
                now.all.conversations_per_contacted,
                then.all.conversations_per_contacted,
                DECIMAL2,
            ),
        ] + [
            Row(
                _("Contact coverage: %(group)s") % {"group": TargetGroup(group).label},
                now.groups[group].rate,
                then.groups[group].rate,
                RATE,
            )
            for group in TargetGroup.values
        ]

    def breakdowns(self, period: Period) -> list[Breakdown]:
        columns = [
            (_("On the caseload"), COUNT),
            (_("Spoken to"), COUNT),
            (_("Contact coverage"), RATE),
            (_("Conversations per client spoken to"), DECIMAL2),
        ]
        breakdowns = []
        for label, path, choices in (
            (_("Target group"), "target_group", TargetGroup),
            (_("Municipality"), "municipality__name", None),
        ):
            rows = [
                (
                    key_label(key, choices),
                    [
                        figures.population,
                        figures.contacted,
                        figures.rate,
                        figures.conversations_per_contacted,
                    ],
                )
                for key, figures in contact_coverage_by(period, path).items()
            ]
            breakdowns.append(
                Breakdown(
                    _("Contact coverage, per %(dimension)s") % {"dimension": label.lower()},
                    _("As the total: clients on the caseload on the period's last day."),
                    label,
                    columns,
                    sorted(rows, key=lambda row: row[0]),
                )
            )
        return breakdowns


KPI = ContactCoverageKpi()
