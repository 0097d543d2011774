from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.validators import normalize_bsn, validate_bsn


class ClientFindForm(forms.Form):
    """Find a client by BSN or by client number. Posted: a BSN never goes into a URL."""

    bsn = forms.CharField(
        label=_("BSN"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    number = forms.IntegerField(label=_("Client number"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = None
        self.helper = FormHelper()
        self.helper.layout = Layout("bsn", "number", Submit("find", _("Find")))

    def clean_bsn(self):
        if not self.cleaned_data["bsn"].strip():
            return ""  # normalize_bsn would pad an empty value to nine zeros
        bsn = normalize_bsn(self.cleaned_data["bsn"])
        validate_bsn(bsn)
        return bsn

    def clean(self):
        data = super().clean()
        bsn, number = data.get("bsn"), data.get("number")
        if self.errors:
            return data
        if bool(bsn) == bool(number):
            raise ValidationError(_("Fill in either a BSN or a client number."))
        lookup = {"bsn": bsn} if bsn else {"pk": number}
        self.client = Client.objects.filter(**lookup).only("pk").first()
        if self.client is None:
            field = "bsn" if bsn else "number"
            self.add_error(
                field, _("No client has this BSN.") if bsn else _("No client has this number.")
            )
        return data
