"""Which client a request may read or change: for every app's views, not only the clients'.

A client outside the user's caseload and teams is a 404 (logged as a denied read); an
anonymised client is refused for every change, back to the dossier that says why.
"""

import functools

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from audit.models import AccessKind
from audit.services import get_or_deny
from clients.models import Client


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
