"""The client's projects on the dossier: each membership with its status, stage, group and since
when; a button to screen the client for a project. Read with the dossier's query of the
client."""

from clients import dossier
from clients.models import Client

MEMBERSHIPS = dossier.JSONRows(
    "project_memberships", related=("project", "stage", "group"), order=("-screened_on", "pk")
)


@dossier.register_reads(22)
def memberships_read(queryset, user):
    if not user.has_perm("projects.view_projectmember"):
        return queryset
    return MEMBERSHIPS.annotate(queryset)


@dossier.register(22)
def projects_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("projects.view_projectmember"):
        return None
    memberships = MEMBERSHIPS.of(client)
    return dossier.Panel(
        "projects/_dossier.html",
        {"memberships": memberships, "writable": not client.is_anonymised},
    )
