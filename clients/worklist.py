"""The worklist "Niet toegewezen": clients no active colleague sees through a caseload.

Imported clients may come without a team and coach (interchange.md, clients.csv). Whoever
assigns caseloads (permission clients.assign_client, core.roles) finds them here, filters them
and gives the ticked ones, or the whole filtered selection, a team and a work coach in one
action (services.clients_assign). Then they leave this list for the coach's caseload. A client
of a team nobody works in (any more), or of a coach who left, is on it too
(Client.objects.unassigned).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext

from clients import services
from clients.filters import UnassignedClientFilter
from clients.forms import AssignForm, suggestions_answer
from clients.models import Client
from clients.tables import UnassignedClientTable
from core.editing import inline_submit
from core.lists import ListPage


class UnassignedListView(ListPage):
    permission_required = "clients.assign_client"
    filterset_class = UnassignedClientFilter
    table_class = UnassignedClientTable
    template_name = "clients/unassigned_list.html"
    per_page_setting = "CASELOAD_PAGE_SIZE"
    filter_defaults = {"status": "current"}  # who left needs no coach; one click shows them
    nav = "unassigned"

    def get_queryset(self):
        return (
            Client.objects.unassigned()
            .not_anonymised()
            .select_related("municipality", "team", "coach")
        )

    def get(self, request, *args, **kwargs):
        # The assign form's team or coach field, as one types (htmx).
        return suggestions_answer(request) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("assign_form", AssignForm(suggest_url=self.request.path))
        context["query"] = self.request.GET.urlencode()
        return context

    def post(self, request, *args, **kwargs):
        """Assign the ticked clients, or all of the filtered selection, to a team and coach."""
        self.object_list = self.get_queryset()
        filterset = self.get_filterset(self.get_filterset_class())
        form = AssignForm(request.POST, suggest_url=request.path)
        if not (filterset.is_valid() and form.is_valid()):
            self.filterset = filterset
            self.object_list = filterset.qs if filterset.is_valid() else Client.objects.none()
            context = self.get_context_data(filter=filterset, assign_form=form)
            return self.render_to_response(context, status=200)
        clients = filterset.qs
        if form.cleaned_data["scope"] == AssignForm.SELECTED:
            clients = clients.filter(pk__in=form.cleaned_data["selected"])
        team, coach = form.cleaned_data["team"], form.cleaned_data["coach"]
        count = None

        def assign(form):
            nonlocal count
            count = services.clients_assign(
                actor=request.user, clients=clients, team=team, coach=coach
            )

        if not inline_submit(request, form, assign):  # the service refused: say why
            self.filterset = filterset
            self.object_list = filterset.qs
            context = self.get_context_data(filter=filterset, assign_form=form)
            return self.render_to_response(context, status=200)
        if count is not None:
            messages.success(
                request,
                ngettext(
                    "%(count)d client assigned to %(team)s.",
                    "%(count)d clients assigned to %(team)s.",
                    count,
                )
                % {"count": count, "team": f"{team}{f' ({coach})' if coach else ''}"},
            )
        url = reverse("clients:unassigned")
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
