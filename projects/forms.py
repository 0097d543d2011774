"""Forms of the project and event pages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput, not_in_future
from clients.models import Client
from projects.models import ProjectStage


class ClientChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.sort_name} ({obj.pk})"


class OwnClientFormMixin:
    """A `client` field offering the user's own active caseload.

    A short list to choose from; validation accepts any client the user may see (a
    team-mate's, or one deregistered since), so a list elsewhere on the page can post them.
    """

    def limit_clients(self, user):
        self.fields["client"].queryset = Client.objects.for_user(user).not_anonymised()
        self.own_caseload = (
            self.fields["client"]
            .queryset.filter(coach=user, deregistered_on__isnull=True)
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["client"].choices = [("", "---------")] + [
            (c.pk, self.fields["client"].label_from_instance(c)) for c in self.own_caseload
        ]


class StageReachedForm(OwnClientFormMixin, forms.Form):
    """Record that a client reached a stage of the project's funnel."""

    client = ClientChoiceField(label=_("Client"), queryset=Client.objects.none())
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=ProjectStage.objects.none())
    reached_on = forms.DateField(label=_("Reached on"), widget=DateInput(), initial=localdate)

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_clients(user)
        self.fields["stage"].queryset = project.stages.all()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "client", "stage", "reached_on", Submit("record", _("Record stage"))
        )

    def clean_reached_on(self):
        value = self.cleaned_data["reached_on"]
        not_in_future(value, _("A stage cannot be reached in the future."))
        return value
