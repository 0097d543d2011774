"""Placements, wage-value assessments, provisions, the subsidy calculator and aftercare.

Every object is loaded through the user's scope (out of scope: a 404, logged as a denied read);
every write goes through placements.services; a stale edit answers 409 with the user's input
kept, as the client form does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_record, get_or_deny
from clients.access import AnonymisedClient, refusing_anonymised, writable_client
from clients.models import Client
from core.editing import form_page, resent
from core.forms import apply_validation_error, with_version
from core.lists import ListPage
from employers.models import SroiObligation
from placements import services, sroi, subsidy
from placements.filters import PlacementFilter
from placements.forms import (
    AssessmentCreateForm,
    AssessmentForm,
    CalculatorForm,
    FollowUpDoneForm,
    PlacementCreateForm,
    PlacementForm,
    ProvisionCreateForm,
    ProvisionForm,
    task_formset,
)
from placements.models import (
    WAGE_COST_SUBSIDY_KINDS,
    AssessmentTask,
    Placement,
    Provision,
    SubsidyCalculation,
    WageValueAssessment,
    placeable_clients,
    placeable_employers,
)
from placements.tables import PlacementTable


def _scoped_placement(request, pk, queryset=None) -> Placement:
    queryset = queryset if queryset is not None else Placement.objects.all()
    return get_or_deny(
        request, queryset.for_user(request.user).select_related("client", "employer"), pk
    )


def _of_clients_in_scope(request, model):
    return model.objects.filter(client__in=Client.objects.for_user(request.user))


def _scoped_of_client(request, model, pk):
    """An assessment or provision of a client in the user's scope; writable (not anonymised)."""
    obj = get_or_deny(
        request,
        _of_clients_in_scope(request, model).select_related("client", "placement__employer"),
        pk,
    )
    if obj.client.is_anonymised:
        raise AnonymisedClient(obj.client)
    return obj


def _dossier_url(client: Client) -> str:
    return reverse("clients:detail", args=[client.pk]) + "#placements"


def _placement_url(placement: Placement) -> str:
    return reverse("placements:detail", args=[placement.pk])


def _back_url(request, client: Client, placement: Placement | None = None) -> str:
    """Casework goes back to the dossier; an account manager to the placement."""
    if request.user.has_perm("clients.view_client"):
        return _dossier_url(client)
    return _placement_url(placement) if placement else reverse("placements:list")


# Placements ------------------------------------------------------------------------------


class PlacementListView(ListPage):
    """Placements in the user's scope, the latest start first; running ones until another
    status is chosen."""

    permission_required = "placements.view_placement"
    filterset_class = PlacementFilter
    table_class = PlacementTable
    template_name = "placements/placement_list.html"
    per_page_setting = "CASELOAD_PAGE_SIZE"
    filter_defaults = {"status": PlacementFilter.RUNNING}
    nav = "placements"

    def get_queryset(self):
        return (
            Placement.objects.for_user(self.request.user).for_list().order_by("-start_date", "-pk")
        )


placement_list = PlacementListView.as_view()


@permission_required("placements.view_placement", raise_exception=True)
def placement_detail(request, placement):
    """A placement with its wage-value assessments, provisions and subsidy calculations."""
    placement = _scoped_placement(request, placement)
    assessments = list(
        WageValueAssessment.objects.filter(placement=placement).prefetch_related(
            Prefetch("tasks", queryset=AssessmentTask.objects.order_by("position", "pk"))
        )
    )
    provisions = list(
        Provision.objects.filter(placement=placement).prefetch_related(
            Prefetch(
                "calculations",
                queryset=SubsidyCalculation.objects.select_related("calculated_by"),
            )
        )
    )
    access_record(request=request, kind=AccessKind.DOSSIER, obj=placement)
    return render(
        request,
        "placements/placement_detail.html",
        {
            "placement": placement,
            "client": placement.client,
            "assessments": assessments,
            "provisions": provisions,
            "subsidy_kinds": WAGE_COST_SUBSIDY_KINDS,
            # Notes of assessments and provisions may hold health details: casework only.
            "show_notes": request.user.has_perm("clients.view_client"),
            "nav": "placements",
        },
    )


