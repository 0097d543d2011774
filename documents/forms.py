from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.forms import VersionField
from core.idempotency import SubmitOnceFormMixin
from documents import filecheck, merge
from documents.models import DocumentKind, LetterKind, LetterTemplate


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DocumentUploadForm(SubmitOnceFormMixin, forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind of document"), queryset=DocumentKind.objects.none())
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, a photo or scan (JPG, PNG, TIFF, HEIC) or an office document."),
    )
    dated_on = forms.DateField(
        label=_("Date of the document"), widget=DateInput(), initial=timezone.localdate
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=DateInput(),
        required=False,
        help_text=_("For an identity document or a residence permit: you get a signal in time."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = DocumentKind.objects.filter(active=True)
        self.fields["file"].widget.attrs["accept"] = filecheck.ACCEPT
        self.fields["file"].help_text = _(
            "PDF, a photo or scan (JPG, PNG, TIFF, HEIC) or an office document; at most "
            "%(megabytes)s MB."
        ) % {"megabytes": filecheck.max_bytes() // (1024 * 1024)}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "kind",
            "file",
            Row(
                Column("dated_on", css_class="col-sm-6"),
                Column("expires_on", css_class="col-sm-6"),
            ),
            "description",
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        filecheck.check_file(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        dated, expires = cleaned.get("dated_on"), cleaned.get("expires_on")
        if dated and expires and expires < dated:
            self.add_error("expires_on", _("A document cannot expire before its date."))
        return cleaned


class LetterForm(SubmitOnceFormMixin, forms.Form):
    """Which letter, and the appointment it is about when its text names one."""

    # An event's invitation is sent from the event (projects), which fills in its fields.
    kind = forms.ChoiceField(
        label=_("Kind of letter"),
        choices=[(k, label) for k, label in LetterKind.choices if k != LetterKind.EVENT_INVITATION],
    )
    appointment_date = forms.DateField(
        label=_("Date of the appointment"), widget=DateInput(), required=False
    )
    appointment_time = forms.TimeField(
        label=_("Time of the appointment"), widget=TimeInput(), required=False
    )
    appointment_duration = forms.IntegerField(
        label=_("Duration in minutes"), min_value=5, max_value=480, required=False
    )
    appointment_place = forms.CharField(label=_("Place or channel"), max_length=200, required=False)
    appointment_subject = forms.CharField(
        label=_("Subject of the appointment"), max_length=200, required=False
    )

    APPOINTMENT_FIELDS = (
        "appointment_date",
        "appointment_time",
        "appointment_duration",
        "appointment_place",
        "appointment_subject",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "kind",
            Fieldset(
                _("The appointment (for a letter that names one)"),
                Row(
                    Column("appointment_date", css_class="col-sm-4"),
                    Column("appointment_time", css_class="col-sm-4"),
                    Column("appointment_duration", css_class="col-sm-4"),
                ),
                "appointment_place",
                "appointment_subject",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        template = LetterTemplate.objects.filter(kind=kind, active=True).first() if kind else None
        if template is not None and merge.uses_appointment(template.subject, template.body):
            named = merge.fields_used(template.subject) | merge.fields_used(template.body)
            for field in self.APPOINTMENT_FIELDS:
                if merge.APPOINTMENT_KEYS[field] in named and cleaned.get(field) in (None, ""):
                    self.add_error(field, _("This letter names it; fill it in."))
        return cleaned

    def merge_values(self) -> dict[str, str]:
        """The appointment's fields as the letter prints them (Dutch formats)."""
        data = self.cleaned_data
        values = {}
        if data.get("appointment_date"):
            values["appointment_date"] = formats.date_format(data["appointment_date"], "j F Y")
        if data.get("appointment_time"):
            values["appointment_time"] = formats.time_format(data["appointment_time"], "H:i")
        if data.get("appointment_duration"):
            values["appointment_duration"] = f"{data['appointment_duration']} minuten"
        for name in ("appointment_place", "appointment_subject"):
            if data.get(name):
                values[name] = data[name]
        return values


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["subject", "body", "active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The version the administrator started from: a save over someone else's is refused.
        self.fields["version"] = VersionField()
        self.initial.setdefault("version", self.instance.version)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_subject(self):
        merge.validate_text(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        merge.validate_text(self.cleaned_data["body"])
        return self.cleaned_data["body"]


class DocumentKindForm(SubmitOnceFormMixin, forms.ModelForm):
    """A kind of document: its name and whether it can be chosen; the code only when new."""

    class Meta:
        model = DocumentKind
        fields = ["name", "code", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["code"]
        self.helper = FormHelper()
        self.helper.form_tag = False
