"""Forms of the coach's trajectory work in the dossier; each writes through the services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput, datalist, not_in_future, reason_field, typed_names
from clients.models import Client, EmployeeSkill
from core.forms import VersionField
from core.idempotency import SubmitOnceFormMixin
from trajectories import services
from trajectories.models import (
    Activity,
    ActivityKind,
    BranchTeam,
    Goal,
    GoalStatus,
    Outcome,
    Route,
    Trajectory,
)

TRAJECTORY_FIELDS = ["route", "branch_team", "coach", "start_date", "project", "project_group"]
ACTIVITY_FIELDS = ["kind", "provider", "start_date", "end_date", "cost", "status", "result"]


def _helper(layout: Layout) -> FormHelper:
    """The form tag and the buttons are in the template; the layout is the form's own."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = layout
    return helper


def _active_or_current(model, current_pk):
    """Active reference items, and the one already chosen even if it became inactive."""
    condition = Q(active=True)
    if current_pk:
        condition |= Q(pk=current_pk)
    return model.objects.filter(condition)


class TrajectoryForm(forms.ModelForm):
    """Start or change a trajectory: route, branch team (route werknemer only), coach, dates."""

    class Meta:
        model = Trajectory
        fields = TRAJECTORY_FIELDS
        widgets = {"start_date": DateInput()}
        help_texts = {
            "branch_team": _(
                "Only for route werknemer: the team that knows the employers of the sector the "
                "client aims at. Leave empty for the other routes."
            ),
            "project_group": _("Optional: the group within the project, e.g. an experiment arm."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].queryset = _active_or_current(Route, self.instance.route_id)
        self.fields["branch_team"].queryset = _active_or_current(
            BranchTeam, self.instance.branch_team_id
        )
        typed_names(self, "trajectory", coaches=["coach"])
        # The project's models come through the fields (trajectories does not import projects).
        groups = self.fields["project_group"]
        groups.queryset = groups.queryset.select_related("project")
        self.fields["project_group"].label_from_instance = lambda g: f"{g.project}: {g}"
        self.helper = _helper(
            Layout(
                Row(
                    Column("route", css_class="col-md-6"),
                    Column("branch_team", css_class="col-md-6"),
                ),
                Row(
                    Column("coach", datalist("trajectory", "coach"), css_class="col-md-6"),
                    Column("start_date", css_class="col-md-6"),
                ),
                Fieldset(
                    _("Project (optional)"),
                    Row(
                        Column("project", css_class="col-md-6"),
                        Column("project_group", css_class="col-md-6"),
                    ),
                ),
            )
        )

    # The rules (not in the future, a branch team on route werknemer only, the group of the
    # project) are the services' and Trajectory.clean's: every caller meets them, and the
    # form shows them next to their fields.

    def validate_unique(self):
        # The open-trajectory rule is the service's (and the database's): its message is
        # put next to the form when the service refuses.
        pass

    def validate_constraints(self, exclude=None):
        pass


class TrajectoryStartForm(SubmitOnceFormMixin, TrajectoryForm):
    pass


class TrajectoryEndForm(forms.Form):
    end_date = forms.DateField(label=_("end date"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", "---------"), *Outcome.choices])

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.trajectory = trajectory
        self.helper = _helper(
            Layout(
                Row(
                    Column("end_date", css_class="col-md-6"),
                    Column("outcome", css_class="col-md-6"),
                )
            )
        )

    def clean_end_date(self):
        value = self.cleaned_data["end_date"]
        try:
            services.check_end_date(self.trajectory, value)  # the service's rule, asked early
        except ValidationError as error:
            raise ValidationError(error.message_dict["end_date"]) from None
        return value


class GoalForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["description", "target_date"]
        widgets = {"target_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Row(
                    Column("description", css_class="col-md-8"),
                    Column("target_date", css_class="col-md-4"),
                )
            )
        )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=GoalStatus.choices)
    status_date = forms.DateField(label=_("status since"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Layout(
                Row(
                    Column("status", css_class="col-md-6"),
                    Column("status_date", css_class="col-md-6"),
                )
            )
        )

    def clean_status_date(self):
        value = self.cleaned_data["status_date"]
        not_in_future(value, _("A status cannot be set as of a future date."))
        return value


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ACTIVITY_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "result": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"result": _("What came of it; fill in when the activity has ended.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = _active_or_current(ActivityKind, self.instance.kind_id)
        self.fields["cost"].widget.attrs.update(min=0, step="0.01")
        self.helper = _helper(
            Layout(
                Row(Column("kind", css_class="col-md-6"), Column("provider", css_class="col-md-6")),
                Row(
                    Column("start_date", css_class="col-md-4"),
                    Column("end_date", css_class="col-md-4"),
                    Column("status", css_class="col-md-4"),
                ),
                Row(Column("cost", css_class="col-md-4")),
                "result",
            )
        )

    def clean_cost(self):
        value = self.cleaned_data["cost"]
        if value is not None and value < 0:
            raise ValidationError(_("The cost cannot be negative."), code="negative")
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                ValidationError(_("An activity cannot end before it starts."), code="before"),
            )
        return data

    def validate_constraints(self, exclude=None):
        pass  # clean() puts each constraint's message next to its field; the service checks too


class ActivityCreateForm(SubmitOnceFormMixin, ActivityForm):
    pass


class EvaluationForm(SubmitOnceFormMixin, forms.Form):
    """An interim evaluation: the five employee skills, each 1 (insufficient) to 5 (good)."""

    evaluated_on = forms.DateField(label=_("evaluated on"), widget=DateInput())
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in EmployeeSkill.choices:
            self.fields[self.score_name(code)] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=[("", "–")] + [(i, str(i)) for i in range(1, 6)],
                error_messages={"required": _("Score this skill from 1 to 5.")},
            )
        self.helper = _helper(
            Layout(
                Row(Column("evaluated_on", css_class="col-md-4")),
                Fieldset(
                    _("Employee skills (1 = insufficient, 5 = good)"),
                    Row(
                        *[
                            Column(self.score_name(code), css_class="col-sm-6 col-lg-4")
                            for code in EmployeeSkill.values
                        ]
                    ),
                ),
                "notes",
            )
        )

    @staticmethod
    def score_name(code: str) -> str:
        return f"skill_{code}"

    def clean_evaluated_on(self):
        value = self.cleaned_data["evaluated_on"]
        not_in_future(value, _("An evaluation cannot be in the future."))
        return value

    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data[self.score_name(code)] for code in EmployeeSkill.values}


