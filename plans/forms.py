import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput, not_in_future
from core.idempotency import SubmitOnceFormMixin

# The review date the form suggests: half a year on, as the participation ladder is measured at
# least twice a year (DOMAIN.md); the coach chooses the day.
SUGGESTED_REVIEW = datetime.timedelta(days=182)


def suggested_review_on() -> datetime.date:
    return timezone.localdate() + SUGGESTED_REVIEW


class PlanVersionForm(SubmitOnceFormMixin, forms.Form):
    """A new version of the plan: the agreements in the coach's words and the review date; the
    goals and activities come from the trajectory."""

    agreements = forms.CharField(
        label=_("Agreements"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=5000,
        help_text=_(
            "What the client does and what we do. Write short sentences and say 'u': the "
            "client reads this."
        ),
    )
    review_on = forms.DateField(
        label=_("We look at the plan again on"), widget=DateInput(), initial=suggested_review_on
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("agreements", "review_on")

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(
                _("The plan is looked at again on a day after it is made."), code="past"
            )
        return value


class PlanSignForm(SubmitOnceFormMixin, forms.Form):
    signed_on = forms.DateField(
        label=_("Signed by the client on"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("signed_on")

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        not_in_future(value, _("The day of signing cannot be in the future."))
        return value
