from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from audit.models import AccessKind
from audit.services import access_record, get_or_deny
from clients import dossier, services, timeline
from clients.access import (
    AnonymisedClient,
    refuse_anonymised,
    refusing_anonymised,
    scoped_client,
    writable_client,
)
from clients.filters import ClientFilter
from clients.forms import (
    BsnChangeForm,
    BsnSearchForm,
    ClientForm,
    ClientRegisterForm,
    ContactCorrectForm,
    ContactForm,
    IntakeCorrectForm,
    IntakeForm,
    LadderCorrectForm,
    LadderObservationForm,
    RemoveForm,
    suggestions_answer,
)
from clients.models import Client, Contact, Intake, LadderObservation
from clients.removed import RemovedListView
from clients.tables import ClientTable
from core.editing import form_page, inline_submit
from core.forms import with_version
from core.lists import ListPage
from core.validators import normalize_bsn


class ScopedClientMixin:
    """For a client view on a scoped queryset: a refused id is logged as a denied read."""

    def get_object(self, queryset=None):
        queryset = queryset if queryset is not None else self.get_queryset()
        return get_or_deny(self.request, queryset, self.kwargs["pk"])


class ClientListView(ListPage):
    """The caseload: without filters, the user's own active clients ("mijn caseload")."""

    permission_required = "clients.view_client"
    filterset_class = ClientFilter
    table_class = ClientTable
    template_name = "clients/client_list.html"
    per_page_setting = "CASELOAD_PAGE_SIZE"

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
        page = getattr(context.get("table"), "page", None)
        if context["own_caseload"] and (page is None or page.number == 1):
            # The coach's start page: what needs doing in their own caseload, from the apps
            # that know (dossier.register_start). Above the first page of the list only: the
            # next pages are for reading on through the caseload (and cost half as much).
            caseload = Client.objects.for_user(self.request.user).filter(coach=self.request.user)
            context["start_parts"] = dossier.start_parts_for(self.request.user, caseload)
        return context