class EvaluationCorrectForm(EvaluationForm):
    """An evaluation's correction: its values as they are, the version and a required reason."""

    def __init__(self, *args, evaluation, user, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("activity", evaluation.activity_id)
        initial.setdefault("evaluated_on", evaluation.evaluated_on)
        initial.setdefault("notes", evaluation.notes)
        initial.setdefault("version", evaluation.version)
        for score in evaluation.scores.all():
            initial.setdefault(self.score_name(score.skill), score.score)
        super().__init__(*args, **kwargs)
        # Logged on the wrong client's activity: any evaluated activity of a client the user may
        # change (their caseload and teams, not anonymised).
        self.fields["activity"] = forms.ModelChoiceField(
            label=_("Activity"),
            queryset=Activity.objects.filter(
                trajectory__client__in=Client.objects.for_user(user).not_anonymised(),
                kind__evaluated=True,
            )
            .select_related("kind", "trajectory__client")
            .order_by("trajectory__client__last_name", "-start_date", "pk"),
            help_text=_("Logged on the wrong client? Choose the activity it belongs to."),
        )
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.trajectory.client.sort_name}: {a.kind} ({a.start_date:%d-%m-%Y})"
        )
        self.fields["version"] = VersionField()
        self.fields["reason"] = reason_field()
        self.helper.layout.fields.insert(0, "activity")
        self.helper.layout.fields.extend(["reason", "version"])
