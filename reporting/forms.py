from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.idempotency import SubmitOnceFormMixin
from reporting.kpis import Period
from reporting.models import RunKind

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
