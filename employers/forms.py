from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from core import roles
from core.forms import VersionField, limit_to_current_municipalities
from core.idempotency import SubmitOnceFormMixin
from core.models import User
from core.validators import normalize_kvk, normalize_postcode
from employers import matching
from employers.models import (
    CandidateProfile,
    ConsentRecord,
    ContactPerson,
    Employer,
    EmployerContact,
    MatchStage,
    RejectionReason,
    Sector,
    Skill,
    SroiObligation,
    Vacancy,
)
from employers.services import EMPLOYER_FIELDS, PROFILE_FIELDS, VACANCY_FIELDS


def account_managers():
    """Who may be named account manager (of an employer, of a school leaver's conversation)."""
    return User.objects.filter(is_active=True, groups__name=roles.ACCOUNT_MANAGER).distinct()


def _loosen(form, name: str, length: int) -> None:
    """People type KvK numbers and postcodes with spaces or dots; clean_*() normalises them."""
    form.fields[name].max_length = length
    form.fields[name].validators = []
    form.fields[name].widget.attrs["maxlength"] = length


class EmployerForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = Employer
        fields = list(EMPLOYER_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_current_municipalities(self)
        _loosen(self, "kvk_number", 12)
        _loosen(self, "postcode", 10)
        self.fields["kvk_number"].widget.attrs["inputmode"] = "numeric"
        self.fields["account_manager"].queryset = account_managers()
        if self.instance.pk:
            self.fields["version"] = VersionField()
            self.initial.setdefault("version", self.instance.version)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("kvk_number", css_class="col-md-4")),
            Row(
                Column("address", css_class="col-md-6"),
                Column("postcode", css_class="col-md-2"),
                Column("municipality", css_class="col-md-4"),
            ),
            Row(
                Column("sbi_code", css_class="col-md-4"),
                Column("account_manager", css_class="col-md-4"),
                Column("social_enterprise", css_class="col-md-4 pt-md-4"),
            ),
            "notes",
            Submit("save", _("Save"), css_class="mt-2"),
        )

    def clean_kvk_number(self):
        value = (self.cleaned_data.get("kvk_number") or "").strip()
        return normalize_kvk(value) if value else None

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        return normalize_postcode(value) if value else ""

    def clean_sbi_code(self):
        value = (self.cleaned_data.get("sbi_code") or "").replace(".", "").strip()
        if value and not (value.isdigit() and 2 <= len(value) <= 5):
            raise forms.ValidationError(
                _("An SBI code has two to five digits, for example 5610."), code="sbi"
            )
        return value


class ContactPersonForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "role", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class EmployerContactForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = EmployerContact
        fields = ["date", "channel", "contact_person", "subject", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = employer.contact_persons.filter(active=True)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SroiObligationForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = SroiObligation
        fields = [
            "tender",
            "contract_value",
            "percentage",
            "placements_required",
            "start_date",
            "end_date",
            "notes",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "percentage": _("Either a percentage of the contract value..."),
            "placements_required": _("...or a number of placements."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if data.get("percentage") is None and data.get("placements_required") is None:
            self.add_error(
                "percentage",
                _("Give either a percentage of the contract value or a number of placements."),
            )
        elif data.get("percentage") is not None and data.get("placements_required") is not None:
            self.add_error(
                "placements_required",
                _("Give either a percentage of the contract value or a number of placements."),
            )
        return data


class VacancyForm(SubmitOnceFormMixin, forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        label=_("Required skills"),
        queryset=Skill.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Vacancy
        fields = [*VACANCY_FIELDS, "skills"]
        widgets = {
            "opened_on": DateInput(),
            "closes_on": DateInput(),
            "start_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_to_current_municipalities(self)
        _loosen(self, "postcode", 10)
        self.fields["sector"].queryset = Sector.objects.filter(active=True)
        if self.instance.pk:
            self.fields["version"] = VersionField()
            self.initial.setdefault("version", self.instance.version)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("title", css_class="col-md-8"), Column("status", css_class="col-md-4")),
            "description",
            Row(
                Column("sector", css_class="col-md-4"),
                Column("branch_team", css_class="col-md-4"),
                Column("hours_per_week", css_class="col-md-2"),
                Column("positions", css_class="col-md-2"),
            ),
            Row(
                Column("municipality", css_class="col-md-6"),
                Column("postcode", css_class="col-md-6"),
            ),
            Row(
                Column("opened_on", css_class="col-md-4"),
                Column("start_date", css_class="col-md-4"),
                Column("closes_on", css_class="col-md-4"),
            ),
            Fieldset(
                _("Requirements"),
                "skills",
                "driving_licence_required",
                "register_rule",
            ),
            Submit("save", _("Save"), css_class="mt-2"),
        )

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        return normalize_postcode(value) if value else ""


class CandidateProfileForm(SubmitOnceFormMixin, forms.ModelForm):
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors of interest"),
        queryset=Sector.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CandidateProfile
        fields = [*PROFILE_FIELDS, "sectors", "skills"]
        widgets = {"available_from": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driving_licence"].widget = forms.Select(
            choices=[("", _("Unknown")), (True, _("Yes")), (False, _("No"))]
        )
        self.fields["driving_licence"].required = False
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("hours_per_week", css_class="col-md-3"),
                Column("available_from", css_class="col-md-3"),
                Column("language_level", css_class="col-md-3"),
                Column("driving_licence", css_class="col-md-3"),
            ),
            Row(Column("sectors", css_class="col-md-6"), Column("skills", css_class="col-md-6")),
            "open_for_matching",
            Submit("save", _("Save"), css_class="mt-2"),
        )


class ConsentForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = ConsentRecord
        fields = ["given_on", "scope"]
        widgets = {"given_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MatchAdvanceForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=MatchStage.choices)
    rejection_reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=RejectionReason.objects.filter(active=True),
        required=False,
        empty_label=_("(only for a rejection)"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RankingForm(forms.Form):
    """The weights and filters of a ranking, from the query string."""

    max_distance_km = forms.IntegerField(
        label=_("Maximum distance (km)"), min_value=1, max_value=500, required=False
    )
    sector_required = forms.BooleanField(label=_("Only the vacancy's sector"), required=False)
    all_skills = forms.BooleanField(label=_("Only with all required skills"), required=False)
    driving_licence = forms.BooleanField(label=_("Only with a driving licence"), required=False)
    available_by = forms.DateField(label=_("Available by"), required=False, widget=DateInput())
    include_placed = forms.BooleanField(
        label=_("Also candidates who are placed"),
        required=False,
        help_text=_(
            "Candidates at work in a running placement are left out unless you tick this; "
            "then they are marked placed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in matching.CRITERIA.items():
            self.fields[f"w_{code}"] = forms.IntegerField(
                label=_("Weight: %(criterion)s") % {"criterion": label},
                min_value=0,
                max_value=100,
                required=False,
                initial=matching.default_weights()[code],
                widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            )

    def weights(self) -> dict[str, int]:
        defaults = matching.default_weights()
        data = self.cleaned_data if self.is_valid() else {}
        return {
            code: data.get(f"w_{code}") if data.get(f"w_{code}") is not None else defaults[code]
            for code in matching.CRITERIA
        }

    def filters(self) -> matching.Filters:
        if not self.is_valid():
            return matching.Filters()
        data = self.cleaned_data
        return matching.Filters(
            max_distance_km=data.get("max_distance_km"),
            sector_required=bool(data.get("sector_required")),
            all_skills=bool(data.get("all_skills")),
            driving_licence=bool(data.get("driving_licence")),
            available_by=data.get("available_by"),
            include_placed=bool(data.get("include_placed")),
        )
