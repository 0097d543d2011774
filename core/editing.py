"""Writing through a form: the one runner every create and edit page uses, and the versioned save.

A form carries the version of the record it started from. `save_versioned` writes only if the
record is still at that version; otherwise it writes nothing and raises ConcurrentEdit with the
record as it is now, so the page can show the difference next to what the user typed.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from auditlog.models import LogEntry
from concurrency.exceptions import RecordModifiedError
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import apply_validation_error, with_version
from core.idempotency import AlreadySubmitted, earlier_result, remember_result, submitted_once


class ConcurrentEdit(Exception):
    """Someone else saved the record after the user began editing; `current` is it as it is now."""

    def __init__(self, current):
        super().__init__(f"{current!r} was changed by someone else")
        self.current = current


def save_versioned(obj, version: int | None = None):
    """Validate and save `obj`; if someone saved it since `version` (None: since it was read),
    write nothing and raise ConcurrentEdit."""
    if version is not None:
        obj.version = version
    obj.full_clean()
    try:
        with transaction.atomic():  # a savepoint, so the refused save leaves us able to read
            obj.save()
    except RecordModifiedError:
        raise ConcurrentEdit(type(obj).objects.get(pk=obj.pk)) from None
    return obj


# --- The form-to-service runner -----------------------------------------------------------------
#
# Every page that writes through a service does the same steps, here once:
#   1. a resent create form (back button, double click) goes to what its first send made;
#   2. the form validates; the service runs once per the form's token, in one transaction;
#   3. a service's ValidationError lands on the form's fields, with everything typed kept;
#   4. a save over someone else's change answers 409 with the differences and the input kept;
#   5. success: a message and a redirect (or, for an inline panel, the caller's answer).


class Saved(NamedTuple):
    """What `save_once` did: `state` is saved, repeat, invalid or conflict; `value` is the saved
    object, the first send's result URL, None, or the record as someone else saved it."""

    state: str
    value: Any = None


def save_once(request, form, save: Callable, *, result_url: Callable | None = None) -> Saved:
    """Run `save(form)` on a valid form, once per its token, in a transaction.

    `result_url(obj)` is remembered for the token, so a repeat is sent there. The token is taken
    out of `form.cleaned_data` first, so `save` can pass cleaned_data on to a service.
    """
    pop = getattr(form, "pop_submission_token", None)
    token = pop() if pop else None
    try:
        with submitted_once(user=request.user, token=token) as once:
            obj = save(form)
            if result_url is not None:
                remember_result(once, result_url(obj))
    except AlreadySubmitted as repeat:
        return Saved("repeat", repeat.result_url)
    except ValidationError as error:
        apply_validation_error(form, error)
        return Saved("invalid")
    except ConcurrentEdit as conflict:
        return Saved("conflict", conflict.current)
    return Saved("saved", obj)


def already_sent(request, url: str) -> HttpResponse:
    messages.info(request, _("This form was already sent; it was saved once."))
    return redirect(url)


def resent(request, fallback_url: str = "") -> HttpResponse | None:
    """The answer to a create form that was saved before (checked before validation, or a
    repeated registration would fail on its own first copy); None for a new send."""
    if request.method != "POST":
        return None
    url = earlier_result(request)
    if url is None:
        return None
    return already_sent(request, url or fallback_url)


def inline_submit(request, form, save: Callable) -> bool:
    """An inline form (a dossier panel, a worklist action): True once `save(form)` ran, also
    when a double click's first send ran it; False with the errors on the form."""
    if not form.is_valid():
        return False
    return save_once(request, form, save).state in ("saved", "repeat")


def shown(instance, name, value):
    """A field value as a person reads it: the label of a choice, yes/no, the name of a row."""
    field = instance._meta.get_field(name)
    if field.choices and value not in (None, ""):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def conflict_details(form, current, field_names) -> dict | None:
    """For templates/core/_conflict.html: each edited field whose input differs from the record
    as saved now, and who saved last; None when nothing differs (a resent form)."""
    differences = [
        (
            form.fields[name].label,
            shown(current, name, getattr(current, name)),
            shown(current, name, form.cleaned_data.get(name)),
        )
        for name in field_names
        if name in form.fields and form.cleaned_data.get(name) != getattr(current, name)
    ]
    if not differences:
        return None
    return {
        "differences": differences,
        "last_change": LogEntry.objects.get_for_object(current).select_related("actor").first(),
    }


def rebind(request, form, current):
    """The form bound to the user's input on top of `current`'s version: saving it again keeps
    the user's values."""
    return type(form)(data=with_version(request.POST, "version", current.version), instance=current)


def form_page(
    request,
    *,
    form,
    save: Callable,
    template: str,
    success_url: Callable,
    saved,
    context: dict | None = None,
    field_names=(),
    rebound: Callable | None = None,
    fallback_url: str = "",
    valid: Callable[[], bool] = lambda: True,
    on_invalid: Callable | None = None,
) -> HttpResponse:
    """A create or edit page: show the form; on a valid POST write once through `save(form)`.

    `success_url(obj)` is where a save leads; `saved` the message (a string, obj -> string, or
    None when the page it leads to says it).
    An edit form carries its version: `field_names` are compared for the 409 page, and
    `rebound(current)` gives the form to show there (default: the same form class on
    `current`, see `rebind`). `valid()` adds checks beyond the form (a formset);
    `on_invalid(form)` runs when the form comes back with errors.
    """
    if repeat := resent(request, fallback_url):
        return repeat
    context = dict(context or {})
    status = 200
    if request.method == "POST" and form.is_valid() and valid():
        outcome = save_once(request, form, save, result_url=success_url)
        if outcome.state == "saved":
            return _done(request, saved, outcome.value, success_url)
        if outcome.state == "repeat":
            return already_sent(request, outcome.value or fallback_url)
        if outcome.state == "conflict":
            current = outcome.value
            context["conflict"] = conflict_details(form, current, field_names)
            if context["conflict"] is None:  # the other save wrote exactly this
                return _done(request, saved, current, success_url)
            form = rebound(current) if rebound else rebind(request, form, current)
            form.is_valid()  # shows what would still be wrong with the user's input
            status = 409
    if request.method == "POST" and form.errors and on_invalid is not None:
        on_invalid(form)
    return render(request, template, {**context, "form": form}, status=status)


def _done(request, saved, obj, success_url) -> HttpResponse:
    if saved:
        messages.success(request, saved(obj) if callable(saved) else saved)
    return redirect(success_url(obj))


def act(request, action: Callable[[], Any], *, done=None) -> bool:
    """A button that runs one service (advance a match, approve a proposal): the service's
    refusal becomes an error message, its success the message `done` (a string, result ->
    string, or None when the page it leads to says it). True when it ran; the redirect stays
    the view's."""
    try:
        with transaction.atomic():
            result = action()
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return False
    if done:
        messages.success(request, done(result) if callable(done) else done)
    return True
