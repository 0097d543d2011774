import functools

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_htmx.http import HttpResponseClientRedirect
from django_tables2 import SingleTableMixin

from audit.models import AccessKind
from audit.services import access_record, get_or_deny
from clients import dossier, services, timeline
from clients.filters import ClientFilter
from clients.forms import (
    BsnChangeForm,
    BsnSearchForm,
    ClientForm,
    ContactForm,
    IntakeForm,
    LadderObservationForm,
)
from clients.models import Client
from clients.tables import ClientTable
from core.editing import ConcurrentEdit
from core.filters import IgnoringInvalidFiltersMixin
from core.forms import apply_validation_error, with_version
from core.idempotency import (
    AlreadySubmitted,
    earlier_result,
    remember_result,
    submitted_once,
)
from core.validators import normalize_bsn
from employers import profiles as candidate_profiles
from placements import aftercare
from trajectories import alerts


def scoped_client(request, pk, *, kind=AccessKind.DOSSIER) -> Client:
    """The client with this id if the user may see it; a 404 otherwise (no hint it exists).

    A refusal is logged as a denied read of `kind` with the id that was asked for.
    """
    return get_or_deny(request, Client.objects.for_user(request.user), pk, kind=kind)


def writable_client(request, pk) -> Client:
    """The client to add to or change; an anonymised one cannot be (AnonymisedClient)."""
    client = scoped_client(request, pk)
    if client.is_anonymised:
        raise AnonymisedClient(client)
    return client


class AnonymisedClient(Exception):
    def __init__(self, client):
        super().__init__(client.pk)
        self.client = client


