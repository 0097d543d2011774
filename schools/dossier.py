"""The school leaver's part of the client dossier: the school, the year, and the advice of the
exit conversation the client came with (issue 18). Registered in SchoolsConfig.ready(); one
query, and nothing is shown for a client who was no school leaver."""

from clients import dossier
from clients.models import Client
from schools.models import Leaver


@dossier.register(6)
def school_leaver_panel(client: Client, user) -> dossier.Panel | None:
    leaver = (
        Leaver.objects.filter(client=client)
        .select_related("school", "conversation__job_coach", "conversation__account_manager")
        .first()
    )
    if leaver is None:
        return None
    return dossier.Panel(
        "schools/_dossier.html",
        {
            "leaver": leaver,
            "conversation": getattr(leaver, "conversation", None),
            "may_open": user.has_perm("schools.view_leaver"),
        },
    )
