"""The diagnosis team's pages for school leavers: schools, leavers, the exit conversation, the
one action that makes a pupil a client, and the yearly overview per school (issue 18)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessKind
from audit.services import access_record
from clients.duplicates import near_duplicates
from clients.forms import caseworkers
from clients.models import Client
from clients.views import log_bsn_taken
from core.editing import form_page
from core.lists import ListPage
from schools import overview, services
from schools.filters import LeaverFilter
from schools.forms import (
    BecomeClientForm,
    ExitConversationForm,
    LeaverForm,
    SchoolForm,
    YearForm,
)
from schools.models import ExitConversation, Leaver, School
from schools.tables import LeaverTable, SchoolTable

NAV = "schools"


def _leaver(request, pk) -> Leaver:
    return get_object_or_404(
        Leaver.objects.for_user(request.user).select_related(
            "school",
            "municipality",
            "client",
            "created_by",
            "conversation__job_coach",
            "conversation__account_manager",
        ),
        pk=pk,
    )


def _detail_url(leaver) -> str:
    return reverse("schools:leaver_detail", args=[leaver.pk])


class LeaverListView(ListPage):
    """The leavers of every school, newest year first, filtered."""

    permission_required = "schools.view_leaver"
    table_class = LeaverTable
    filterset_class = LeaverFilter
    template_name = "schools/leaver_list.html"
    nav = NAV

    def get_queryset(self):
        visible = Client.objects.for_user(self.request.user).filter(pk=OuterRef("client_id"))
        return (
            Leaver.objects.for_user(self.request.user)
            .for_list()
            .annotate(client_visible=Exists(visible))
            .order_by("-school_year", "last_name", "first_name", "pk")
        )


leaver_list = LeaverListView.as_view()


@permission_required("schools.view_leaver", raise_exception=True)
def leaver_detail(request, leaver):
    leaver = _leaver(request, leaver)
    # A pupil's record is personal data as a dossier is: every read is logged.
    access_record(request=request, kind=AccessKind.DOSSIER, obj=leaver, detail="school leaver")
    conversation = getattr(leaver, "conversation", None)
    client_visible = (
        leaver.client_id is not None
        and Client.objects.for_user(request.user).filter(pk=leaver.client_id).exists()
    )
    return render(
        request,
        "schools/leaver_detail.html",
        {
            "leaver": leaver,
            "conversation": conversation,
            "refusal": services.client_refusal(leaver),
            "client_visible": client_visible,
            "nav": NAV,
        },
    )


def _leaver_page(request, leaver: Leaver | None):
    return form_page(
        request,
        form=LeaverForm(request.POST or None, instance=leaver),
        save=lambda form: services.leaver_save(
            actor=request.user,
            leaver=Leaver.objects.get(pk=leaver.pk) if leaver else None,
            **form.cleaned_data,
        ),
        template="schools/leaver_form.html",
        context={"object": leaver, "nav": NAV},
        success_url=_detail_url,
        saved=lambda saved: _("%(name)s is saved.") % {"name": saved.full_name},
        fallback_url=reverse("schools:leaver_list"),
    )


@permission_required("schools.add_leaver", raise_exception=True)
def leaver_create(request):
    """Register a leaving pupil of a school."""
    if not School.objects.filter(active=True).exists():
        messages.info(request, _("Register the school first; then its leavers."))
        return redirect("schools:school_create")
    return _leaver_page(request, None)


@permission_required("schools.change_leaver", raise_exception=True)
def leaver_update(request, leaver):
    leaver = _leaver(request, leaver)
    if leaver.is_anonymised:
        messages.error(request, _("This school leaver is anonymised and can no longer be changed."))
        return redirect(_detail_url(leaver))
    return _leaver_page(request, leaver)


@permission_required("schools.add_exitconversation", raise_exception=True)
def conversation_record(request, leaver):
    """Record the exit conversation and its advice (or correct it before the pupil is a client)."""
    leaver = _leaver(request, leaver)
    refusal = None
    if leaver.is_anonymised:
        refusal = _("This school leaver is anonymised and can no longer be changed.")
    elif leaver.client_id is not None:
        refusal = _("This pupil is a client already; the advice can no longer be changed here.")
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(leaver))
    conversation = getattr(leaver, "conversation", None) or ExitConversation(leaver=leaver)
    return form_page(
        request,
        form=ExitConversationForm(request.POST or None, instance=conversation),
        save=lambda form: services.conversation_record(
            actor=request.user, leaver=leaver, **form.cleaned_data
        ),
        template="schools/conversation_form.html",
        context={"leaver": leaver, "nav": NAV},
        success_url=lambda _saved: _detail_url(leaver),
        saved=_("The exit conversation and its advice are recorded."),
        fallback_url=_detail_url(leaver),
    )


def _client_initial(leaver: Leaver) -> dict:
    """The confirm form filled in with what is known: the pupil's BSN and municipality (else
    the school's), the job coach of the exit conversation as coach if they carry a caseload,
    and their team."""
    coach = leaver.conversation.job_coach
    if coach is not None and not caseworkers().filter(pk=coach.pk).exists():
        coach = None
    team = coach.teams.order_by("name").first() if coach else None
    return {
        "bsn": leaver.bsn,
        "municipality": leaver.municipality_id or leaver.school.municipality_id,
        "coach": coach.pk if coach else None,
        "team": team.pk if team else None,
        "registered_on": timezone.localdate(),
    }


@permission_required("schools.register_leaver_client", raise_exception=True)
@permission_required("clients.add_client", raise_exception=True)
def leaver_client(request, leaver):
    """Make the pupil a client with the advice: one confirmation, nothing typed twice."""
    leaver = _leaver(request, leaver)
    refusal = services.client_refusal(leaver)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(leaver))
    candidates = near_duplicates(
        user=request.user,
        first_name=leaver.first_name,
        name_prefix=leaver.name_prefix,
        last_name=leaver.last_name,
        birth_date=leaver.birth_date,
    )
    form = BecomeClientForm(
        request.POST or None,
        initial=_client_initial(leaver),
        user=request.user,
        candidates=candidates,
    )
    return form_page(
        request,
        form=form,
        save=lambda form: services.leaver_become_client(
            actor=request.user, leaver=leaver, **form.cleaned_data
        ),
        template="schools/client_form.html",
        context={"leaver": leaver, "conversation": leaver.conversation, "nav": NAV},
        success_url=lambda client: _after_registration(request, client, leaver),
        saved=lambda client: (
            _("%(name)s is registered as a client with the school's advice.")
            % {"name": client.full_name}
        ),
        fallback_url=_detail_url(leaver),
        on_invalid=lambda form: log_bsn_taken(request, form),  # whose BSN it is, told: logged
    )


def _after_registration(request, client, leaver) -> str:
    """The new dossier when the user may open it (their team or caseload), else the leaver."""
    if Client.objects.for_user(request.user).filter(pk=client.pk).exists():
        return reverse("clients:detail", args=[client.pk]) + "#school-leaver"
    return _detail_url(leaver)


class SchoolListView(ListPage):
    permission_required = "schools.view_school"
    table_class = SchoolTable
    template_name = "schools/school_list.html"
    nav = NAV

    def get_queryset(self):
        return School.objects.select_related("municipality").order_by("-active", "name", "pk")


school_list = SchoolListView.as_view()


def _school_page(request, school: School | None):
    return form_page(
        request,
        form=SchoolForm(request.POST or None, instance=school),
        save=lambda form: services.school_save(
            actor=request.user,
            school=School.objects.get(pk=school.pk) if school else None,
            **form.cleaned_data,
        ),
        template="schools/school_form.html",
        context={"object": school, "nav": NAV},
        success_url=lambda _saved: reverse("schools:school_list"),
        saved=lambda saved: _("The school '%(name)s' is saved.") % {"name": saved.name},
        fallback_url=reverse("schools:school_list"),
    )


@permission_required("schools.add_school", raise_exception=True)
def school_create(request):
    return _school_page(request, None)


@permission_required("schools.change_school", raise_exception=True)
def school_update(request, school):
    return _school_page(request, get_object_or_404(School, pk=school))


@permission_required("schools.view_school_figures", raise_exception=True)
def year_overview(request):
    """Per school, for one year: pupils, advices and where they went; names only for those
    who may see the leavers."""
    today = timezone.localdate()
    years = overview.years_with_leavers()
    if today.year not in years:
        years = sorted({*years, today.year}, reverse=True)
    form = YearForm(request.GET or {"year": today.year}, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else today.year
    if request.GET and not form.is_valid():
        messages.warning(request, _("There are no leavers of that year; this year is shown."))
        form = YearForm({"year": today.year}, years=years)
        form.is_valid()
    show_names = request.user.has_perm("schools.view_leaver")
    return render(
        request,
        "schools/overview.html",
        {
            "form": form,
            "figures": overview.year_overview(year=year, today=today),
            "pupils": overview.year_pupils(year=year, today=today) if show_names else None,
            "destinations": dict(overview.DESTINATIONS),
            "nav": NAV,
        },
    )
