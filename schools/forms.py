from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.duplicates import bsn_owner, bsn_taken_message
from clients.forms import DateInput, datalist, typed_names
from clients.models import Route
from core.forms import limit_to_current_municipalities
from core.idempotency import SubmitOnceFormMixin
from core.models import Municipality, Team, User
from core.validators import normalize_bsn, normalize_postcode, validate_bsn
from employers.forms import account_managers
from schools.models import Advice, ExitConversation, Leaver, School
from schools.services import LEAVER_FIELDS


def _helper(layout=None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    if layout is not None:
        helper.layout = layout
    return helper


def clean_bsn_value(value: str) -> str:
    """A BSN as typed (with spaces or dots) as nine digits, or '' when none was typed."""
    if not (value or "").strip():
        return ""  # stdnum would pad an empty value to nine zeros
    value = normalize_bsn(value)
    validate_bsn(value)
    return value


class SchoolForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = School
        fields = [
            "name",
            "kind",
            "municipality",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_current_municipalities(self)
        self.helper = _helper(
            Layout(
                Row(Column("name", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
                Row(
                    Column("municipality", css_class="col-md-4"),
                    Column("address", css_class="col-md-8"),
                ),
                Fieldset(
                    _("Contact person at the school"),
                    Row(
                        Column("contact_name", css_class="col-md-4"),
                        Column("contact_email", css_class="col-md-4"),
                        Column("contact_phone", css_class="col-md-4"),
                    ),
                ),
                "active",
            )
        )


class LeaverForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = Leaver
        fields = list(LEAVER_FIELDS)  # what services.leaver_save takes
        widgets = {
            "birth_date": DateInput(),
            "expected_leaving_date": DateInput(),
            "bsn": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"bsn": _("If known; otherwise it is asked when the pupil becomes a client.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # People type BSNs and postcodes with spaces or dots; clean_*() normalises them.
        for name, length in (("bsn", 13), ("postcode", 10)):
            self.fields[name].max_length = length
            self.fields[name].validators = []
            self.fields[name].widget.attrs["maxlength"] = length
        held = self.instance.school_id
        self.fields["school"].queryset = School.objects.filter(active=True) | School.objects.filter(
            pk=held
        )
        self.fields["school_year"].widget.attrs.update({"min": 2000, "step": 1})
        if not self.instance.pk:
            self.initial.setdefault("school_year", timezone.localdate().year)
        limit_to_current_municipalities(self)
        self.fields["municipality"].required = False
        self.helper = _helper(
            Layout(
                Row(
                    Column("school", css_class="col-md-8"),
                    Column("school_year", css_class="col-md-4"),
                ),
                Fieldset(
                    _("The pupil"),
                    Row(
                        Column("first_name", css_class="col-md-5"),
                        Column("name_prefix", css_class="col-md-2"),
                        Column("last_name", css_class="col-md-5"),
                    ),
                    Row(
                        Column("birth_date", css_class="col-md-6"),
                        Column("bsn", css_class="col-md-6"),
                    ),
                ),
                Fieldset(
                    _("Contact details"),
                    Row(
                        Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")
                    ),
                    Row(
                        Column("address", css_class="col-md-6"),
                        Column("postcode", css_class="col-md-2"),
                        Column("municipality", css_class="col-md-4"),
                    ),
                ),
                "expected_leaving_date",
                "notes",
            )
        )

    def clean_bsn(self):
        return clean_bsn_value(self.cleaned_data["bsn"])

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        return normalize_postcode(value) if value else ""


class ExitConversationForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = ExitConversation
        fields = [
            "held_on",
            "school_contact",
            "job_coach",
            "account_manager",
            "advice",
            "route",
            "explanation",
        ]
        widgets = {
            "held_on": DateInput(),
            "advice": forms.RadioSelect,
            "explanation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_coach"].required = True
        self.fields["job_coach"].help_text = _(
            "Becomes the client's work coach when the pupil becomes a client (you can change it "
            "then)."
        )
        typed_names(self, "conversation", coaches=["job_coach"])
        self.fields["account_manager"].queryset = account_managers()
        self.fields["route"].choices = [("", _("(only with the advice 'a route')")), *Route.choices]
        self.fields["route"].required = False
        self.fields["advice"].choices = Advice.choices  # radio buttons, without a blank one
        if not self.initial.get("held_on"):
            self.initial["held_on"] = timezone.localdate()
        self.helper = _helper(
            Layout(
                Row(
                    Column("held_on", css_class="col-md-4"),
                    Column("school_contact", css_class="col-md-8"),
                ),
                Row(
                    Column(
                        "job_coach", datalist("conversation", "job_coach"), css_class="col-md-6"
                    ),
                    Column("account_manager", css_class="col-md-6"),
                ),
                "advice",
                "route",
                "explanation",
            )
        )

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if value and value > timezone.localdate():
            raise ValidationError(
                _("An exit conversation is recorded once it was held; the date is in the future."),
                code="future",
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("advice") == Advice.ROUTE and not data.get("route"):
            self.add_error("route", _("Choose the route the pupil is advised."))
        elif data.get("advice") and data.get("advice") != Advice.ROUTE:
            data["route"] = ""
        return data

    def validate_constraints(self, exclude=None):
        # clean() already put the route's message next to its field.
        if self.errors:
            return
        super().validate_constraints(exclude=exclude)


class BecomeClientForm(SubmitOnceFormMixin, forms.Form):
    """What the client needs that the pupil may lack, filled in with what is known."""

    bsn = forms.CharField(
        label=_("BSN"),
        max_length=13,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all())
    coach = forms.ModelChoiceField(
        label=_("Work coach"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Empty: the client is the team's, without a coach of their own."),
    )
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())

    def __init__(self, *args, user=None, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.candidates = list(candidates)  # clients of the same birth date and a similar name
        self.fields["municipality"].queryset = Municipality.objects.current()
        typed_names(self, "become", teams=["team"], coaches=["coach"])
        rows = [
            Row(Column("bsn", css_class="col-md-6"), Column("municipality", css_class="col-md-6")),
            Row(
                Column("team", datalist("become", "team"), css_class="col-md-6"),
                Column("coach", datalist("become", "coach"), css_class="col-md-6"),
            ),
            Row(Column("registered_on", css_class="col-md-6")),
        ]
        if self.candidates:
            self.fields["other_person"] = forms.BooleanField(
                label=_("I checked the clients above: the pupil is another person."),
                required=True,
                error_messages={
                    "required": _("Check the clients above, and tick this if it is another person.")
                },
            )
            rows.append("other_person")
        self.helper = _helper(Layout(*rows))

    def clean_bsn(self):
        value = clean_bsn_value(self.cleaned_data["bsn"])
        if not value:
            raise ValidationError(_("A client needs a BSN."), code="required")
        owner = bsn_owner(value)
        if owner is not None:  # a link when the user may open it, else whom to ask
            raise ValidationError(bsn_taken_message(owner, self.user), code="unique")
        return value

    def clean(self):
        data = super().clean()
        data.pop("other_person", None)  # a check for the user, not data for the service
        return data

    def clean_registered_on(self):
        value = self.cleaned_data["registered_on"]
        if value and value > timezone.localdate():
            raise ValidationError(
                _("The registration date cannot be in the future."), code="future"
            )
        return value


class YearForm(forms.Form):
    """The year selector of the overview."""

    year = forms.TypedChoiceField(label=_("Year of leaving"), coerce=int, choices=())

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
