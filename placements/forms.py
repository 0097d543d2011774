"""Forms of placements, wage-value assessments, provisions and the subsidy calculator.

Every form re-renders bound on an error, with the message next to its field; each writes through
placements.services. Decimal fields take a Dutch decimal comma (`localize`).
"""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from core.forms import VersionField
from core.idempotency import SubmitOnceFormMixin
from employers.models import Employer
from placements.models import (
    AssessmentTask,
    Contract,
    Decision,
    FollowUpKind,
    Placement,
    Provision,
    ProvisionKind,
    WageValueAssessment,
)
from placements.services import ASSESSMENT_FIELDS, PLACEMENT_FIELDS, PROVISION_FIELDS
from placements.wage_value import MINIMUM_SHARE

HOURS_MESSAGE = _("Hours per week must be more than 0 and at most 40.")
# Validator messages are %-formatted with the limit: a literal percent sign is written %%.
PERCENT_MESSAGE = _("The wage value must be between 0 and 100%%.")
SCORE_MESSAGE = _("A score must be between 0 and 100%%.")


def _helper(layout: Layout) -> FormHelper:
    """The form tag and the buttons are in the template; the layout is the form's own."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = layout
    return helper


def _localize_decimals(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DecimalField):
            # A text input: a number input cannot show (or take) a decimal comma.
            attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("step", "min", "max")}
            field.localize = True
            field.widget = forms.TextInput(attrs={**attrs, "inputmode": "decimal"})
            field.widget.is_localized = True


def _add_version(form) -> None:
    if form.instance.pk:
        # The version the user started from: a save over someone else's change is refused.
        form.fields["version"] = VersionField()
        form.initial.setdefault("version", form.instance.version)


def _percent_field(label, message, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0, message), MaxValueValidator(100, message)],
        **kwargs,
    )


class PlacementForm(forms.ModelForm):
    """Place a client with an employer, or change the placement."""

    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        max_digits=4,
        decimal_places=2,
        help_text=_("Contract hours per week: more than 0, at most 40."),
        validators=[MinValueValidator(Decimal("0.01"), HOURS_MESSAGE)],
        error_messages={"max_digits": HOURS_MESSAGE, "max_whole_digits": HOURS_MESSAGE},
    )

    class Meta:
        model = Placement
        fields = PLACEMENT_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "contract_end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, employers=None, clients=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = (
            employers if employers is not None else Employer.objects.order_by("name", "pk")
        )
        if clients is not None:
            # Without a client from the dossier: choose one (an account manager's candidates).
            self.fields = {
                "candidate": forms.ModelChoiceField(
                    label=_("Client"), queryset=clients.order_by("last_name", "first_name", "pk")
                ),
                **self.fields,
            }
        _localize_decimals(self)
        _add_version(self)
        self.helper = _helper(
            Layout(
                *(["candidate"] if clients is not None else []),
                Row(
                    Column("employer", css_class="col-md-6"),
                    Column("kind", css_class="col-md-6"),
                ),
                Row(
                    Column("job_title", css_class="col-md-6"),
                    Column("start_date", css_class="col-md-3"),
                    Column("end_date", css_class="col-md-3"),
                ),
                Row(
                    Column("contract", css_class="col-md-4"),
                    Column("contract_end_date", css_class="col-md-4"),
                    Column("hours_per_week", css_class="col-md-2"),
                    Column("hourly_wage", css_class="col-md-2"),
                ),
                Row(
                    Column("sroi", css_class="col-md-6"),
                    Column("end_reason", css_class="col-md-6"),
                ),
                "notes",
                *(["version"] if "version" in self.fields else []),
            )
        )

    def clean_hours_per_week(self):
        value = self.cleaned_data["hours_per_week"]
        if value is not None and not (0 < value <= 40):
            raise ValidationError(HOURS_MESSAGE, code="hours_range")
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                ValidationError(
                    _("The end date cannot be before the start date (%(start)s).")
                    % {"start": f"{start:%d-%m-%Y}"},
                    code="end_before_start",
                ),
            )
        contract_end = data.get("contract_end_date")
        if start and contract_end and contract_end < start:
            self.add_error(
                "contract_end_date",
                ValidationError(
                    _("The contract cannot end before the placement starts."),
                    code="contract_end_before_start",
                ),
            )
        contract = data.get("contract")
        if contract == Contract.TEMPORARY and not contract_end:
            self.add_error(
                "contract_end_date",
                ValidationError(
                    _("A temporary contract needs its end date, so aftercare can plan for it."),
                    code="contract_end_required",
                ),
            )
        if contract_end and contract != Contract.TEMPORARY:
            self.add_error(
                "contract_end_date",
                ValidationError(
                    _("Only a temporary contract has an end date; leave it empty."),
                    code="contract_end_not_temporary",
                ),
            )
        if end and not data.get("end_reason"):
            self.add_error(
                "end_reason",
                ValidationError(_("Give the reason the placement ended."), code="end_reason"),
            )
        if data.get("end_reason") and not end:
            self.add_error(
                "end_date",
                ValidationError(
                    _("A reason is given: give the end date too, or clear the reason."),
                    code="end_date_required",
                ),
            )
        return data

    def validate_constraints(self, exclude=None):
        # clean() gives each rule its own message next to its field; the database still checks.
        pass


class PlacementCreateForm(SubmitOnceFormMixin, PlacementForm):
    pass


class AssessmentForm(forms.ModelForm):
    """A wage-value assessment; with main tasks filled in, the percentage is computed from them."""

    wage_value_percent = _percent_field(
        _("Wage value (%)"),
        PERCENT_MESSAGE,
        required=False,
        help_text=_(
            "Percentage of a regular employee's output in the same job: 0 to 100. Leave empty "
            "when you fill in the main tasks below: it is computed from them."
        ),
    )

    class Meta:
        model = WageValueAssessment
        fields = ASSESSMENT_FIELDS
        widgets = {"assessed_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = Placement.objects.filter(client=client).select_related(
            "employer"
        )
        _localize_decimals(self)
        _add_version(self)
        self.helper = _helper(
            Layout(
                Row(
                    Column("assessed_on", css_class="col-md-4"),
                    Column("placement", css_class="col-md-8"),
                ),
                Row(
                    Column("method", css_class="col-md-6"),
                    Column("assessor", css_class="col-md-6"),
                ),
                Row(
                    Column("reference_job", css_class="col-md-6"),
                    Column("wage_value_percent", css_class="col-md-6"),
                ),
                "notes",
                *(["version"] if "version" in self.fields else []),
            )
        )

    def validate_constraints(self, exclude=None):
        pass


class AssessmentCreateForm(SubmitOnceFormMixin, AssessmentForm):
    pass


class TaskForm(forms.ModelForm):
    """One main task: its share of the work and its three scores against the reference job."""

    share_percent = forms.DecimalField(
        label=_("Share of the work (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(
                MINIMUM_SHARE,
                _("A main task takes at least 1/16 of the weekly hours (6.25%%)."),
            ),
            MaxValueValidator(100, _("A share is at most 100%%.")),
        ],
    )
    quality_percent = _percent_field(_("Quality (%)"), SCORE_MESSAGE, required=False)
    pace_percent = _percent_field(_("Pace (%)"), SCORE_MESSAGE, required=False)
    employability_percent = _percent_field(_("Employability (%)"), SCORE_MESSAGE, required=False)

    class Meta:
        model = AssessmentTask
        fields = [
            "description",
            "share_percent",
            "quality_percent",
            "pace_percent",
            "employability_percent",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = False
        _localize_decimals(self)

    def clean(self):
        data = super().clean()
        numbers = ("share_percent", "quality_percent", "pace_percent", "employability_percent")
        filled = data.get("description") or any(data.get(n) is not None for n in numbers)
        if not filled:
            return data
        if not data.get("description"):
            self.add_error("description", _("Describe the main task."))
        for name in numbers:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("Fill in every score of a main task."))
        return data

    def validate_constraints(self, exclude=None):
        pass

    def task(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("description"):
            return None
        return {
            "description": data["description"],
            "share_percent": data["share_percent"],
            "quality_percent": data["quality_percent"],
            "pace_percent": data["pace_percent"],
            "employability_percent": data["employability_percent"],
        }


class BaseTaskFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        shares = [f.task()["share_percent"] for f in self.forms if f.task()]
        if shares and sum(shares) != 100:
            raise ValidationError(
                _("The shares of the main tasks add up to %(total)s%%; they must add up to 100%%.")
                % {"total": sum(shares)},
                code="shares_total",
            )

    def tasks(self) -> list[dict]:
        return [t for t in (f.task() for f in self.forms) if t]


# The national method scores at most five main tasks.
TaskFormSet = forms.formset_factory(
    TaskForm, formset=BaseTaskFormSet, extra=0, min_num=5, max_num=5, validate_max=True
)


def task_formset(data=None, *, assessment: WageValueAssessment | None = None) -> BaseTaskFormSet:
    initial = []
    if assessment is not None and assessment.pk:
        initial = [
            {
                "description": t.description,
                "share_percent": t.share_percent,
                "quality_percent": t.quality_percent,
                "pace_percent": t.pace_percent,
                "employability_percent": t.employability_percent,
            }
            for t in assessment.tasks.all()
        ]
    return TaskFormSet(data, initial=initial, prefix="tasks")


class ProvisionForm(forms.ModelForm):
    """A provision: request, decision, period, amount, re-assessment (and job-coach details)."""

    amount_eur = forms.DecimalField(
        label=_("Amount (EUR)"),
        required=False,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0, _("The amount cannot be negative."))],
        help_text=_("For a wage-cost subsidy: the amount per month."),
    )

    class Meta:
        model = Provision
        fields = PROVISION_FIELDS
        widgets = {
            "requested_on": DateInput(),
            "decided_on": DateInput(),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "reassess_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = Placement.objects.filter(client=client).select_related(
            "employer"
        )
        self.fields["requested_on"].required = True
        _localize_decimals(self)
        _add_version(self)
        self.helper = _helper(
            Layout(
                Row(
                    Column("kind", css_class="col-md-6"),
                    Column("placement", css_class="col-md-6"),
                ),
                Row(
                    Column("requested_on", css_class="col-md-4"),
                    Column("decision", css_class="col-md-4"),
                    Column("decided_on", css_class="col-md-4"),
                ),
                Row(
                    Column("start_date", css_class="col-md-4"),
                    Column("end_date", css_class="col-md-4"),
                    Column("reassess_on", css_class="col-md-4"),
                ),
                Row(Column("amount_eur", css_class="col-md-4")),
                Fieldset(
                    _("Job coach"),
                    Row(
                        Column("job_coach_kind", css_class="col-md-6"),
                        Column("job_coach_hours", css_class="col-md-6"),
                    ),
                ),
                "notes",
                *(["version"] if "version" in self.fields else []),
            )
        )

    def clean(self):
        data = super().clean()
        decision, decided_on = data.get("decision"), data.get("decided_on")
        if decision in (Decision.GRANTED, Decision.REFUSED) and not decided_on:
            self.add_error("decided_on", _("Give the date of the decision."))
        if decision == Decision.PENDING and decided_on:
            self.add_error(
                "decided_on", _("A pending request has no decision date; choose the decision.")
            )
        requested = data.get("requested_on")
        if requested and decided_on and decided_on < requested:
            self.add_error("decided_on", _("A decision cannot come before the request."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The end date cannot be before the start date (%(start)s).")
                % {"start": f"{start:%d-%m-%Y}"},
            )
        if data.get("kind") != ProvisionKind.JOB_COACH:
            for name in ("job_coach_kind", "job_coach_hours"):
                if data.get(name):
                    self.add_error(name, _("Only for a job coach; leave it empty."))
        elif not data.get("job_coach_kind"):
            self.add_error("job_coach_kind", _("Choose an internal or external job coach."))
        hours = data.get("job_coach_hours")
        if hours is not None and hours <= 0:
            self.add_error("job_coach_hours", _("Job-coach hours must be more than 0."))
        return data

    def validate_constraints(self, exclude=None):
        pass


class ProvisionCreateForm(SubmitOnceFormMixin, ProvisionForm):
    pass


class CalculatorForm(SubmitOnceFormMixin, forms.Form):
    """The inputs of the wage-cost subsidy calculation (the parameters come from the table)."""

    reference_date = forms.DateField(
        label=_("Start date of the subsidy"),
        widget=DateInput(),
        help_text=_("The minimum wage in force on this date is used."),
    )
    wage_value_percent = _percent_field(_("Wage value (%)"), PERCENT_MESSAGE)
    contract_hours = forms.DecimalField(
        label=_("Contract hours per week"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), HOURS_MESSAGE),
            MaxValueValidator(40, HOURS_MESSAGE),
        ],
    )
    full_time_hours = forms.DecimalField(
        label=_("Full-time hours per week at this employer"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), HOURS_MESSAGE),
            MaxValueValidator(40, HOURS_MESSAGE),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _localize_decimals(self)
        self.helper = _helper(
            Layout(
                Row(
                    Column("reference_date", css_class="col-md-3"),
                    Column("wage_value_percent", css_class="col-md-3"),
                    Column("contract_hours", css_class="col-md-3"),
                    Column("full_time_hours", css_class="col-md-3"),
                )
            )
        )

    def clean(self):
        data = super().clean()
        hours, full_time = data.get("contract_hours"), data.get("full_time_hours")
        if hours and full_time and hours > full_time:
            self.add_error(
                "contract_hours", _("The contract hours cannot exceed the full-time hours.")
            )
        return data


class FollowUpDoneForm(forms.Form):
    """Which due aftercare item is done: its kind, its placement or provision, its date."""

    kind = forms.ChoiceField(choices=FollowUpKind.choices)
    placement = forms.IntegerField(required=False)
    provision = forms.IntegerField(required=False)
    due_on = forms.DateField()

    def clean(self):
        data = super().clean()
        if bool(data.get("placement")) == bool(data.get("provision")):
            raise ValidationError("one of placement and provision", code="subject")
        return data
