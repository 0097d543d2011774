"""The placements part of the client dossier: placements, wage-value assessments (with a chart of
how the wage value developed) and provisions. Registered in PlacementsConfig.ready(); one query
however many rows (assessments with their tasks), the placements and provisions coming with the
dossier's query of the client.

`placements_for_employer(employer, user)` gives the same rows for the employer dossier.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from clients import dossier
from clients.models import Client
from core.charts import line_chart
from employers import dossier as employer_dossier
from employers.forms import SroiObligationForm
from placements import aftercare, sroi
from placements.models import (
    WAGE_COST_SUBSIDY_KINDS,
    Placement,
    Provision,
    WageValueAssessment,
)


def wage_value_chart(points):
    return line_chart(
        {str(_("Wage value (%)")): points},
        # xgettext:no-python-format
        title=_("Development of the wage value (% of a regular employee's output)"),
        y_min=0,
        y_max=100,
        y_label="%",
        y_step=20,
    )


# Placements and provisions come with the dossier's query of the client (the assessments,
# with their tasks, in a query of their own).
PLACEMENTS = dossier.JSONRows("placements", related=("employer",), order=("-start_date", "-pk"))
PROVISIONS = dossier.JSONRows(
    "provisions", related=("placement", "placement__employer"), order=("-requested_on", "-pk")
)


@dossier.register_reads(30)
def placements_read(queryset, user):
    return PROVISIONS.annotate(PLACEMENTS.annotate(queryset))


def _placements(client):
    return PLACEMENTS.of(client)


TASKS = dossier.JSONPrefetch("tasks", order=("position", "pk"))  # with the assessments' query


def _assessments(client):
    assessments = dossier.rows_once(_assessments_query, client)
    TASKS.attach(assessments)
    return assessments


def _assessments_query(client_pk):
    return (
        TASKS.annotate(WageValueAssessment.objects.filter(client_id=client_pk))
        .select_related("placement__employer")
        .order_by("-assessed_on", "-pk")
    )


def _provisions(client):
    return PROVISIONS.of(client)


_LOADERS = {"placements": _placements, "assessments": _assessments, "provisions": _provisions}


def of_client(client: Client, what: str) -> list:
    """The client's placements, assessments (with their tasks) or provisions, newest first;
    once per client object, so the panel and the timeline share them."""
    return dossier.loaded(client, what, lambda: _LOADERS[what](client))


@dossier.register(30)
def placements_panel(client: Client, user) -> dossier.Panel | None:
    if not user.has_perm("placements.view_placement"):
        return None
    placements, assessments, provisions = (
        of_client(client, "placements"),
        of_client(client, "assessments"),
        of_client(client, "provisions"),
    )
    points = sorted((a.assessed_on, float(a.wage_value_percent)) for a in assessments)
    return dossier.Panel(
        "placements/_dossier.html",
        {
            "placements": placements,
            "assessments": assessments,
            "provisions": provisions,
            "subsidy_kinds": WAGE_COST_SUBSIDY_KINDS,
            "chart": wage_value_chart(points) if points else None,
        },
    )


def placements_for_employer(employer, user) -> list[Placement]:
    """The placements at this employer the user may see, newest first, each with its wage-value
    assessments and provisions prefetched: three queries however many rows. Render with
    `{% include "placements/_employer_placements.html" with placements=... %}`."""
    return list(
        Placement.objects.for_user(user)
        .filter(employer=employer)
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "wage_value_assessments",
                queryset=WageValueAssessment.objects.order_by("-assessed_on", "-pk"),
            ),
            Prefetch("provisions", queryset=Provision.objects.order_by("-requested_on", "-pk")),
        )
        .order_by("-start_date", "-pk")
    )


@employer_dossier.register(35)
def employer_placements_panel(employer, user) -> dossier.Panel | None:
    """The employer dossier's placements, with their wage values and provisions."""
    if not user.has_perm("placements.view_placement"):
        return None
    return dossier.Panel(
        "placements/_employer_panel.html",
        {"placements": placements_for_employer(employer, user)},
    )


@dossier.register_start(30)
def aftercare_part(user, caseload) -> dossier.Panel | None:
    """Temporary contracts ending, retention checks and provisions to re-assess."""
    if not user.has_perm("placements.view_placement"):
        return None
    due = aftercare.aftercare_for(caseload)
    return dossier.Panel("placements/_aftercare.html", {"aftercare": due})


@employer_dossier.register(30)
def social_return(employer, user):
    """The employer's Social Return obligations and how far the placements brought each."""
    obligations = sroi.progress_list(employer.sroi_obligations.all())
    return dossier.Panel(
        "employers/_sroi.html",
        {
            "obligations": obligations,
            "sroi_form": SroiObligationForm()
            if user.has_perm("employers.add_sroiobligation")
            else None,
        },
    )
