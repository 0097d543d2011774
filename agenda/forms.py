import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Appointment, AppointmentKind, ParticipantRole
from clients.forms import DateInput
from core.forms import VersionField
from core.idempotency import SubmitOnceFormMixin
from employers.models import ContactPerson


class TimeInput(forms.TimeInput):
    """The browser's own time picker; its value is always HH:MM."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class Computed(forms.HiddenInput):
    """A field the form computes in clean() and never shows or reads from the request."""

    def render(self, name, value, attrs=None, renderer=None):
        return ""

    def value_from_datadict(self, data, files, name):
        return None


class AppointmentForm(SubmitOnceFormMixin, forms.ModelForm):
    """Plan an appointment, or move one: a day, a start time and a length instead of moments."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    # The moment, from the date and time: compared on the 409 page (core.editing.conflict_details).
    starts_at = forms.DateTimeField(label=_("Starts at"), required=False, widget=Computed)

    class Meta:
        model = Appointment
        fields = ["duration_minutes", "kind", "channel", "place", "subject"]
        widgets = {"duration_minutes": forms.NumberInput(attrs={"min": 5, "max": 480, "step": 5})}

    def __init__(self, *args, clients=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clients is not None:
            # From the agenda: choose one of the clients the coach may plan with.
            self.fields = {
                "client": forms.ModelChoiceField(label=_("Client"), queryset=clients),
                **self.fields,
            }
        if self.instance.pk:
            start = self.instance.local_start
            self.initial.setdefault("date", start.date())
            self.initial.setdefault("time", start.time())
            # The version the user started from: a save over someone else's change is refused.
            self.fields["version"] = VersionField()
            self.initial.setdefault("version", self.instance.version)
        else:
            self.initial.setdefault("duration_minutes", 45)
            self.initial.setdefault("kind", AppointmentKind.PROGRESS)
        self.fields["kind"].choices = AppointmentKind.choices
        self.fields["channel"].choices = self.fields["channel"].choices[1:]  # no empty choice
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *(["client"] if clients is not None else []),
            Row(
                Column("date", css_class="col-sm-4"),
                Column("time", css_class="col-sm-4"),
                Column("duration_minutes", css_class="col-sm-4"),
            ),
            Row(Column("kind", css_class="col-sm-6"), Column("channel", css_class="col-sm-6")),
            "place",
            "subject",
        )

    def clean(self):
        data = super().clean()
        day, time = data.get("date"), data.get("time")
        if day and time:
            data["starts_at"] = datetime.datetime.combine(
                day, time, tzinfo=timezone.get_current_timezone()
            )
        return data

    def appointment_fields(self) -> dict:
        """The cleaned data as the services take them."""
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            **{
                name: data[name]
                for name in ("duration_minutes", "kind", "channel", "place", "subject")
            },
        }


class ParticipantForm(forms.Form):
    """One other participant: a role and a name, or a contact person of an employer."""

    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "---------"), *ParticipantRole.choices], required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    contact_person = forms.ModelChoiceField(
        label=_("Contact person of an employer"),
        queryset=ContactPerson.objects.none(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = (
            ContactPerson.objects.filter(active=True)
            .select_related("employer")
            .order_by("employer__name", "name", "pk")
        )
        self.fields["contact_person"].label_from_instance = lambda p: f"{p.name} ({p.employer})"

    def clean(self):
        data = super().clean()
        named = data.get("name") or data.get("contact_person")
        if named and not data.get("role"):
            self.add_error("role", ValidationError(_("Choose the participant's role.")))
        if data.get("role") and not named:
            self.add_error("name", ValidationError(_("Give the name, or choose a contact person.")))
        return data


class BaseParticipantFormSet(forms.BaseFormSet):
    def participants(self) -> list[dict]:
        """The filled-in rows, as the services take them."""
        return [
            {
                "role": form.cleaned_data["role"],
                "name": form.cleaned_data.get("name", ""),
                "contact_person": form.cleaned_data.get("contact_person"),
            }
            for form in self.forms
            if form.cleaned_data.get("role")
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=2, max_num=6, validate_max=True
)


def participant_formset(data=None, *, appointment: Appointment | None = None):
    initial = []
    if appointment is not None and appointment.pk:
        initial = [
            {"role": p.role, "name": p.name, "contact_person": p.contact_person_id}
            for p in appointment.participants.all()
        ]
    formset = ParticipantFormSet(data, initial=initial, prefix="participants")
    # One query for the contact persons, shared by every row's choice list.
    choices = list(formset.empty_form.fields["contact_person"].choices)
    for form in formset.forms:
        form.fields["contact_person"].choices = choices
    return formset