def refuse_anonymised(request, client):
    """Back to the dossier, which says why; htmx follows with a full-page redirect."""
    messages.error(request, _("This client is anonymised; the dossier can no longer be changed."))
    url = reverse("clients:detail", args=[client.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def refusing_anonymised(view):
    """For a view that changes a client's dossier: AnonymisedClient raised anywhere in it
    becomes the refusal above instead of an error page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AnonymisedClient as refused:
            return refuse_anonymised(request, refused.client)

    return wrapped


class ScopedClientMixin:
    """For a client view on a scoped queryset: a refused id is logged as a denied read."""

    def get_object(self, queryset=None):
        queryset = queryset if queryset is not None else self.get_queryset()
        return get_or_deny(self.request, queryset, self.kwargs["pk"])


class ClientListView(
    PermissionRequiredMixin, IgnoringInvalidFiltersMixin, SingleTableMixin, FilterView
):
    """The caseload: without filters, the user's own active clients ("mijn caseload")."""

    permission_required = "clients.view_client"
    raise_exception = True
    filterset_class = ClientFilter
    table_class = ClientTable
    template_name = "clients/client_list.html"

    def get_table_pagination(self, table):
        # Paginate the table only: ListView's own paginator would count the rows a second time.
        return {"per_page": settings.CASELOAD_PAGE_SIZE}

    def get_queryset(self):
        return Client.objects.for_user(self.request.user).for_list()

    def is_own_caseload(self) -> bool:
        """No filter chosen: the menu's "Mijn caseload", and so its next pages and its sorted
        views too (the table's links add only `page` and `sort` to the query). The filter form
        sends every field, so a chosen "all coaches" is a filter, not the own caseload."""
        if self.request.method != "GET":
            return False
        return not any(name in self.request.GET for name in self.filterset_class.base_filters)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        data.pop("bsn", None)  # a BSN never arrives through a URL
        if self.is_own_caseload():
            data.update({"coach": str(self.request.user.pk), "status": "active"})
        if self.request.method == "POST":
            self.bsn_form = BsnSearchForm(self.request.POST)
            if self.bsn_form.is_valid():
                data = data.__class__(mutable=True)
                data["bsn"] = self.bsn_form.cleaned_data["bsn"]
        kwargs["data"] = data
        return kwargs

    def get(self, request, *args, **kwargs):
        if "bsn" in request.GET:
            # A BSN typed into the address bar: drop it, so links and logs don't repeat it.
            query = request.GET.copy()
            del query["bsn"]
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["own_caseload"] = self.is_own_caseload()
        context["nav"] = "caseload" if context["own_caseload"] else "clients"
        context["bsn_form"] = getattr(self, "bsn_form", None) or BsnSearchForm()
        context["bsn_searched"] = self.request.method == "POST"
        if context["bsn_searched"] and self.bsn_form.is_valid():
            # Finding a client by BSN tells who it belongs to: logged like a reveal.
            for pk in self.object_list.values_list("pk", flat=True):
                access_record(
                    request=self.request, kind=AccessKind.BSN_LOOKUP, model=Client, object_id=pk
                )
        if context["own_caseload"]:
            # The coach's start page: what needs doing in their own caseload (trajectories.alerts).
            caseload = Client.objects.for_user(self.request.user).filter(coach=self.request.user)
            context["signals"] = alerts.signals_for(caseload)
            context["incomplete_profiles"] = candidate_profiles.for_start_page(self.request.user)
            if self.request.user.has_perm("placements.view_placement"):
                context["aftercare"] = aftercare.aftercare_for(caseload)
            context["show_clients"] = True
        return context


class ClientDetailView(PermissionRequiredMixin, ScopedClientMixin, DetailView):
    """The dossier: the client's data and a timeline of everything that happened."""

    permission_required = "clients.view_client"
    raise_exception = True
    template_name = "clients/client_detail.html"

    def get_queryset(self):
        return Client.objects.for_user(self.request.user).select_related(
            "coach", "team", "municipality"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("contact_form", ContactForm())
        context.setdefault("ladder_form", LadderObservationForm())
        context["timeline"] = timeline.for_client(self.object)
        context["panels"] = dossier.panels_for(self.object, self.request.user)
        # Once, right after "show full BSN" without JavaScript (bsn_reveal); a reload masks it.
        context["bsn_revealed"] = self.request.session.pop(BSN_REVEALED, None) == self.object.pk
        return context

    def render_to_response(self, context, **response_kwargs):
        # Every view of a dossier is logged (BIO): who, which client, when, from where.
        access_record(request=self.request, kind=AccessKind.DOSSIER, obj=self.object)
        response = super().render_to_response(context, **response_kwargs)
        if context.get("bsn_revealed"):
            add_never_cache_headers(response)
        return response


def log_bsn_taken(request, form) -> None:
    """The message that the BSN is registered already tells the user that the BSN they typed
    exists: logged as a look-up by BSN of the client it belongs to."""
    if not any(form.has_error("bsn", code) for code in ("unique", "unique_unassigned")):
        return
    owner = Client.objects.filter(bsn=normalize_bsn(form.data.get("bsn", ""))).first()
    if owner is not None:
        access_record(request=request, kind=AccessKind.BSN_LOOKUP, obj=owner)


class ServiceFormMixin:
    """Validate with the form, then write through the service; its errors land on the form.

    The write runs once per form (core.idempotency): a double-clicked or resent submit goes
    to the first one's result instead of writing again.
    """

    def post(self, request, *args, **kwargs):
        repeat = earlier_result(request)
        if repeat is not None:
            return self.already_submitted(repeat)
        return super().post(request, *args, **kwargs)

    def already_submitted(self, result_url):
        messages.info(self.request, _("This form was already sent; it was saved once."))
        return redirect(result_url or self.get_success_url())

    def form_valid(self, form):
        token = form.pop_submission_token()
        try:
            with submitted_once(user=self.request.user, token=token) as once:
                self.object = self.save_through_service(form)
                remember_result(once, self.get_success_url())
        except AlreadySubmitted as repeat:
            return self.already_submitted(repeat.result_url)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        except ConcurrentEdit as conflict:
            return self.concurrent_edit(form, conflict.current)
        messages.success(self.request, self.success_message % {"name": self.object})
        return redirect(self.get_success_url())


class ClientCreateView(PermissionRequiredMixin, ServiceFormMixin, CreateView):
    permission_required = "clients.add_client"
    raise_exception = True
    form_class = ClientForm
    template_name = "clients/client_form.html"
    success_message = gettext_lazy("%(name)s is registered.")

    def get_initial(self):
        initial = {"coach": self.request.user.pk}
        team = self.request.user.teams.first()
        if team:
            initial["team"] = team.pk
        return initial

    def save_through_service(self, form):
        return services.client_register(actor=self.request.user, **form.cleaned_data)

    def form_invalid(self, form):
        log_bsn_taken(self.request, form)
        return super().form_invalid(form)

    def get_success_url(self):
        return reverse("clients:detail", args=[self.object.pk])


class ClientUpdateView(PermissionRequiredMixin, ScopedClientMixin, ServiceFormMixin, UpdateView):
    permission_required = "clients.change_client"
    raise_exception = True
    form_class = ClientForm
    template_name = "clients/client_form.html"
    success_message = gettext_lazy("The data of %(name)s are saved.")

    def get_queryset(self):
        return Client.objects.for_user(self.request.user)

    def get_object(self, queryset=None):
        client = super().get_object(queryset)
        if client.is_anonymised:
            raise AnonymisedClient(client)
        return client

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except AnonymisedClient as refused:
            return refuse_anonymised(request, refused.client)

    def save_through_service(self, form):
        client = Client.objects.get(pk=self.object.pk)
        return services.client_update(actor=self.request.user, client=client, **form.cleaned_data)

    def concurrent_edit(self, form, current: Client):
        """Someone saved this client meanwhile: keep what the user typed, show what changed.

        The form comes back with the user's input and the current version, so after comparing
        they can save again (their values win) or leave the page (the other change stays).
        """
        differences = [
            (
                form.fields[name].label,
                shown(current, name, getattr(current, name)),
                shown(current, name, form.cleaned_data.get(name)),
            )
            for name in services.CLIENT_FIELDS
            # Only what the form edits: the BSN is not in it (bsn_change), so never shown here.
            if name in form.fields and form.cleaned_data.get(name) != getattr(current, name)
        ]
        if not differences:  # the other save wrote exactly this (say, a resent form)
            messages.success(self.request, self.success_message % {"name": current})
            return redirect(self.get_success_url())
        rebound = ClientForm(
            data=with_version(self.request.POST, "version", current.version), instance=current
        )
        rebound.is_valid()
        return self.render_to_response(
            self.get_context_data(
                form=rebound,
                conflict={
                    "differences": differences,
                    "last_change": LogEntry.objects.get_for_object(current)
                    .select_related("actor")
                    .first(),
                },
            ),
            status=409,
        )

    def get_success_url(self):
        return reverse("clients:detail", args=[self.object.pk])


def shown(instance, name, value):
    """A field value as a person reads it: the label of a choice, yes/no, the name of a row."""
    field = instance._meta.get_field(name)
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _dossier_panel(request, client, *, template, form_name, form, saved_message=None):
    """After an inline form on the dossier: the fragment for htmx, or the whole page."""
    saved = saved_message is not None
    if request.htmx:
        context = {
            "client": client,
            form_name: form,
            "saved_message": saved_message,
            "timeline": timeline.for_client(client) if saved else None,
        }
        return render(request, template, context)
    if saved:
        messages.success(request, saved_message)
        return redirect("clients:detail", pk=client.pk)
    view = ClientDetailView(request=request, kwargs={"pk": client.pk}, object=client)
    context = view.get_context_data(object=client, **{form_name: form})
    return render(request, ClientDetailView.template_name, context, status=200)


def _inline_create(request, pk, *, form_class, service, form_name, template, saved):
    """Validate an inline dossier form, write through `service`, answer with its panel."""
    try:
        client = writable_client(request, pk)
    except AnonymisedClient as refused:
        return refuse_anonymised(request, refused.client)
    form = form_class(request.POST)
    saved_message = None
    if form.is_valid():
        token = form.pop_submission_token()
        try:
            with submitted_once(user=request.user, token=token):
                service(actor=request.user, client=client, **form.cleaned_data)
        except AlreadySubmitted:
            pass  # a double click: the first submit saved it, the answer is the same
        form, saved_message = form_class(), saved
    return _dossier_panel(
        request,
        client,
        template=template,
        form_name=form_name,
        form=form,
        saved_message=saved_message,
    )


@require_POST
@permission_required("clients.add_contact", raise_exception=True)
def contact_create(request, pk):
    """Log a contact moment from the dossier without leaving the page."""
    return _inline_create(
        request,
        pk,
        form_class=ContactForm,
        service=services.contact_log,
        form_name="contact_form",
        template="clients/_contact_panel.html",
        saved=_("The contact moment is logged."),
    )


@require_POST
@permission_required("clients.add_ladderobservation", raise_exception=True)
def ladder_create(request, pk):
    """Record a participation-ladder measurement from the dossier."""
    return _inline_create(
        request,
        pk,
        form_class=LadderObservationForm,
        service=services.ladder_observe,
        form_name="ladder_form",
        template="clients/_ladder_panel.html",
        saved=_("The measurement is recorded."),
    )


@permission_required("clients.add_intake", raise_exception=True)
def intake_create(request, pk):
    """Record a diagnosis intake; a failed form comes back with everything typed."""
    try:
        client = writable_client(request, pk)
    except AnonymisedClient as refused:
        return refuse_anonymised(request, refused.client)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(user=request.user, token=form.pop_submission_token()):
                services.intake_record(
                    actor=request.user,
                    client=client,
                    ladder_step=form.cleaned_data["ladder_step"],
                    scores=form.scores(),
                    **form.intake_details(),
                )
        except AlreadySubmitted:
            messages.info(request, _("This form was already sent; it was saved once."))
            return redirect("clients:detail", pk=client.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The intake is recorded."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/intake_form.html", {"client": client, "form": form})


BSN_REVEALED = "clients.bsn_revealed"  # session key: the client whose dossier shows the BSN once


@require_POST
@never_cache
@permission_required("clients.view_full_bsn", raise_exception=True)
def bsn_reveal(request, pk):
    """Show a client's full BSN: a deliberate action, logged each time (kind full_bsn)."""
    client = scoped_client(request, pk, kind=AccessKind.FULL_BSN)
    access_record(request=request, kind=AccessKind.FULL_BSN, obj=client)
    if request.htmx:
        return render(request, "clients/_bsn.html", {"client": client, "bsn_revealed": True})
    request.session[BSN_REVEALED] = client.pk
    return redirect("clients:detail", pk=client.pk)


@never_cache
@permission_required("clients.change_bsn", raise_exception=True)
def bsn_change(request, pk):
    """Correct a client's BSN with a reason: apart from the edit form, and logged twice (the
    change history keeps old and new masked with the reason; the access log who did it)."""
    try:
        client = writable_client(request, pk)
    except AnonymisedClient as refused:
        return refuse_anonymised(request, refused.client)
    form = BsnChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(user=request.user, token=form.pop_submission_token()):
                with transaction.atomic():
                    services.client_bsn_change(
                        actor=request.user,
                        client=client,
                        bsn=form.cleaned_data["bsn"],
                        reason=form.cleaned_data["reason"],
                    )
                    access_record(request=request, kind=AccessKind.BSN_CHANGE, obj=client)
        except AlreadySubmitted:
            messages.info(request, _("This form was already sent; it was saved once."))
            return redirect("clients:detail", pk=client.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
            log_bsn_taken(request, form)
        else:
            messages.success(request, _("The BSN is changed."))
            return redirect("clients:detail", pk=client.pk)
    client.refresh_from_db(fields=["bsn"])  # a refused save leaves the typed BSN on the object
    return render(request, "clients/bsn_change_form.html", {"client": client, "form": form})
