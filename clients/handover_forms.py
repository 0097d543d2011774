"""The handover form: which of the coach's clients, to which coaches of the team, why, and the
note the new coaches read (clients.handover.caseload_hand_over)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.forms import TeamNameField, suggested
from clients.handover import HANDOVER_REASONS, most_room
from clients.models import CoachChangeReason
from core.filters import FilterSet
from core.idempotency import SubmitOnceFormMixin


class ClientChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.sort_name  # names only: a team leader opens no dossier


class CoachChoice(forms.ModelMultipleChoiceField):
    """Coaches of the team, each with their caseload against their maximum."""

    def label_from_instance(self, obj):
        return _("%(name)s: %(caseload)s of %(maximum)s clients, room for %(room)s") % {
            "name": obj,
            "caseload": obj.clients_count,
            "maximum": obj.maximum,
            "room": obj.room,
        }


class HandoverForm(SubmitOnceFormMixin, forms.Form):
    clients = ClientChoice(
        label=_("Clients to hand over"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one client to hand over.")},
    )
    to_coaches = CoachChoice(
        label=_("Hand over to"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "With more than one coach, each client goes to the coach with the most room at "
            "that moment."
        ),
        error_messages={"required": _("Choose at least one coach to hand over to.")},
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(r.value, r.label) for r in HANDOVER_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The new coach sees this on each client's dossier until they dismiss it. Write "
            "what they need to go on without the client having to start over."
        ),
        error_messages={"required": _("Write a handover note for the new coach.")},
    )

    def __init__(self, *args, caseload, coaches, from_coach, **kwargs):
        """`caseload`: the departing coach's clients; `coaches`: the team's other active
        coaches with their capacity (clients.handover.team_capacity's users)."""
        self.coach_rows = list(coaches)
        best = most_room(self.coach_rows)
        self.suggestion = best
        kwargs.setdefault(
            "initial",
            {
                "clients": [client.pk for client in caseload],
                "to_coaches": [best.pk] if best else [],
                "reason": CoachChangeReason.HANDOVER
                if from_coach.is_active
                else CoachChangeReason.COACH_LEFT,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = caseload
        self.fields["to_coaches"].queryset = coaches
        # The rows are read once: the choices come from them, not from a second query.
        self.fields["to_coaches"].choices = [
            (coach.pk, self.fields["to_coaches"].label_from_instance(coach))
            for coach in self.coach_rows
        ]


class TeamFilter(django_filters.Filter):
    """A team typed by its name, with suggestions (clients.forms.suggested): a `<select>` would
    send every team of the region with each page (2,000 at a million clients)."""

    field_class = TeamNameField


class CapacityFilter(FilterSet):
    TEAMS = "caseloads-team-options"  # the id of the team field's <datalist>

    team = TeamFilter(label=_("Team"), help_text=_("Empty: all teams."), max_length=100)
    q = django_filters.CharFilter(label=_("Coach"), method="filter_coach")

    def __init__(self, *args, suggest_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        suggested(self.form.fields["team"], kind="team", datalist=self.TEAMS, url=suggest_url)

    def filter_coach(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__username__icontains=word)
            )
        return queryset
