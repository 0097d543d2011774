from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from clients.models import Route
from core.idempotency import SubmitOnceFormMixin
from diagnosis.models import AssessmentStatus, PracticalAssessment, diagnosis_teams


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*layout)
    return helper


class ReferralForm(SubmitOnceFormMixin, forms.Form):
    """A coach refers a client to a diagnosis team."""

    team = forms.ModelChoiceField(
        label=_("Diagnosis team"),
        queryset=None,
        empty_label=None,
        help_text=_("Teams with a diagnosis consultant."),
    )
    question = forms.CharField(
        label=_("Question to the diagnosis team"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: how many hours a day can the client work, and in what kind of work?"
        ),
    )
    limitation_notes = forms.CharField(
        label=_("Suspected limitation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you noticed. Describe what the client can and cannot do, no diagnosis."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teams = diagnosis_teams()
        self.fields["team"].queryset = teams
        if "team" not in self.initial and (first := teams.first()) is not None:
            self.initial["team"] = first.pk
        self.helper = _helper("team", "question", "limitation_notes")

    def clean_question(self):
        question = self.cleaned_data["question"].strip()
        if not question:
            raise forms.ValidationError(_("Write down the question for the diagnosis team."))
        return question


class WithdrawForm(SubmitOnceFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the referral withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason")


class AssessmentPlanForm(SubmitOnceFormMixin, forms.ModelForm):
    """Plan a practical assessment: where, with whom, from when to when, and what it should show."""

    class Meta:
        model = PracticalAssessment
        fields = ["workplace", "supervisor_name", "starts_on", "ends_on", "goal"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"ends_on": _("6 to 12 weeks after the start.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            "workplace",
            "supervisor_name",
            Row(
                Column("starts_on", css_class="col-sm-6"),
                Column("ends_on", css_class="col-sm-6"),
            ),
            "goal",
        )


class AssessmentFinishForm(SubmitOnceFormMixin, forms.Form):
    """Evaluate a practical assessment, or record that it stopped early."""

    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (AssessmentStatus.EVALUATED, _("Evaluated: the assessment is complete")),
            (AssessmentStatus.STOPPED, _("Stopped early")),
        ],
        widget=forms.RadioSelect,
        initial=AssessmentStatus.EVALUATED,
    )
    evaluated_on = forms.DateField(
        label=_("Date of the evaluation"), widget=DateInput(), initial=timezone.localdate
    )
    evaluation = forms.CharField(
        label=_("Evaluation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the client showed at the workplace; when stopped early, why."),
    )
    advised_route = forms.ChoiceField(
        label=_("Advised route"),
        choices=[("", "---------"), *Route.choices],
        required=False,
        help_text=_("Required when the assessment is evaluated."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("status", "evaluated_on", "evaluation", "advised_route")
