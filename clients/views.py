from auditlog.signals import accessed
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from clients import services, timeline
from clients.filters import ClientFilter
from clients.forms import (
    BsnSearchForm,
    ClientForm,
    ContactForm,
    IntakeForm,
    LadderObservationForm,
)
from clients.models import Client
from clients.tables import ClientTable
from core.forms import apply_validation_error


def scoped_client(request, pk) -> Client:
    """The client with this id if the user may see it; a 404 otherwise (no hint it exists)."""
    return get_object_or_404(Client.objects.for_user(request.user), pk=pk)


class ClientListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
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
        return not self.request.GET and self.request.method == "GET"

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

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["own_caseload"] = self.is_own_caseload()
        context["nav"] = "caseload" if context["own_caseload"] else "clients"
        context["bsn_form"] = getattr(self, "bsn_form", None) or BsnSearchForm()
        context["bsn_searched"] = self.request.method == "POST"
        return context


class ClientDetailView(PermissionRequiredMixin, DetailView):
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
        return context

    def render_to_response(self, context, **response_kwargs):
        # Every view of a dossier is logged (BIO): who, which client, when, from where.
        accessed.send(sender=Client, instance=self.object)
        return super().render_to_response(context, **response_kwargs)


class ServiceFormMixin:
    """Validate with the form, then write through the service; its errors land on the form."""

    def form_valid(self, form):
        try:
            self.object = self.save_through_service(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
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

    def get_success_url(self):
        return reverse("clients:detail", args=[self.object.pk])


class ClientUpdateView(PermissionRequiredMixin, ServiceFormMixin, UpdateView):
    permission_required = "clients.change_client"
    raise_exception = True
    form_class = ClientForm
    template_name = "clients/client_form.html"
    success_message = gettext_lazy("The data of %(name)s are saved.")

    def get_queryset(self):
        return Client.objects.for_user(self.request.user)

    def save_through_service(self, form):
        client = Client.objects.get(pk=self.object.pk)
        return services.client_update(actor=self.request.user, client=client, **form.cleaned_data)

    def get_success_url(self):
        return reverse("clients:detail", args=[self.object.pk])


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
    client = scoped_client(request, pk)
    form = form_class(request.POST)
    saved_message = None
    if form.is_valid():
        service(actor=request.user, client=client, **form.cleaned_data)
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
    client = scoped_client(request, pk)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_record(
                actor=request.user,
                client=client,
                ladder_step=form.cleaned_data["ladder_step"],
                scores=form.scores(),
                **form.intake_details(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The intake is recorded."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/intake_form.html", {"client": client, "form": form})
