import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.idempotency import SubmitOnceFormMixin
from reporting.kpis import Period
from reporting.models import CostParameter, RunKind

FIRST_YEAR = 2000


def _at_most_this_year(field: forms.IntegerField) -> None:
    """Limit a year field to this year: later years have no figures yet."""
    this_year = timezone.localdate().year
    field.validators.append(MaxValueValidator(this_year))
    field.widget.attrs["max"] = this_year


class ReportRequestForm(SubmitOnceFormMixin, forms.Form):
    """A year, or any period (both days included)."""

    kind = forms.ChoiceField(
        label=_("Report"),
        choices=[(RunKind.YEAR, _("Annual report")), (RunKind.PERIOD, _("Another period"))],
        initial=RunKind.YEAR,
        widget=forms.RadioSelect,
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_YEAR,
        help_text=_("For an annual report."),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For another period: the first day."),
    )
    end = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For another period: the last day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year - 1
        _at_most_this_year(self.fields["year"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == RunKind.YEAR:
            if data.get("year") is None and "year" not in self.errors:
                self.add_error("year", _("Choose the year of the annual report."))
            elif data.get("year") is not None:
                data["period"] = Period.year(data["year"])
        elif data.get("kind") == RunKind.PERIOD:
            start, end = data.get("start"), data.get("end")
            for name in ("start", "end"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Fill in both days of the period."))
            if start and end:
                if end < start:
                    raise ValidationError(_("The period cannot end before it starts."))
                if start.year < FIRST_YEAR:
                    raise ValidationError(_("Choose a period from the year 2000 on."))
                data["period"] = Period(start, end)
        return data


class DashboardYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _at_most_this_year(self.fields["year"])


class EuroField(forms.DecimalField):
    """An amount as people type it: 1850, 1850,00, 1.850,00 or € 1.850 (a dot before a comma
    separates thousands)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace(" ", "").replace("\u00a0", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", value):  # 1.850 or 1.200.000
                value = value.replace(".", "")
        return super().to_python(value)


class CostParameterForm(SubmitOnceFormMixin, forms.ModelForm):
    """A new value of a cost parameter from a date (a correction is a new row too)."""

    class Meta:
        model = CostParameter
        fields = ["kind", "valid_from", "amount", "source"]
        widgets = {"valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "amount": {
                "invalid": _("Fill in an amount in euros, for example 1850,00."),
                "max_digits": _("This amount is too large."),
                "max_decimal_places": _("Fill in at most two decimals (cents)."),
            },
            "valid_from": {"invalid": _("Fill in a date, for example 01-01-2026.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        self.fields["amount"] = EuroField(
            label=amount.label,
            max_digits=amount.max_digits,
            decimal_places=amount.decimal_places,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            error_messages=amount.error_messages,
        )
        self.fields["amount"].help_text = _(
            "Per year for the staff cost and the integration budget; per month for a benefit."
        )
        self.fields["valid_from"].help_text = _(
            "The value holds from this day until the next value of the same parameter. A value "
            "with the same date as an earlier one corrects it; the earlier one stays in the "
            "history."
        )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("The amount must be more than 0."))
        return amount

    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if valid_from is not None and valid_from.year < FIRST_YEAR:
            raise ValidationError(_("Choose a date from the year 2000 on."))
        return valid_from
