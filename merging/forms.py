from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from core.idempotency import SubmitOnceFormMixin


class ClientNumberField(forms.IntegerField):
    """A client's number, as the dossier and the access pages show it: a client that exists
    and is not anonymised (an anonymised dossier cannot change)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        number = super().clean(value)
        client = Client.objects.select_related("team", "municipality").filter(pk=number).first()
        if client is None:
            raise ValidationError(_("There is no client with this number."), code="missing")
        if client.is_anonymised:
            raise ValidationError(
                _("This client is anonymised and cannot be merged."), code="anonymised"
            )
        return client


class MergePickForm(forms.Form):
    """The two dossiers: the one to keep and the one to merge into it (sent by GET)."""

    keep = ClientNumberField(label=_("Number of the dossier to keep"))
    merge = ClientNumberField(label=_("Number of the dossier to merge into it"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(Column("keep", css_class="col-md-4"), Column("merge", css_class="col-md-4")),
            Submit("show", _("Compare"), css_class="btn-secondary"),
        )

    def clean(self):
        data = super().clean()
        keep, merge = data.get("keep"), data.get("merge")
        if keep and merge and keep.pk == merge.pk:
            self.add_error("merge", ValidationError(_("Choose two different dossiers."), "same"))
        return data


class MergeForm(SubmitOnceFormMixin, MergePickForm):
    """The confirmation: the two dossiers again (hidden) and the reason."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why these are the same person, e.g. how it was checked."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].widget = forms.HiddenInput()
        self.fields["merge"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.form_action = "merging:merge"
        self.helper.layout = Layout(
            "keep",
            "merge",
            "reason",
            Submit("save", _("Merge the dossiers"), css_class="btn-danger"),
        )