@permission_required("placements.add_placement", raise_exception=True)
@refusing_anonymised
def placement_create(request):
    """Place a client: from the dossier (?client=), from a hired match (?match=) or, for an
    account manager, a candidate."""
    if repeat := resent(request):  # before the match, which is placed by then
        return repeat
    clients = placeable_clients(request.user)
    client = None
    if request.GET.get("client", "").isdigit():
        client = writable_client(request, int(request.GET["client"]))
    match = None
    initial = {"start_date": timezone.localdate()}
    if request.GET.get("match", "").isdigit():
        match = services.hired_match_to_place(request.user, int(request.GET["match"]))
        vacancy = match.vacancy
        initial |= {
            "employer": vacancy.employer_id,
            "job_title": vacancy.title,
            "hours_per_week": vacancy.hours_per_week,
            "candidate": match.client_id,
        }
        clients = placeable_clients(request.user, hired=match.client_id)
    form = PlacementCreateForm(
        request.POST or None,
        initial=initial,
        clients=None if client else clients,
        employers=placeable_employers(request.user),
    )

    def save(form):
        placement = services.placement_create(
            actor=request.user,
            client=client or form.cleaned_data.pop("candidate"),
            **{k: v for k, v in form.cleaned_data.items() if k != "candidate"},
        )
        if match is not None:
            services.match_placed(match=match, placement=placement)
        return placement

    return form_page(
        request,
        form=form,
        save=save,
        template="placements/placement_form.html",
        context={"client": client, "title": _("Place a client with an employer")},
        success_url=_placement_url,
        saved=_("The placement is saved."),
    )


@permission_required("placements.change_placement", raise_exception=True)
@refusing_anonymised
def placement_update(request, placement):
    placement = _scoped_placement(request, placement)
    if placement.client.is_anonymised:
        raise AnonymisedClient(placement.client)
    employers = placeable_employers(request.user, current=placement.employer_id)
    form = PlacementForm(
        request.POST or None,
        instance=Placement.objects.get(pk=placement.pk),
        employers=employers,
    )
    return form_page(
        request,
        form=form,
        save=lambda f: services.placement_update(
            actor=request.user, placement=placement, **f.cleaned_data
        ),
        template="placements/placement_form.html",
        context={
            "client": placement.client,
            "placement": placement,
            "title": _("Change the placement"),
        },
        success_url=_placement_url,
        saved=_("The placement is saved."),
        field_names=services.PLACEMENT_FIELDS,
        rebound=lambda current: PlacementForm(
            with_version(request.POST, "version", current.version),
            instance=current,
            employers=employers,
        ),
    )


# Wage-value assessments ------------------------------------------------------------------


def _assessment_page(request, *, client, form, tasks, save, title, assessment=None):
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        # "Compute": show the percentage from the task table without saving anything.
        if tasks.is_valid() and tasks.tasks():
            preview = services.assessment_preview(tasks.tasks())
        form.is_valid()
        return render(
            request,
            "placements/assessment_form.html",
            {
                "client": client,
                "form": form,
                "tasks": tasks,
                "title": title,
                "preview": preview,
                "assessment": assessment,
            },
        )

    def rebind(current):
        rebound = AssessmentForm(
            with_version(request.POST, "version", current.version),
            instance=current,
            client=client,
        )
        return rebound

    return form_page(
        request,
        form=form,
        save=lambda f: save(f, tasks.tasks()),
        template="placements/assessment_form.html",
        context={"client": client, "tasks": tasks, "title": title, "assessment": assessment},
        success_url=lambda a: _back_url(request, client, a.placement),
        saved=_("The wage-value assessment is saved."),
        field_names=services.ASSESSMENT_FIELDS,
        rebound=rebind,
        valid=tasks.is_valid,
    )


@permission_required("placements.add_wagevalueassessment", raise_exception=True)
@refusing_anonymised
def assessment_create(request, pk):
    client = writable_client(request, pk)
    placement = client.placements.order_by("-start_date", "-pk").first()
    form = AssessmentCreateForm(
        request.POST or None,
        client=client,
        initial={
            "assessed_on": timezone.localdate(),
            "placement": placement.pk if placement else None,
            "method": _("National wage-value method"),
        },
    )
    tasks = task_formset(request.POST or None)
    return _assessment_page(
        request,
        client=client,
        form=form,
        tasks=tasks,
        save=lambda f, rows: services.assessment_record(
            actor=request.user, client=client, tasks=rows, **f.cleaned_data
        ),
        title=_("Record a wage-value assessment"),
    )


@permission_required("placements.change_wagevalueassessment", raise_exception=True)
@refusing_anonymised
def assessment_update(request, assessment):
    assessment = _scoped_of_client(request, WageValueAssessment, assessment)
    client = assessment.client
    form = AssessmentForm(
        request.POST or None,
        instance=WageValueAssessment.objects.get(pk=assessment.pk),
        client=client,
    )
    tasks = task_formset(request.POST or None, assessment=assessment)
    return _assessment_page(
        request,
        client=client,
        form=form,
        tasks=tasks,
        save=lambda f, rows: services.assessment_update(
            actor=request.user, assessment=assessment, tasks=rows, **f.cleaned_data
        ),
        title=_("Change the wage-value assessment"),
        assessment=assessment,
    )


# Provisions ------------------------------------------------------------------------------


