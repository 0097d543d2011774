"""Making a version of a trajectory's plan and recording the client's signature, from the
dossier's plan panel. The PDF is a document in the dossier: it is read through
documents:download, which checks the scope and logs the read."""

from django.contrib.auth.decorators import permission_required
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import get_or_deny
from clients.access import AnonymisedClient, refusing_anonymised
from core.editing import form_page
from plans import services
from plans.forms import PlanSignForm, PlanVersionForm
from plans.models import PlanVersion
from trajectories.models import Trajectory


def _dossier_url(client) -> str:
    return reverse("clients:detail", args=[client.pk]) + "#plan"


def _writable(obj, client):
    if client.is_anonymised:
        raise AnonymisedClient(client)
    return obj


@permission_required("plans.add_planversion", raise_exception=True)
@refusing_anonymised
def plan_create(request, trajectory):
    """A new version of the plan: what it will print, the agreements (the last version's to
    start from) and the review date."""
    trajectory = get_or_deny(
        request,
        Trajectory.objects.for_user(request.user).select_related("client", "route"),
        trajectory,
    )
    client = _writable(trajectory, trajectory.client).client
    previous = trajectory.plan_versions.order_by("-number").first()
    form = PlanVersionForm(
        request.POST or None,
        initial={"agreements": previous.agreements} if previous else None,
    )
    return form_page(
        request,
        form=form,
        save=lambda f: services.plan_version_make(
            actor=request.user,
            trajectory=trajectory,
            agreements=f.cleaned_data["agreements"],
            review_on=f.cleaned_data["review_on"],
        ),
        template="plans/plan_form.html",
        context={
            "client": client,
            "trajectory": trajectory,
            "previous": previous,
            "goals": trajectory.goals.order_by("target_date", "pk"),
            "activities": trajectory.activities.select_related("kind").order_by("start_date", "pk"),
        },
        success_url=lambda _version: _dossier_url(client),
        saved=lambda version: (
            _("Version %(number)s of the plan is made; its PDF is in the dossier.")
            % {"number": version.number}
        ),
        fallback_url=_dossier_url(client),
    )


@permission_required("plans.change_planversion", raise_exception=True)
@refusing_anonymised
def plan_sign(request, plan_version):
    """Record the day the client signed a version of the plan."""
    version = get_or_deny(
        request,
        PlanVersion.objects.for_user(request.user).select_related(
            "trajectory__client", "trajectory__route", "document"
        ),
        plan_version,
    )
    client = _writable(version, version.trajectory.client).trajectory.client
    return form_page(
        request,
        form=PlanSignForm(request.POST or None),
        save=lambda f: services.plan_version_sign(
            actor=request.user, version=version, signed_on=f.cleaned_data["signed_on"]
        ),
        template="plans/sign_form.html",
        context={"client": client, "version": version},
        success_url=lambda _version: _dossier_url(client),
        saved=lambda signed: (
            _("The signature of version %(number)s is recorded; this version is now in force.")
            % {"number": signed.number}
        ),
        fallback_url=_dossier_url(client),
    )
