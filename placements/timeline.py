"""Timeline entries of placements (start and end), wage-value assessments and provisions
(request and decision). Registered with clients.timeline when PlacementsConfig.ready() imports
this module. They come from the rows the dossier's placements panel loads
(placements.dossier.of_client), so the dossier asks for them once."""

from collections.abc import Iterable

from clients.models import Client
from clients.timeline import Entry, register
from placements.dossier import of_client
from placements.models import Decision


@register
def placements(client: Client) -> Iterable[Entry]:
    for placement in of_client(client, "placements"):
        yield Entry(
            placement.start_date,
            placement.created_at,
            "placement",
            "placements/timeline/_placement.html",
            placement,
        )
        if placement.end_date:
            yield Entry(
                placement.end_date,
                placement.updated_at,
                "placement-end",
                "placements/timeline/_placement_end.html",
                placement,
            )


@register
def assessments(client: Client) -> Iterable[Entry]:
    for assessment in of_client(client, "assessments"):
        yield Entry(
            assessment.assessed_on,
            assessment.created_at,
            "assessment",
            "placements/timeline/_assessment.html",
            assessment,
        )


@register
def provisions(client: Client) -> Iterable[Entry]:
    for provision in of_client(client, "provisions"):
        if provision.requested_on:
            yield Entry(
                provision.requested_on,
                provision.created_at,
                "provision",
                "placements/timeline/_provision.html",
                provision,
            )
        if provision.decision != Decision.PENDING and provision.decided_on:
            yield Entry(
                provision.decided_on,
                provision.updated_at,
                "provision-decision",
                "placements/timeline/_provision_decision.html",
                provision,
            )