@permission_required("placements.add_provision", raise_exception=True)
@refusing_anonymised
def provision_create(request, pk):
    client = writable_client(request, pk)
    placement = client.placements.order_by("-start_date", "-pk").first()
    form = ProvisionCreateForm(
        request.POST or None,
        client=client,
        initial={
            "requested_on": timezone.localdate(),
            "placement": placement.pk if placement else None,
            "kind": request.GET.get("kind", ""),
        },
    )
    return form_page(
        request,
        form=form,
        save=lambda f: services.provision_request(
            actor=request.user, client=client, **f.cleaned_data
        ),
        template="placements/provision_form.html",
        context={"client": client, "title": _("Request a provision")},
        success_url=lambda p: _back_url(request, client, p.placement),
        saved=_("The provision is saved."),
    )


@permission_required("placements.change_provision", raise_exception=True)
@refusing_anonymised
def provision_update(request, provision):
    provision = _scoped_of_client(request, Provision, provision)
    client = provision.client
    form = ProvisionForm(
        request.POST or None, instance=Provision.objects.get(pk=provision.pk), client=client
    )
    return form_page(
        request,
        form=form,
        save=lambda f: services.provision_update(
            actor=request.user, provision=provision, **f.cleaned_data
        ),
        template="placements/provision_form.html",
        context={"client": client, "provision": provision, "title": _("Change the provision")},
        success_url=lambda p: _back_url(request, client, p.placement),
        saved=_("The provision is saved."),
        field_names=services.PROVISION_FIELDS,
        rebound=lambda current: ProvisionForm(
            with_version(request.POST, "version", current.version),
            instance=current,
            client=client,
        ),
    )


@permission_required("placements.add_subsidycalculation", raise_exception=True)
@refusing_anonymised
def calculator(request, provision):
    """The wage-cost subsidy calculator: every step shown; saving keeps the parameters used."""
    provision = _scoped_of_client(request, Provision, provision)
    client, placement = provision.client, provision.placement
    if provision.kind not in WAGE_COST_SUBSIDY_KINDS:
        messages.error(request, _("Only a wage-cost subsidy has a subsidy calculation."))
        return redirect(_back_url(request, client, placement))
    latest = (
        WageValueAssessment.objects.filter(
            client=client, **({"placement": placement} if placement else {})
        )
        .order_by("-assessed_on", "-pk")
        .first()
    )
    initial = {
        "reference_date": provision.start_date or (placement.start_date if placement else None),
        "wage_value_percent": latest.wage_value_percent if latest else None,
        "contract_hours": placement.hours_per_week if placement else None,
        "full_time_hours": subsidy.FULL_TIME_HOURS,
    }
    form = CalculatorForm(request.POST or None, initial=initial)
    context = {
        "client": client,
        "provision": provision,
        "placement": placement,
        "assessment": latest,
        "calculations": [
            (c, services.calculation_result(c))
            for c in SubsidyCalculation.objects.filter(provision=provision).select_related(
                "calculated_by"
            )
        ],
    }
    here = reverse("placements:calculator", args=[provision.pk])
    if request.method == "POST" and "save" in request.POST:
        return form_page(
            request,
            form=form,
            save=lambda f: services.subsidy_calculate(
                actor=request.user, provision=provision, apply=True, **f.cleaned_data
            ),
            template="placements/calculator.html",
            context=context,
            success_url=lambda _calculation: here,
            saved=_("The calculation is saved and its amount proposed for the provision."),
            fallback_url=here,
        )
    if request.method == "POST" and form.is_valid():  # "Calculate": show every step, save nothing
        form.pop_submission_token()  # the same form saves later, once
        try:
            context["result"] = subsidy.calculate_on(**form.cleaned_data)[1]
        except ValidationError as refused:
            apply_validation_error(form, refused)
    return render(request, "placements/calculator.html", {**context, "form": form})


# Aftercare -------------------------------------------------------------------------------


@require_POST
@permission_required("placements.change_followup", raise_exception=True)
def follow_up_done(request):
    """Mark a due aftercare item of a client in the user's scope as done (start page)."""
    form = FollowUpDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This follow-up could not be found."))
        return redirect(reverse("clients:list") + "#aftercare")
    data = form.cleaned_data
    model, pk = (
        (Placement, data["placement"]) if data["placement"] else (Provision, data["provision"])
    )
    subject = get_or_deny(request, _of_clients_in_scope(request, model), pk)
    services.follow_up_done(
        actor=request.user, kind=data["kind"], subject=subject, due_on=data["due_on"]
    )
    messages.success(request, _("The follow-up is marked as done."))
    return redirect(reverse("clients:list") + "#aftercare")


# Social Return ---------------------------------------------------------------------------


@permission_required("employers.view_sroiobligation", raise_exception=True)
def sroi_overview(request):
    """Social Return of all employers: figures, for account managers and managers."""
    obligations = sroi.progress_list(
        SroiObligation.objects.select_related("employer").order_by("end_date", "pk")
    )
    return render(
        request, "employers/sroi_overview.html", {"obligations": obligations, "nav": "sroi"}
    )
