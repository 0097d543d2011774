"""The school leaver's part of the client dossier: the school, the year, and the advice of the
exit conversation the client came with (issue 18). Registered in SchoolsConfig.ready(); read
with the dossier's query of the client (one-to-one), and nothing is shown for a client who was
no school leaver."""

from clients import dossier
from clients.models import Client
from schools.models import Leaver


@dossier.register_reads(6)
def school_leaver(queryset, user):
    return queryset.select_related(
        "school_leaver__school",
        "school_leaver__conversation__job_coach",
        "school_leaver__conversation__account_manager",
    )


@dossier.register(6)
def school_leaver_panel(client: Client, user) -> dossier.Panel | None:
    try:
        leaver = client.school_leaver
    except Leaver.DoesNotExist:
        leaver = None
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
