"""Forms of the event pages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from clients.models import Client, TargetGroup
from core.forms import VersionField
from core.idempotency import SubmitOnceFormMixin
from projects.event_services import EVENT_FIELDS
from projects.forms import ClientChoiceField, OwnClientFormMixin
from projects.models import Event, EventResult, Project


class TimeInput(forms.TimeInput):
    """The browser's own time picker (HH:MM)."""

    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


INVITE_LABEL = _("Send an invitation")
INVITE_HELP = _(
    "A letter by e-mail or by post, as the client prefers; the PDF is kept in the dossier."
)


class EventForm(SubmitOnceFormMixin, forms.ModelForm):
    """Create or change an event; the project is one of the open projects (or the one it has)."""

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        projects = Project.objects.open()
        if self.instance.project_id:
            projects = projects | Project.objects.filter(pk=self.instance.project_id)
        self.fields["project"].queryset = projects.order_by("name")
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].widget.attrs["min"] = 1
        if self.instance.pk:
            self.fields["version"] = VersionField()
            self.initial.setdefault("version", self.instance.version)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
            Row(
                Column("date", css_class="col-md-4"),
                Column("starts_at", css_class="col-md-4"),
                Column("ends_at", css_class="col-md-4"),
            ),
            Row(Column("location", css_class="col-md-8"), Column("capacity", css_class="col-md-4")),
            "project",
            "description",
            *(["version"] if self.instance.pk else []),
            Submit("save", _("Save"), css_class="mt-2"),
        )


class EventParticipantForm(SubmitOnceFormMixin, OwnClientFormMixin, forms.Form):
    """Register a client of the user's own active caseload for an event."""

    client = ClientChoiceField(label=_("Client"), queryset=Client.objects.none())
    invite = forms.BooleanField(label=INVITE_LABEL, help_text=INVITE_HELP, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_clients(user)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "client", "invite", Submit("register", _("Register participant"))
        )


class CaseloadFilterForm(forms.Form):
    """Narrow the caseload of the bulk registration by target group."""

    target_group = forms.ChoiceField(
        label=_("Target group"),
        choices=[("", _("All target groups")), *TargetGroup.choices],
        required=False,
    )


class BulkParticipantsForm(SubmitOnceFormMixin, forms.Form):
    """Register several clients of the user's own active caseload at once."""

    clients = forms.ModelMultipleChoiceField(
        label=_("Clients"),
        queryset=Client.objects.none(),
        error_messages={"required": _("Choose at least one client.")},
    )
    invite = forms.BooleanField(label=INVITE_LABEL, help_text=INVITE_HELP, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = own_active_caseload(user)


def own_active_caseload(user):
    """The clients a coach registers for events: their own, registered, not anonymised."""
    return (
        Client.objects.for_user(user)
        .not_anonymised()
        .filter(coach=user, deregistered_on__isnull=True)
        .order_by("last_name", "first_name", "pk")
    )


ATTENDED_CHOICES = [("", _("Not recorded")), ("yes", _("Present")), ("no", _("Not present"))]


def _attended(value):
    return {"yes": True, "no": False}.get(value)


class ParticipantResultForm(forms.Form):
    """What came of the event for one participant, and whether they came."""

    result = forms.ChoiceField(label=_("Result on the day"), choices=EventResult.choices)
    attended = forms.TypedChoiceField(
        label=_("Present"),
        choices=ATTENDED_CHOICES,
        coerce=_attended,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("result", "attended", Submit("save", _("Save")))


class FollowUpForm(forms.Form):
    """The follow-up three months after the event."""

    followed_up_on = forms.DateField(
        label=_("Followed up on"), widget=DateInput(), initial=localdate
    )
    follow_up_result = forms.ChoiceField(
        label=_("Result after three months"),
        choices=[("", "---------"), *EventResult.choices],
        help_text=_("What the client does now, on the day you follow them up."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "followed_up_on", "follow_up_result", Submit("save", _("Record follow-up"))
        )
