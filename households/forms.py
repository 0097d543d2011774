from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clients import duplicates
from clients.forms import DateInput, require_confirmation
from core.idempotency import SubmitOnceFormMixin
from core.validators import normalize_bsn, validate_bsn
from households.models import HouseholdMember, Relation


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*layout)
    return helper


class MemberForm(SubmitOnceFormMixin, forms.ModelForm):
    """A household member without a dossier of their own: who they are to the client."""

    class Meta:
        model = HouseholdMember
        fields = [
            "relation",
            "first_name",
            "name_prefix",
            "last_name",
            "birth_date",
            "obligation",
            "notes",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        linked = self.instance.pk and self.instance.member_id
        if linked:  # the member's own dossier holds their name and birth date
            for name in ("first_name", "name_prefix", "last_name", "birth_date"):
                del self.fields[name]
        else:
            self.fields["last_name"].required = True
        self.helper = _helper(
            "relation",
            *(
                []
                if linked
                else [
                    Row(
                        Column("first_name", css_class="col-sm-5"),
                        Column("name_prefix", css_class="col-sm-2"),
                        Column("last_name", css_class="col-sm-5"),
                    ),
                    "birth_date",
                ]
            ),
            "obligation",
            "notes",
        )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class LinkForm(SubmitOnceFormMixin, forms.Form):
    """Link a client who has a dossier already, by client number."""

    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)
    number = forms.IntegerField(
        label=_("Client number"),
        min_value=1,
        help_text=_("The number at the top of the other client's dossier."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, clients, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.clients = clients
        self.client = client
        self.helper = _helper("relation", "number", "notes")

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number == self.client.pk:
            raise ValidationError(_("This is the client's own number."))
        member = self.clients.filter(pk=number).first()
        if member is None:
            raise ValidationError(
                _("No client with this number in your caseload or your teams' clients.")
            )
        self.cleaned_data["member"] = member
        return number


class BecomeClientForm(SubmitOnceFormMixin, forms.Form):
    """What a new dossier needs beyond what the household row holds, with the checks of
    registration (clients.duplicates): a BSN registered already is refused with where that
    dossier is, and a client born the same day with a similar name must be confirmed to be
    someone else."""

    bsn = forms.CharField(label=_("BSN"), max_length=11)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    other_person = forms.BooleanField(
        label=_("This is another person, register anyway"), required=False
    )

    def __init__(self, *args, row, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.row, self.user = row, user
        self.duplicate_candidates = []
        self.helper = _helper(
            Row(Column("bsn", css_class="col-sm-6"), Column("birth_date", css_class="col-sm-6")),
            Row(Column("email", css_class="col-sm-6"), Column("phone", css_class="col-sm-6")),
            HTML('{% include "clients/_duplicates.html" %}'),
        )

    def clean_bsn(self):
        bsn = normalize_bsn(self.cleaned_data["bsn"])
        validate_bsn(bsn)
        if owner := duplicates.bsn_owner(bsn):
            raise ValidationError(duplicates.bsn_taken_message(owner, self.user), code="unique")
        return bsn

    def clean(self):
        data = super().clean()
        confirmed = data.pop("other_person", False)  # not for the service
        if data.get("birth_date"):
            self.duplicate_candidates = duplicates.near_duplicates(
                user=self.user,
                first_name=self.row.first_name,
                name_prefix=self.row.name_prefix,
                last_name=self.row.last_name,
                birth_date=data["birth_date"],
            )
        require_confirmation(self, confirmed)
        return data
