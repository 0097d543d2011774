"""The team leader's caseload overview and handover, and the new coach's dismissal of a
handover note. Thin: the rules are in clients.handover."""

import django_tables2 as tables
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from clients import handover
from clients.forms import suggestions_answer
from clients.handover_forms import CapacityFilter, HandoverForm
from clients.models import Client, HandoverNote
from core.editing import act, form_page
from core.lists import ListPage, Table
from core.models import Team, User

PERMISSION = "clients.hand_over_caseload"


class CapacityTable(Table):
    caption = gettext_lazy("Caseload per coach")
    row_header = "coach"

    team = tables.Column(verbose_name=gettext_lazy("Team"), accessor="team", order_by="team__name")
    coach = tables.Column(
        verbose_name=gettext_lazy("Coach"),
        accessor="user",
        order_by=("user__first_name", "user__last_name"),
    )
    hours = tables.Column(
        verbose_name=gettext_lazy("Hours of casework"), accessor="user__casework_hours"
    )
    clients_count = tables.Column(verbose_name=gettext_lazy("Caseload"))
    maximum = tables.Column(verbose_name=gettext_lazy("Maximum"))
    room = tables.Column(verbose_name=gettext_lazy("Room"))
    hand_over = tables.TemplateColumn(
        template_name="clients/_capacity_actions.html",
        verbose_name=gettext_lazy("Actions"),
        orderable=False,
    )

    class Meta(Table.Meta):
        empty_text = gettext_lazy("No coaches in these teams.")

    def render_coach(self, value):
        if not value.is_active:
            return _("%(name)s (left)") % {"name": value}
        return str(value)

    def render_room(self, value, record):
        return value if value >= 0 else _("%(count)s over the maximum") % {"count": -value}


class CaseloadOverviewView(ListPage):
    """Each team's coaches with their caseload against their maximum: one query for the rows,
    one to count them, one or two for a team typed in the filter (its name as written, then
    in any capitals). The page gives that field's suggestions itself: a team leader may
    register no client, so may not ask clients:suggest."""

    permission_required = PERMISSION
    filterset_class = CapacityFilter
    table_class = CapacityTable
    template_name = "clients/caseload_overview.html"
    per_page_setting = "CASELOAD_PAGE_SIZE"
    nav = "caseloads"

    def get_queryset(self):
        return handover.team_capacity()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "suggest_url": self.request.path}

    def get(self, request, *args, **kwargs):
        # The team filter, as one types (htmx).
        answer = suggestions_answer(request, kinds=("team",))
        return answer or super().get(request, *args, **kwargs)


@permission_required(PERMISSION, raise_exception=True)
def caseload_handover(request, team, coach):
    """Hand all or some of a coach's clients over to other coaches of the team."""
    team = get_object_or_404(Team, pk=team)
    from_coach = get_object_or_404(User.objects.filter(teams=team), pk=coach)
    # The coach's clients of this team (or of none): a coach in two teams is handed over per
    # team, so the other team's clients do not move out of it unseen.
    caseload = (
        handover.departing_caseload(from_coach)
        .filter(Q(team=team) | Q(team__isnull=True))
        .order_by("last_name", "first_name", "pk")
    )
    coaches = handover.with_capacity(
        handover.coaches().filter(teams=team).exclude(pk=from_coach.pk)
    ).order_by("-room", "first_name", "last_name", "username")
    form = HandoverForm(
        request.POST or None, caseload=caseload, coaches=coaches, from_coach=from_coach
    )

    def save(form):
        data = form.cleaned_data
        return handover.caseload_hand_over(
            actor=request.user,
            from_coach=from_coach,
            clients=Client.objects.filter(pk__in=[c.pk for c in data["clients"]]),
            team=team,
            to_coaches=list(data["to_coaches"]),
            note=data["note"],
            reason=data["reason"],
        )

    overview = reverse("clients:caseloads")
    return form_page(
        request,
        form=form,
        save=save,
        template="clients/handover_form.html",
        context={
            "team": team,
            "from_coach": from_coach,
            "nav": "caseloads",
            "client_count": caseload.count(),
        },
        success_url=lambda received: overview,
        saved=lambda received: _handed_over(from_coach, received),
        fallback_url=overview,
    )


def _handed_over(from_coach, received) -> str:
    parts = ", ".join(
        ngettext("%(count)d to %(coach)s", "%(count)d to %(coach)s", count)
        % {"count": count, "coach": coach}
        for coach, count in received.items()
    )
    total = sum(received.values())
    return ngettext(
        "%(count)d client of %(coach)s handed over: %(parts)s.",
        "%(count)d clients of %(coach)s handed over: %(parts)s.",
        total,
    ) % {"count": total, "coach": from_coach, "parts": parts}


@require_POST
@permission_required("clients.view_client", raise_exception=True)
def handover_note_dismiss(request, pk):
    """The new coach has read the handover note on the dossier."""
    note = get_object_or_404(
        HandoverNote.objects.filter(
            to_coach=request.user, client__in=Client.objects.for_user(request.user)
        ),
        pk=pk,
    )
    act(
        request,
        lambda: handover.handover_note_dismiss(actor=request.user, note=note),
        done=_("The handover note is dismissed; the coach history keeps it."),
    )
    return redirect("clients:detail", pk=note.client_id)
