"""The household pages, opened from a client's dossier: add or link a member, change or
remove one, and make a member with their own re-integration obligation a client."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients.access import AnonymisedClient, refusing_anonymised, writable_client
from clients.models import Client
from clients.views import log_bsn_taken
from core.editing import act, form_page
from households import services
from households.forms import BecomeClientForm, LinkForm, MemberForm
from households.models import HouseholdMember


def _dossier(client) -> str:
    return reverse("clients:detail", args=[client.pk]) + "#household"


def _row(request, pk) -> tuple[HouseholdMember, Client]:
    """The row and the dossier it is changed from: of the two people it joins, the one the
    user may change (the row's own client first). Neither in scope: a 404."""
    row = get_object_or_404(HouseholdMember.objects.select_related("client", "member"), pk=pk)
    visible = set(
        Client.objects.for_user(request.user)
        .filter(pk__in=[row.client_id, row.member_id or row.client_id])
        .values_list("pk", flat=True)
    )
    for pk_ in (row.client_id, row.member_id):
        if pk_ in visible:
            client = writable_client(request, pk_)
            if row.client.is_anonymised:
                raise AnonymisedClient(row.client)
            return row, client
    raise Http404


@permission_required("households.add_householdmember", raise_exception=True)
@refusing_anonymised
def add(request, pk):
    client = writable_client(request, pk)
    form = MemberForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda f: services.member_add(actor=request.user, client=client, **f.changes()),
        template="households/member_form.html",
        success_url=lambda row: _dossier(client),
        saved=_("The household member is added."),
        context={"client": client, "title": _("Add a household member")},
    )


@permission_required("households.add_householdmember", raise_exception=True)
@refusing_anonymised
def link(request, pk):
    client = writable_client(request, pk)
    clients = Client.objects.for_user(request.user).not_anonymised()
    form = LinkForm(request.POST or None, clients=clients, client=client)
    return form_page(
        request,
        form=form,
        save=lambda f: services.member_link(
            actor=request.user,
            client=client,
            member=f.cleaned_data["member"],
            relation=f.cleaned_data["relation"],
            notes=f.cleaned_data["notes"],
        ),
        template="households/member_form.html",
        success_url=lambda row: _dossier(client),
        saved=_("The two dossiers are linked."),
        context={"client": client, "title": _("Link a client to the household")},
    )


@permission_required("households.change_householdmember", raise_exception=True)
@refusing_anonymised
def change(request, member):
    row, client = _row(request, member)
    form = MemberForm(request.POST or None, instance=HouseholdMember.objects.get(pk=row.pk))
    return form_page(
        request,
        form=form,
        save=lambda f: services.member_change(actor=request.user, row=row, **f.changes()),
        template="households/member_form.html",
        success_url=lambda saved: _dossier(client),
        saved=_("The household member is changed."),
        context={"client": client, "row": row, "title": _("Change a household member")},
    )


@require_POST
@permission_required("households.delete_householdmember", raise_exception=True)
@refusing_anonymised
def remove(request, member):
    row, client = _row(request, member)
    act(
        request,
        lambda: services.member_remove(actor=request.user, row=row),
        done=_("%(name)s is no longer in the household.") % {"name": row.name},
    )
    return redirect(_dossier(client))


@permission_required("clients.add_client", raise_exception=True)
@refusing_anonymised
def become_client(request, member):
    row, client = _row(request, member)
    if row.member_id:
        return redirect(reverse("clients:detail", args=[row.member_id]))
    form = BecomeClientForm(
        request.POST or None, initial={"birth_date": row.birth_date}, row=row, user=request.user
    )
    return form_page(
        request,
        form=form,
        save=lambda f: services.member_become_client(actor=request.user, row=row, **f.cleaned_data),
        template="households/become_client.html",
        success_url=lambda member: reverse("clients:detail", args=[member.pk]),
        saved=lambda member: (
            _("%(name)s is a client now, in the same team.") % {"name": member.full_name}
        ),
        context={"client": client, "row": row},
        on_invalid=lambda f: log_bsn_taken(request, f),  # the refusal tells whose BSN it is
    )