class ClientDetailView(PermissionRequiredMixin, ScopedClientMixin, DetailView):
    """The dossier: the client's data and a timeline of everything that happened."""

    permission_required = "clients.view_client"
    raise_exception = True
    template_name = "clients/client_detail.html"

    def get_queryset(self):
        return dossier.client_queryset(
            Client.objects.for_user(self.request.user).select_related(
                "coach", "team", "municipality"
            ),
            self.request.user,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("contact_form", ContactForm())
        context.setdefault("ladder_form", LadderObservationForm())
        context["timeline"] = timeline.page_for_client(self.object, _page_number(self.request))
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


@permission_required("clients.add_client", raise_exception=True)
def suggest(request):
    """The suggestions of a typed team or coach field (clients.forms.typed_names) for what was
    typed, at most forms.SUGGESTIONS: for those who fill in the client, trajectory and
    school-leaver forms (casework, who may register a client), as the worklist's are for the
    managers who assign. A coach is written with the user name, which tells two of the same
    name apart. No question: no suggestions."""
    answer = suggestions_answer(request)
    return answer or render(request, "clients/_assign_suggestions.html", {"options": []})


@permission_required("clients.add_client", raise_exception=True)
def client_create(request):
    """Register a client; the coach and team default to the user's own."""
    initial = {"coach": request.user.pk}
    if team := request.user.teams.first():
        initial["team"] = team.pk
    return form_page(
        request,
        form=ClientRegisterForm(request.POST or None, initial=initial, user=request.user),
        save=lambda form: services.client_register(actor=request.user, **form.cleaned_data),
        template="clients/client_form.html",
        success_url=lambda client: _registered_url(request, client),
        saved=lambda client: _("%(name)s is registered.") % {"name": client},
        fallback_url=reverse("clients:list"),
        on_invalid=lambda form: log_bsn_taken(request, form),
    )


@permission_required("clients.change_client", raise_exception=True)
@refusing_anonymised
def client_update(request, pk):
    """Change a client's data; a save over someone else's change answers 409 with both sides."""
    client = writable_client(request, pk)
    return form_page(
        request,
        form=ClientForm(request.POST or None, instance=client),
        save=lambda form: services.client_update(
            actor=request.user, client=Client.objects.get(pk=client.pk), **form.cleaned_data
        ),
        template="clients/client_form.html",
        context={"object": client},
        success_url=_detail_url,
        saved=lambda saved: _("The data of %(name)s are saved.") % {"name": saved},
        field_names=services.CLIENT_FIELDS,  # the BSN is not in the form (bsn_change)
        on_invalid=lambda form: log_bsn_taken(request, form),
    )


def _detail_url(client: Client) -> str:
    return reverse("clients:detail", args=[client.pk])


def _registered_url(request, client: Client) -> str:
    """The new client's dossier, or the caseload when the client went to a team and coach
    whose dossiers the user may not open (a registration for a colleague elsewhere)."""
    if Client.objects.for_user(request.user).filter(pk=client.pk).exists():
        return _detail_url(client)
    return reverse("clients:list")


def _dossier_panel(request, client, *, template, form_name, form, saved_message=None):
    """After an inline form on the dossier: the fragment for htmx, or the whole page."""
    saved = saved_message is not None
    if request.htmx:
        context = {
            "client": client,
            form_name: form,
            "saved_message": saved_message,
            "timeline": timeline.page_for_client(client) if saved else None,
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
    if inline_submit(
        request, form, lambda form: service(actor=request.user, client=client, **form.cleaned_data)
    ):
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
@refusing_anonymised
def intake_create(request, pk):
    """Record a diagnosis intake; a failed form comes back with everything typed."""
    client = writable_client(request, pk)
    return form_page(
        request,
        form=IntakeForm(request.POST or None),
        save=lambda form: services.intake_record(
            actor=request.user,
            client=client,
            ladder_step=form.cleaned_data["ladder_step"],
            scores=form.scores(),
            **form.intake_details(),
        ),
        template="clients/intake_form.html",
        context={"client": client},
        success_url=lambda _intake: _detail_url(client),
        saved=_("The intake is recorded."),
        fallback_url=_detail_url(client),
    )


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

    def change(form):
        services.client_bsn_change(
            actor=request.user,
            client=client,
            bsn=form.cleaned_data["bsn"],
            reason=form.cleaned_data["reason"],
        )
        access_record(request=request, kind=AccessKind.BSN_CHANGE, obj=client)

    def on_refusal(form):
        log_bsn_taken(request, form)
        client.refresh_from_db(fields=["bsn"])  # a refused save leaves the typed BSN on it

    return form_page(
        request,
        form=BsnChangeForm(request.POST or None),
        save=change,
        template="clients/bsn_change_form.html",
        context={"client": client},
        success_url=lambda _saved: _detail_url(client),
        saved=_("The BSN is changed."),
        fallback_url=_detail_url(client),
        on_invalid=on_refusal,
    )


# --- The timeline, a page at a time ------------------------------------------------------------


def _page_number(request) -> int:
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


@permission_required("clients.view_client", raise_exception=True)
def timeline_page(request, pk):
    """The next page of a dossier's timeline ("Meer laden"): entries for htmx to append; without
    JavaScript the dossier itself at that page."""
    client = scoped_client(request, pk)
    number = _page_number(request)
    if not request.htmx:
        return redirect(f"{_detail_url(client)}?page={number}#timeline")
    access_record(request=request, kind=AccessKind.DOSSIER, obj=client)
    page = timeline.page_for_client(client, number)
    return render(request, "clients/_timeline_page.html", {"client": client, "timeline": page})


# --- Correcting the record ---------------------------------------------------------------------


# How a record looks on the timeline, shown above its correction or removal form.
TIMELINE_TEMPLATES = {
    Contact: "clients/timeline/_contact.html",
    Intake: "clients/timeline/_intake.html",
    LadderObservation: "clients/timeline/_ladder.html",
}


def _record_in_scope(request, model, pk):
    """A record of a client in the user's scope (404, logged, otherwise); not an anonymised
    client's (AnonymisedClient)."""
    queryset = model.objects.filter(client__in=Client.objects.for_user(request.user))
    record = get_or_deny(request, queryset.select_related("client"), pk)
    if record.client.is_anonymised:
        raise AnonymisedClient(record.client)
    return record


def _correction_page(request, record, *, make_form, save, title, saved, context=None):
    """A correction page through form_page; `make_form(data, instance)` builds its form, also
    on the record as someone else saved it (the 409 page)."""
    client = record.client
    form = make_form(request.POST or None, record)
    return form_page(
        request,
        form=form,
        save=save,
        template="clients/correction_form.html",
        context={
            "client": client,
            "record": record,
            "record_template": TIMELINE_TEMPLATES[type(record)],
            "title": title,
        }
        | (context or {}),
        success_url=lambda saved_record: f"{_detail_url(saved_record.client)}#timeline",
        saved=saved,
        # The record's own fields (and its client): not the reason, version or form token.
        field_names=[name for name in form.fields if hasattr(record, name) and name != "version"],
        rebound=lambda current: make_form(
            with_version(request.POST, "version", current.version), current
        ),
        fallback_url=_detail_url(client),
    )


def _remove_page(request, record, *, remove, title, saved):
    form = RemoveForm(request.POST or None, record=record)
    return form_page(
        request,
        form=form,
        save=lambda f: remove(reason=f.cleaned_data["reason"], version=f.cleaned_data["version"]),
        template="clients/correction_form.html",
        context={
            "client": record.client,
            "record": record,
            "record_template": TIMELINE_TEMPLATES[type(record)],
            "title": title,
            "removal": True,
        },
        success_url=lambda _removed: f"{_detail_url(record.client)}#timeline",
        saved=saved,
        fallback_url=_detail_url(record.client),
    )


@permission_required("clients.change_contact", raise_exception=True)
@refusing_anonymised
def contact_correct(request, contact):
    """Correct a contact moment, or move it to the client it belongs to, with a reason."""
    contact = _record_in_scope(request, Contact, contact)
    return _correction_page(
        request,
        contact,
        make_form=lambda data, obj: ContactCorrectForm(data, instance=obj, user=request.user),
        save=lambda f: services.contact_correct(
            actor=request.user, contact=Contact.objects.get(pk=contact.pk), **f.corrections()
        ),
        title=_("Correct a contact moment"),
        saved=_("The contact moment is corrected."),
    )


@permission_required("clients.delete_contact", raise_exception=True)
@refusing_anonymised
def contact_remove(request, contact):
    """Remove a contact moment logged by mistake, with a reason."""
    contact = _record_in_scope(request, Contact, contact)
    return _remove_page(
        request,
        contact,
        remove=lambda **kw: services.contact_remove(actor=request.user, contact=contact, **kw),
        title=_("Remove a contact moment"),
        saved=_("The contact moment is removed."),
    )


@permission_required("clients.change_ladderobservation", raise_exception=True)
@refusing_anonymised
def ladder_correct(request, observation):
    """Correct a participation-ladder measurement with a reason."""
    observation = _record_in_scope(request, LadderObservation, observation)
    return _correction_page(
        request,
        observation,
        make_form=lambda data, obj: LadderCorrectForm(data, instance=obj, user=request.user),
        save=lambda f: services.ladder_correct(
            actor=request.user,
            observation=LadderObservation.objects.get(pk=observation.pk),
            **f.corrections(),
        ),
        title=_("Correct a participation ladder measurement"),
        saved=_("The measurement is corrected."),
    )


@permission_required("clients.delete_ladderobservation", raise_exception=True)
@refusing_anonymised
def ladder_remove(request, observation):
    """Remove a participation-ladder measurement with a reason."""
    observation = _record_in_scope(request, LadderObservation, observation)
    return _remove_page(
        request,
        observation,
        remove=lambda **kw: services.ladder_remove(
            actor=request.user, observation=observation, **kw
        ),
        title=_("Remove a participation ladder measurement"),
        saved=_("The measurement is removed."),
    )


@permission_required("clients.change_intake", raise_exception=True)
@refusing_anonymised
def intake_correct(request, intake):
    """Change an intake: freely within INTAKE_EDIT_DAYS, later only with a reason."""
    intake = _record_in_scope(request, Intake, intake)
    reason_required = not services.intake_freely_editable(intake)
    return _correction_page(
        request,
        intake,
        make_form=lambda data, obj: IntakeCorrectForm(
            data, instance=obj, user=request.user, reason_required=reason_required
        ),
        save=lambda f: services.intake_correct(
            actor=request.user, intake=Intake.objects.get(pk=intake.pk), **f.corrections()
        ),
        title=_("Correct an intake"),
        saved=_("The intake is corrected."),
        context={"free_until": None if reason_required else services.intake_edit_deadline(intake)},
    )


@permission_required("clients.delete_intake", raise_exception=True)
@refusing_anonymised
def intake_remove(request, intake):
    """Remove an intake (and the ladder step measured at it) with a reason."""
    intake = _record_in_scope(request, Intake, intake)
    return _remove_page(
        request,
        intake,
        remove=lambda **kw: services.intake_remove(actor=request.user, intake=intake, **kw),
        title=_("Remove an intake"),
        saved=_("The intake is removed."),
    )


removed_records = RemovedListView.as_view()
