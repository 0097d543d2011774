"""Forms of the project pages: a project with its stages, groups and criteria; adding clients
(one from the dossier, many from a filtered list); correcting a member's stage and group."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput, not_in_future
from clients.models import Client
from core.forms import VersionField
from core.idempotency import SubmitOnceFormMixin
from core.models import User
from projects.models import (
    MemberStatus,
    Milestone,
    Project,
    ProjectGroup,
    ProjectStage,
    ScreeningCriterion,
)
from projects.services import PROJECT_FIELDS, default_stages


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.sort_name} ({obj.pk})"


class OwnClientFormMixin:
    """A `client` field offering the user's own active caseload.

    A short list to choose from; validation accepts any client the user may see (a
    team-mate's, or one deregistered since), so a list elsewhere on the page can post them.
    """

    def limit_clients(self, user, *, admitted_to=None):
        """Any client in the user's scope is valid; the choices are the user's own caseload
        (only the admitted members of the project `admitted_to`, when given)."""
        self.fields["client"].queryset = Client.objects.for_user(user).not_anonymised()
        self.own_caseload = (
            self.fields["client"]
            .queryset.filter(coach=user, deregistered_on__isnull=True)
            .order_by("last_name", "first_name", "pk")
        )
        if admitted_to is not None:
            self.own_caseload = self.own_caseload.filter(
                project_memberships__project=admitted_to,
                project_memberships__status=MemberStatus.ADMITTED,
            )
        self.fields["client"].choices = [("", "---------")] + [
            (c.pk, self.fields["client"].label_from_instance(c)) for c in self.own_caseload
        ]


class StageReachedForm(OwnClientFormMixin, forms.Form):
    """Record that an own client, an admitted member of the project, reached a further stage."""

    client = ClientChoiceField(
        label=_("Client"),
        queryset=Client.objects.none(),
        help_text=_("Your clients who are admitted members of this project."),
    )
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=ProjectStage.objects.none())
    reached_on = forms.DateField(label=_("Reached on"), widget=DateInput(), initial=localdate)

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_clients(user, admitted_to=project)
        self.fields["stage"].queryset = project.stages.all()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "client", "stage", "reached_on", Submit("record", _("Record stage"))
        )

    def clean_reached_on(self):
        value = self.cleaned_data["reached_on"]
        not_in_future(value, _("A stage cannot be reached in the future."))
        return value


# --- The project ---------------------------------------------------------------------------


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class LeaderField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ProjectForm(forms.ModelForm):
    """A project's details, leaders, groups and screening criteria (one per line)."""

    leaders = LeaderField(
        label=_("Project leaders"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("They keep the project: its members, stages, groups and criteria."),
    )
    groups = forms.CharField(
        label=_("Groups"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One group per line, e.g. the arms of an experiment. May stay empty."),
    )
    criteria = forms.CharField(
        label=_("Screening criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One criterion per line. A client who meets every criterion is admitted; "
            "otherwise you say why not."
        ),
    )

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
        if user is not None and not user.has_perm("projects.change_project"):
            # A leader sees every active client to add: only a manager names who leads.
            self.fields["leaders"].disabled = True
            self.fields["leaders"].help_text = _("Only a manager changes the project leaders.")
        self.fields["code"].required = False
        # The model calls both the goal and the target "doel" in Dutch: here they differ.
        self.fields["target"].label = _("Target: number of clients to work")
        self.fields["code"].help_text = _(
            "A short name for links and reports, e.g. pilot-wajong. Empty: made from the name."
        )
        if self.instance.pk:
            self.fields["version"] = VersionField()
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("leaders", list(self.instance.leaders.all()))
            self.initial.setdefault(
                "groups", "\n".join(g.name for g in self.instance.groups.order_by("name"))
            )
            self.initial.setdefault(
                "criteria", "\n".join(c.text for c in self.instance.criteria.all())
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("code", css_class="col-md-4")),
            Row(Column("kind", css_class="col-md-6"), Column("funder", css_class="col-md-6")),
            "goal",
            "description",
            Row(
                Column("start_date", css_class="col-md-6"),
                Column("end_date", css_class="col-md-6"),
            ),
            Row(
                Column("target", css_class="col-md-4"),
                Column("planned_size", css_class="col-md-4"),
                Column("target_share", css_class="col-md-4"),
            ),
            "leaders",
            "groups",
            "criteria",
            *(["version"] if "version" in self.fields else []),
        )

    def clean_code(self):
        code = self.cleaned_data.get("code") or ""
        if code:
            return code
        base = slugify(self.data.get(self.add_prefix("name"), ""))[:34] or "project"
        taken = set(
            Project.objects.filter(code__startswith=base)
            .exclude(pk=self.instance.pk)
            .values_list("code", flat=True)
        )
        code, number = base, 2
        while code in taken:
            code, number = f"{base}-{number}", number + 1
        return code

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        data["leaders"] = list(self.cleaned_data["leaders"])
        data["groups"] = _lines(self.cleaned_data["groups"])
        data["criteria"] = _lines(self.cleaned_data["criteria"])
        if "version" in self.cleaned_data:
            data["version"] = self.cleaned_data["version"]
        return data


class ProjectCreateForm(SubmitOnceFormMixin, ProjectForm):
    pass


class StageForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Stage"), max_length=100, required=False)
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=999, required=False)
    milestone = forms.ChoiceField(label=_("Milestone"), choices=Milestone.choices, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and data.get("position") is None:
            self.add_error("position", _("Give the stage a position."))
        if not data.get("name") and (data.get("milestone") or data.get("id")):
            self.add_error("name", _("Give the stage a name."))
        return data


class BaseStageFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.stages():
            raise ValidationError(_("A project needs at least one stage."))

    def stages(self) -> list[dict]:
        """The stages filled in, for the service (rows marked to delete and empty rows left out)."""
        return [
            {key: form.cleaned_data.get(key) for key in ("id", "name", "position", "milestone")}
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]


StageFormSet = forms.formset_factory(StageForm, formset=BaseStageFormSet, extra=2, can_delete=True)


def stage_formset(data=None, *, project: Project | None = None) -> BaseStageFormSet:
    """The stages of `project`, or the default stages of a new one, and two empty rows."""
    if project is not None:
        initial = [
            {"id": s.pk, "name": s.name, "position": s.position, "milestone": s.milestone}
            for s in project.stages.order_by("position")
        ]
    else:
        initial = [{**stage, "milestone": str(stage["milestone"])} for stage in default_stages()]
    formset = StageFormSet(data, initial=initial, prefix="stages")
    css = {"milestone": "form-select form-select-sm", "DELETE": "form-check-input"}
    for index, form in enumerate(formset.forms, 1):
        for name, field in form.fields.items():
            label = _("Remove") if name == "DELETE" else field.label or name
            field.widget.attrs["aria-label"] = f"{label} {index}"
            field.widget.attrs["class"] = css.get(name, "form-control form-control-sm")
            if form.errors.get(name):
                field.widget.attrs["class"] += " is-invalid"
    return formset


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=localdate)

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        not_in_future(value, _("A project cannot be closed in the future."))
        return value


# --- Members -------------------------------------------------------------------------------


class ProjectChoiceForm(forms.Form):
    """The dossier's first step: which project to add the client to."""

    project = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), empty_label=_("Choose a project")
    )

    def __init__(self, *args, exclude_client=None, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.open().order_by("name")
        if exclude_client is not None:
            projects = projects.exclude(members__client=exclude_client)
        self.fields["project"].queryset = projects


class CriterionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.text


class ScreeningForm(SubmitOnceFormMixin, forms.Form):
    """Screen one client for a project: the criteria met, a reason if not all are."""

    criteria_met = CriterionChoices(
        label=_("Screening criteria met"),
        queryset=ScreeningCriterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_admitted_reason = forms.CharField(
        label=_("Reason not admitted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when not every criterion is met."),
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=ProjectGroup.objects.none(), required=False
    )
    screened_on = forms.DateField(label=_("Screened on"), widget=DateInput(), initial=localdate)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria_met"].queryset = project.criteria.all()
        if project.criteria.exists():
            self.fields["criteria_met"].help_text = _("Tick each criterion the client meets.")
        else:
            del self.fields["criteria_met"]
        if project.groups.exists():
            self.fields["group"].queryset = project.groups.all()
        else:
            del self.fields["group"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_screened_on(self):
        value = self.cleaned_data["screened_on"]
        not_in_future(value, _("A screening cannot be in the future."))
        return value

    def changes(self) -> dict:
        return {
            "criteria_met": list(self.cleaned_data.get("criteria_met") or []),
            "not_admitted_reason": self.cleaned_data["not_admitted_reason"],
            "group": self.cleaned_data.get("group"),
            "screened_on": self.cleaned_data["screened_on"],
        }


class BulkAddForm(SubmitOnceFormMixin, forms.Form):
    """Many clients at once: a box per client, per client the criteria met and a reason."""

    group = forms.ModelChoiceField(
        label=_("Group for everyone chosen"), queryset=ProjectGroup.objects.none(), required=False
    )
    screened_on = forms.DateField(label=_("Screened on"), widget=DateInput(), initial=localdate)

    def __init__(self, *args, project: Project, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.criteria = list(project.criteria.all())
        self.candidates = [c for c in candidates if not c.is_member]
        self.fields["group"].queryset = project.groups.all()
        for client in self.candidates:
            name = client.full_name
            self.fields[f"add_{client.pk}"] = forms.BooleanField(
                required=False,
                widget=forms.CheckboxInput(attrs={"aria-label": _("Add %s") % name}),
            )
            for criterion in self.criteria:
                self.fields[f"met_{client.pk}_{criterion.pk}"] = forms.BooleanField(
                    required=False,
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{criterion.text}: {name}"}),
                )
            self.fields[f"reason_{client.pk}"] = forms.CharField(
                required=False,
                max_length=500,
                widget=forms.TextInput(
                    attrs={
                        "aria-label": _("Reason not admitted: %s") % name,
                        "class": "form-control form-control-sm",
                    }
                ),
            )

    def rows(self) -> dict[int, dict]:
        """Per candidate id: its bound fields, for the table."""
        return {
            client.pk: {
                "add": self[f"add_{client.pk}"],
                "met": [self[f"met_{client.pk}_{c.pk}"] for c in self.criteria],
                "reason": self[f"reason_{client.pk}"],
            }
            for client in self.candidates
        }

    def clean_screened_on(self):
        value = self.cleaned_data["screened_on"]
        not_in_future(value, _("A screening cannot be in the future."))
        return value

    def entries(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "client": client,
                "criteria_met": [c for c in self.criteria if data.get(f"met_{client.pk}_{c.pk}")],
                "not_admitted_reason": data.get(f"reason_{client.pk}", ""),
                "group": data.get("group"),
                "screened_on": data["screened_on"],
            }
            for client in self.candidates
            if data.get(f"add_{client.pk}")
        ]


class StageCorrectForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=ProjectStage.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)
    on = forms.DateField(label=_("Since"), widget=DateInput(), initial=localdate)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = member.project.stages.all()
        self.initial.setdefault("stage", member.stage_id)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_on(self):
        value = self.cleaned_data["on"]
        not_in_future(value, _("A stage cannot be reached in the future."))
        return value


class GroupSetForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=ProjectGroup.objects.none(), required=False
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = member.project.groups.all()
        self.initial.setdefault("group", member.group_id)
        self.helper = FormHelper()
        self.helper.form_tag = False
