"""Double submits write once: a create form carries a token, and each token is used once.

A double-clicked submit, a browser resubmit or a retried request sends the same token again.
The token row is inserted first, inside the same transaction as the write, so on PostgreSQL
a second request waits for the first to commit and then finds the token taken; on SQLite the
IMMEDIATE transactions serialise the two. Either way the second one writes nothing.
"""

import datetime
import uuid
from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import SubmissionToken

FIELD = "submission_token"


class AlreadySubmitted(Exception):
    """This form was submitted before; `result_url` is where its result can be seen."""

    def __init__(self, result_url: str):
        super().__init__(result_url)
        self.result_url = result_url


class SubmitOnceFormMixin:
    """Adds the hidden once-only token to a form; `pop_submission_token()` takes it back out.

    A post without a well-formed token is refused: without one nothing could tell a resent
    form from a new one, so a script or a stripped form would save on every send.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = forms.UUIDField(
            widget=forms.HiddenInput, initial=uuid.uuid4, required=False
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.cleaned_data.get(FIELD) is None:
            # Missing or malformed: one message at the top of the form, where the user reads
            # it, not on the hidden field.
            self.errors.pop(FIELD, None)
            raise ValidationError(
                _("This form has expired or is incomplete; reload the page."),
                code="submission_token",
            )
        return cleaned_data

    # Forms build their crispy helper after __init__ and list their fields in its layout;
    # whatever helper they set renders the hidden token too.
    @property
    def helper(self):
        return self._crispy_helper

    @helper.setter
    def helper(self, value):
        value.render_hidden_fields = True
        self._crispy_helper = value

    def pop_submission_token(self) -> uuid.UUID | None:
        return self.cleaned_data.pop(FIELD, None)


def earlier_result(request) -> str | None:
    """If this request repeats a form already saved, where its result is; None otherwise.

    Checked before validation: a repeated registration would otherwise fail validation on its
    own first copy ("this BSN is already registered") instead of showing the saved client.
    """
    try:
        token = uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None
    previous = SubmissionToken.objects.filter(token=token, user=request.user).first()
    return previous.result_url if previous else None


@contextmanager
def submitted_once(*, user, token: uuid.UUID | None):
    """Run the block in a transaction, once per token; a repeat raises AlreadySubmitted.

    Yields the token row (None without a token) so the caller can `remember_result()`.
    """
    with transaction.atomic():
        record = None
        if token is not None:
            try:
                with transaction.atomic():
                    record = SubmissionToken.objects.create(token=token, user=user)
            except IntegrityError:
                previous = SubmissionToken.objects.filter(token=token, user=user).first()
                raise AlreadySubmitted(previous.result_url if previous else "") from None
        yield record


def remember_result(record: SubmissionToken | None, url: str) -> None:
    """Store where the result of a once-only submit is, for a repeat to be sent there."""
    if record is not None:
        record.result_url = url
        record.save(update_fields=["result_url"])


def forget_old_tokens(*, older_than: datetime.timedelta = datetime.timedelta(days=2)) -> int:
    deleted, _per_model = SubmissionToken.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
