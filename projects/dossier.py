"""The client's projects on the dossier: each membership with its status, stage, group and since
when; a button to screen the client for a project. One query."""

from clients import dossier
from clients.models import Client
from projects.models import ProjectMember


@dossier.register(22)
def projects_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("projects.view_projectmember"):
        return None
    memberships = list(
        ProjectMember.objects.filter(client=client)
        .select_related("project", "stage", "group")
        .order_by("-screened_on", "pk")
    )
    return dossier.Panel(
        "projects/_dossier.html",
        {"memberships": memberships, "writable": not client.is_anonymised},
    )
