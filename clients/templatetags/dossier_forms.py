"""`{% crispy_blank form %}`: `{% crispy form %}` for the dossier's empty inline forms, drawn
once per process instead of on every view.

Crispy renders a form through a template per field and per widget: about a quarter of the
dossier's rendering time for its two small forms (issue 20). An unbound form of static choices
renders the same HTML for every client and every user, except its once-only submission token
(core.idempotency) and what its initial values (today's date) and the language make of it; so
its HTML is kept under those, and the token and the CSRF token (crispy's form template writes
one even without a form tag) are put in afresh. A bound form (its errors), a form
with initial data or a prefix, a form tag or choices read from the
database render through crispy as before.
"""

import re

from crispy_forms.templatetags.crispy_forms_tags import CrispyFormNode
from django import forms, template
from django.template.defaulttags import CsrfTokenNode
from django.utils import translation
from django.utils.choices import CallableChoiceIterator
from django.utils.safestring import mark_safe

from core.idempotency import FIELD

register = template.Library()

_drawn: dict = {}
# Placeholders in the kept HTML: this view's submission token and CSRF input go there.
_TOKEN = "\x00submission-token\x00"
_CSRF = "\x00csrf-input\x00"
_CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
_LIMIT = 64  # keys change with the date and the language: a handful a day


def _key(context, form):
    """What the HTML of `form` depends on, or None if it may depend on more."""
    helper = getattr(form, "helper", None)
    if form.is_bound or form.initial or form.prefix or helper is None or helper.form_tag:
        return None
    initials = []
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField) or isinstance(
            getattr(field, "choices", None), CallableChoiceIterator
        ):
            return None  # choices from the database
        if name != FIELD:
            initials.append((name, form[name].initial))
    csrf = context.get("csrf_token") not in (None, "", "NOTPROVIDED")
    key = (type(form), form.auto_id, translation.get_language(), csrf, tuple(initials))
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _crispy(context, form) -> str:
    """What `{% crispy form %}` renders in this context."""
    with context.push(crispy_blank_form=form):
        return CrispyFormNode("crispy_blank_form", None).render(context)


@register.simple_tag(takes_context=True)
def crispy_blank(context, form):
    key = _key(context, form)
    token = str(form[FIELD].value()) if FIELD in form.fields else None
    # One read: another thread may empty _drawn between a test and a read.
    html = _drawn.get(key) if key is not None else None
    if html is not None:
        if token:
            html = html.replace(_TOKEN, token)
        return mark_safe(html.replace(_CSRF, CsrfTokenNode().render(context)))
    html = _crispy(context, form)
    if key is not None and (token is None or html.count(token) == 1):
        kept = _CSRF_INPUT.sub(_CSRF, html.replace(token, _TOKEN) if token else html)
        csrf = str(context.get("csrf_token") or "")
        # Never keep this session's CSRF token (should crispy ever write it otherwise).
        if not csrf or csrf == "NOTPROVIDED" or csrf not in kept:
            if len(_drawn) >= _LIMIT:
                _drawn.clear()
            _drawn[key] = kept
    return mark_safe(html)
