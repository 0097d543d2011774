import getpass
import itertools
import os
from collections.abc import Iterable

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404

from audit.models import AccessKind, AccessLog, AccessResult
from core.net import client_ip


def access_record(
    *,
    request,
    kind: AccessKind,
    obj: models.Model | None = None,
    model: type[models.Model] | None = None,
    object_id=None,
    granted: bool = True,
    detail: str = "",
) -> AccessLog:
    """Log one read of personal data: who, what, which object, when, from where, the result.

    Pass `obj` for a granted read; for a refused one pass `model` and the `object_id` that was
    asked for (it may not exist, or lie outside the user's scope).
    """
    model = model or type(obj)
    user = request.user if request.user.is_authenticated else None
    return AccessLog.objects.create(
        user=user,
        username=user.get_username() if user else "",
        kind=kind,
        object_type=model._meta.label_lower,
        object_id=str(obj.pk if obj is not None else object_id),
        ip_address=client_ip(request),
        result=AccessResult.GRANTED if granted else AccessResult.DENIED,
        detail=detail[:200],
    )


def _granted(*, user, username, kind, model, object_ids, ip_address=None, detail=""):
    """The access log rows of granted reads of these objects, one each (a generator)."""
    return (
        AccessLog(
            user=user,
            username=username,
            kind=kind,
            object_type=model._meta.label_lower,
            object_id=str(object_id),
            ip_address=ip_address,
            result=AccessResult.GRANTED,
            detail=detail[:200],
        )
        for object_id in object_ids
    )


def access_record_listed(*, request, model: type[models.Model], object_ids, detail: str) -> None:
    """Log that a page showed these objects by name (AccessKind.LISTED), one row each, in one
    insert: a list's rows are bounded by the page."""
    user = request.user
    AccessLog.objects.bulk_create(
        _granted(
            user=user,
            username=user.get_username(),
            kind=AccessKind.LISTED,
            model=model,
            object_ids=object_ids,
            ip_address=client_ip(request),
            detail=detail,
        )
    )


def command_actor(command: str) -> str:
    """Who ran a management command, as the access log names them: the account on the server."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's bare user)
        account = f"uid {os.getuid()}"
    return f"{account} (manage.py {command})"[:150]


def access_record_unattended(
    *,
    kind: AccessKind,
    model: type[models.Model],
    object_ids: Iterable,
    user=None,
    username: str = "",
    detail: str = "",
) -> int:
    """Log granted reads that no request made (a worker's import check, a command): one row per
    object, written in batches. `user` if a person started it, else `username` says who ran it.
    Returns the number of rows written."""
    name = user.get_username() if user is not None else username
    rows = _granted(
        user=user, username=name, kind=kind, model=model, object_ids=object_ids, detail=detail
    )
    written = 0
    while batch := list(itertools.islice(rows, 1000)):
        AccessLog.objects.bulk_create(batch)
        written += len(batch)
    return written


def get_or_deny(request, queryset, pk, *, kind: AccessKind = AccessKind.DOSSIER):
    """The object with this pk in `queryset` (scoped to what the user may see), or a 404 that
    gives no hint whether it exists, logged as a denied read of `kind` with the id asked for."""
    try:
        return get_object_or_404(queryset, pk=pk)
    except Http404:
        access_record(request=request, kind=kind, model=queryset.model, object_id=pk, granted=False)
        raise
