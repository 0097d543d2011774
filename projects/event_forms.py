"""Forms of the event pages."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from projects.forms import ClientChoiceField, OwnClientFormMixin
from projects.models import EventResult


class EventParticipantForm(OwnClientFormMixin, forms.Form):
    """Add a client of the user's own active caseload to an event, with its result so far."""

    client = ClientChoiceField(label=_("Client"), queryset=Client.objects.none())
    result = forms.ChoiceField(
        label=_("Result"), choices=EventResult.choices, initial=EventResult.NOTHING_YET
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_clients(user)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "client", "result", Submit("register", _("Register participant"))
        )
