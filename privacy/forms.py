from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.validators import normalize_bsn, validate_bsn


class ClientByBsnForm(forms.Form):
    """Find the client of a right-of-access request by BSN (posted: a BSN is never in a URL)."""

    bsn = forms.CharField(
        label=_("BSN of the client"),
        max_length=11,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = None
        self.helper = FormHelper()
        self.helper.layout = Layout("bsn", Submit("search", _("Find client")))

    def clean_bsn(self):
        bsn = normalize_bsn(self.cleaned_data["bsn"])
        validate_bsn(bsn)
        self.client = Client.objects.select_related("municipality").filter(bsn=bsn).first()
        if self.client is None:
            raise forms.ValidationError(_("No client with this BSN is registered."))
        return bsn


class ApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked this list: these clients may be anonymised"),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you checked the list.")},
    )
