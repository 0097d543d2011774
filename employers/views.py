"""Pages of account managers: employers, vacancies, candidates, matching and Social Return."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_record, get_or_deny
from clients.access import refusing_anonymised, writable_client
from core.editing import act, form_page, inline_submit
from core.lists import ListPage
from employers import dossier, matching, profiles, services
from employers.filters import CandidateFilter, EmployerFilter, VacancyFilter
from employers.forms import (
    CandidateProfileForm,
    ConsentForm,
    ContactPersonForm,
    EmployerContactForm,
    EmployerForm,
    MatchAdvanceForm,
    RankingForm,
    SroiObligationForm,
    VacancyForm,
)
from employers.models import (
    CandidateProfile,
    Employer,
    Match,
    MatchStage,
    RejectionReason,
    Shortlist,
    Vacancy,
    lettered,
)
from employers.tables import CandidateTable, EmployerTable, VacancyTable

PAGE_SIZE = 25


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Start page ---------------------------------------------------------------------------------


@permission_required("employers.view_employer", raise_exception=True)
def start(request):
    """The account manager's start page: their employers, open vacancies and pipelines."""
    mine = Employer.objects.filter(account_manager=request.user)
    vacancies = (
        Vacancy.objects.open()
        .filter(employer__account_manager=request.user)
        .for_list()
        .order_by("closes_on", "-opened_on", "pk")[:20]
    )
    pipeline = dict(
        Match.objects.filter(vacancy__employer__account_manager=request.user)
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return render(
        request,
        "employers/start.html",
        {
            "nav": "employers_start",
            "employers": list(mine.for_list()[:20]),
            "vacancies": list(vacancies),
            "pipeline": [(stage.label, pipeline.get(stage.value, 0)) for stage in MatchStage],
        },
    )


# --- Employers ----------------------------------------------------------------------------------


class EmployerListView(ListPage):
    permission_required = "employers.view_employer"
    filterset_class = EmployerFilter
    table_class = EmployerTable
    template_name = "employers/employer_list.html"
    per_page = PAGE_SIZE
    nav = "employers"

    def get_queryset(self):
        return Employer.objects.for_list()


employer_list = EmployerListView.as_view()


@permission_required("employers.add_employer", raise_exception=True)
def employer_create(request):
    return form_page(
        request,
        form=EmployerForm(request.POST or None, initial={"account_manager": request.user.pk}),
        save=lambda form: services.employer_register(actor=request.user, **form.cleaned_data),
        template="employers/employer_form.html",
        context={"nav": "employers"},
        success_url=employer_url,
        saved=lambda employer: _("%(name)s is registered.") % {"name": employer},
        fallback_url=reverse("employers:list"),
    )


@permission_required("employers.change_employer", raise_exception=True)
def employer_update(request, employer):
    employer = get_object_or_404(Employer, pk=employer)
    return form_page(
        request,
        form=EmployerForm(request.POST or None, instance=employer),
        save=lambda form: services.employer_update(
            actor=request.user, employer=Employer.objects.get(pk=employer.pk), **form.cleaned_data
        ),
        template="employers/employer_form.html",
        context={"nav": "employers", "object": employer},
        success_url=employer_url,
        saved=lambda saved: _("The data of %(name)s are saved.") % {"name": saved},
        field_names=services.EMPLOYER_FIELDS,
    )


@permission_required("employers.view_employer", raise_exception=True)
def employer_detail(request, employer, **forms):
    employer = get_object_or_404(
        Employer.objects.select_related("municipality", "account_manager"), pk=employer
    )
    panels = dossier.panels_for(employer, request.user)
    for panel in panels:  # an inline form that failed comes back with what was typed
        for name, form in forms.items():
            if name in panel.context:
                panel.context[name] = form
    return render(
        request,
        "employers/employer_detail.html",
        {"employer": employer, "panels": panels, "nav": "employers"},
    )


def _inline(request, employer_pk, *, form, service, saved, **service_kwargs):
    """An inline form on the employer's page: (the redirect after the save, or None with the
    errors on the form; the employer)."""
    employer = get_object_or_404(Employer, pk=employer_pk)
    if not inline_submit(
        request,
        form,
        lambda form: service(
            actor=request.user, employer=employer, **form.cleaned_data, **service_kwargs
        ),
    ):
        return None, employer
    messages.success(request, saved)
    return redirect("employers:detail", employer=employer.pk), employer


@require_POST
@permission_required("employers.add_contactperson", raise_exception=True)
def contact_person_create(request, employer):
    form = ContactPersonForm(request.POST)
    done, employer = _inline(
        request,
        employer,
        form=form,
        service=services.contact_person_add,
        saved=_("The contact person is added."),
    )
    return done or employer_detail(request, employer.pk, person_form=form)


@require_POST
@permission_required("employers.add_employercontact", raise_exception=True)
def contact_create(request, employer):
    employer_obj = get_object_or_404(Employer, pk=employer)
    form = EmployerContactForm(request.POST, employer=employer_obj)
    done, employer_obj = _inline(
        request,
        employer,
        form=form,
        service=services.employer_contact_log,
        saved=_("The contact is logged."),
    )
    return done or employer_detail(request, employer_obj.pk, contact_form=form)


@require_POST
@permission_required("employers.add_sroiobligation", raise_exception=True)
def sroi_create(request, employer):
    form = SroiObligationForm(request.POST)
    done, employer_obj = _inline(
        request,
        employer,
        form=form,
        service=services.sroi_obligation_add,
        saved=_("The Social Return obligation is recorded."),
    )
    return done or employer_detail(request, employer_obj.pk, sroi_form=form)


# --- Vacancies ----------------------------------------------------------------------------------


class VacancyListView(ListPage):
    permission_required = "employers.view_vacancy"
    filterset_class = VacancyFilter
    table_class = VacancyTable
    template_name = "employers/vacancy_list.html"
    per_page = PAGE_SIZE
    filter_defaults = {"status": Vacancy.Status.OPEN}
    nav = "vacancies"

    def get_queryset(self):
        return Vacancy.objects.for_list()


vacancy_list = VacancyListView.as_view()


@permission_required("employers.add_vacancy", raise_exception=True)
def vacancy_create(request, employer):
    employer = get_object_or_404(Employer, pk=employer)
    form = VacancyForm(
        request.POST or None,
        initial={"municipality": employer.municipality_id, "postcode": employer.postcode},
    )
    return form_page(
        request,
        form=form,
        save=lambda form: services.vacancy_register(
            actor=request.user, employer=employer, **form.cleaned_data
        ),
        template="employers/vacancy_form.html",
        context={"employer": employer, "nav": "vacancies"},
        success_url=lambda vacancy: reverse("employers:vacancy_detail", args=[vacancy.pk]),
        saved=_("The vacancy is registered."),
        fallback_url=employer_url(employer),
    )


def employer_url(employer):
    return reverse("employers:detail", args=[employer.pk])


@permission_required("employers.change_vacancy", raise_exception=True)
def vacancy_update(request, vacancy):
    vacancy = get_object_or_404(Vacancy.objects.select_related("employer"), pk=vacancy)

    return form_page(
        request,
        form=VacancyForm(request.POST or None, instance=vacancy),
        save=lambda form: services.vacancy_update(
            actor=request.user, vacancy=Vacancy.objects.get(pk=vacancy.pk), **form.cleaned_data
        ),
        template="employers/vacancy_form.html",
        context={"employer": vacancy.employer, "nav": "vacancies", "object": vacancy},
        success_url=lambda saved: reverse("employers:vacancy_detail", args=[saved.pk]),
        saved=_("The vacancy is saved."),
        field_names=services.VACANCY_FIELDS,
    )


def _ranking_form(request):
    """The weights and filters in the query string; unbound (the defaults shown) when it holds
    nothing but the page number, so that the second page shows the weights it used."""
    return RankingForm(request.GET if set(request.GET) - {"page"} else None)


def _ranked_candidates(request, vacancy, ranking_form):
    profiles_qs = CandidateProfile.objects.for_user(request.user)
    weights = ranking_form.weights()
    ranked = matching.CandidateRanking(
        vacancy, profiles_qs, weights=weights, filters=ranking_form.filters()
    )
    return ranked, weights


@permission_required("employers.view_vacancy", raise_exception=True)
def vacancy_detail(request, vacancy):
    """The vacancy, its pipeline, and the candidates ranked with each criterion explained."""
    vacancy = get_object_or_404(
        Vacancy.objects.select_related(
            "employer", "sector", "municipality", "branch_team"
        ).prefetch_related("skills"),
        pk=vacancy,
    )
    ranking_form = _ranking_form(request)
    ranked, weights = _ranked_candidates(request, vacancy, ranking_form)
    page = _page(request, ranked)
    rows = [
        (row, matching.explain(row, weights, vacancy=vacancy), matching.distance_km(row))
        for row in page
    ]
    pipeline = list(
        vacancy.matches.select_related(
            "client", "client__candidate_profile", "rejection_reason"
        ).order_by("-updated_at", "pk")
    )
    for match in pipeline:
        match.next_choices = [
            (stage, MatchStage(stage).label) for stage in services.NEXT_STAGES[match.stage]
        ]
    return render(
        request,
        "employers/vacancy_detail.html",
        {
            "nav": "vacancies",
            "vacancy": vacancy,
            "ranking_form": ranking_form,
            "weights": weights,
            "criteria": matching.CRITERIA,
            "page": page,
            "rows": rows,
            "pipeline": pipeline,
            "active_matches": [m for m in pipeline if m.stage in MatchStage.ACTIVE],
            "reasons": list(RejectionReason.objects.filter(active=True)),
            "next_stages": services.NEXT_STAGES,
            "shortlists": _shortlists(request, vacancy, pipeline),
            "query": _query_without_page(request),
            "can_propose": request.user.has_perm("employers.add_match"),
            "include_placed": ranking_form.filters().include_placed,
        },
    )


def _shortlists(request, vacancy, pipeline) -> list[Shortlist]:
    """The vacancy's shortlists, newest first, each with its link, its number of candidates
    (`n`) and the account manager's key to its letters (`letters`: (letter, match) as the
    employer sees them). One query: a shortlist's matches are the vacancy's, in `pipeline`."""
    matches = {match.pk: match for match in pipeline}
    shortlists = {}
    rows = vacancy.shortlists.annotate(match_id=F("matches")).order_by("-created_at", "pk")
    for row in rows:
        item = shortlists.setdefault(row.pk, row)
        item.__dict__.setdefault("members", [])
        if row.match_id in matches:
            item.members.append(matches[row.match_id])
    for item in shortlists.values():
        item.letters = lettered(item.members)
        item.n = len(item.letters)
        item.url = request.build_absolute_uri(reverse("shortlists:shortlist", args=[item.token]))
    return list(shortlists.values())


@require_POST
@permission_required("employers.add_match", raise_exception=True)
def match_propose(request, vacancy, candidate):
    """Propose a candidate from the ranking; the score and its explanation are kept."""
    vacancy = get_object_or_404(Vacancy.objects.prefetch_related("skills"), pk=vacancy)
    ranking_form = RankingForm(request.POST)
    weights = ranking_form.weights()
    scoped = CandidateProfile.objects.for_user(request.user)
    row = get_or_deny(
        request,
        # Whoever the ranking showed, placed ones included when asked for (the filter).
        matching.candidates_for(
            vacancy,
            scoped.filter(pk=candidate),
            weights=weights,
            filters=matching.Filters(include_placed=True),
            few=True,
        ),
        candidate,
        kind=AccessKind.CANDIDATE_PROFILE,
    )
    act(
        request,
        lambda: services.match_propose(
            actor=request.user,
            vacancy=vacancy,
            profile=row,
            score=row.score,
            explanation=matching.explanation_kept(row, weights, vacancy=vacancy),
        ),
        done=_("%(name)s is proposed for this vacancy.") % {"name": row.client},
    )
    back = reverse("employers:vacancy_detail", args=[vacancy.pk])
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


@require_POST
@permission_required("employers.change_match", raise_exception=True)
def match_advance(request, match):
    match = get_object_or_404(Match.objects.select_related("vacancy"), pk=match)
    form = MatchAdvanceForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.match_advance(actor=request.user, match=match, **form.cleaned_data),
            done=_("The match is now: %(stage)s.")
            % {"stage": MatchStage(form.cleaned_data["stage"]).label},
        )
    else:
        messages.error(request, _("Choose a stage from the list."))
    return redirect("employers:vacancy_detail", vacancy=match.vacancy_id)


@require_POST
@permission_required("employers.add_shortlist", raise_exception=True)
def shortlist_create(request, vacancy):
    vacancy = get_object_or_404(Vacancy, pk=vacancy)
    ids = [v for v in request.POST.getlist("match_ids") if v.isdigit()]
    chosen = vacancy.matches.filter(pk__in=ids, stage__in=MatchStage.ACTIVE)
    sent = act(
        request,
        lambda: services.shortlist_send(actor=request.user, vacancy=vacancy, matches=chosen),
        done=lambda shortlist: (
            _("The shortlist is ready. Send the employer this link; it works until %(date)s.")
            % {"date": shortlist.expires_at.strftime("%d-%m-%Y")}
        ),
    )
    back = reverse("employers:vacancy_detail", args=[vacancy.pk])
    return redirect(f"{back}#shortlists" if sent else back)


@login_not_required
def shortlist(request, token):
    """What the employer sees: anonymous profiles, no name, BSN, birth date or address."""
    shortlist = (
        Shortlist.objects.select_related("vacancy__employer", "vacancy__sector")
        .filter(token=token)
        .first()
    )
    if shortlist is None:
        raise Http404
    if shortlist.expired:
        response = render(request, "employers/shortlist_expired.html", status=410)
        add_never_cache_headers(response)
        return response
    candidates = (
        shortlist.matches.select_related("client__candidate_profile", "client__municipality")
        .prefetch_related("client__candidate_profile__sectors", "client__candidate_profile__skills")
        .order_by("-score", "pk")
    )
    labelled = lettered(candidates)
    response = render(
        request,
        "employers/shortlist.html",
        {"shortlist": shortlist, "vacancy": shortlist.vacancy, "candidates": labelled},
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- Candidates ---------------------------------------------------------------------------------


def _scoped_profile(request, pk) -> CandidateProfile:
    return get_or_deny(
        request,
        CandidateProfile.objects.for_user(request.user).select_related(
            "client__municipality", "client__coach"
        ),
        pk,
        kind=AccessKind.CANDIDATE_PROFILE,
    )


class CandidateListView(ListPage):
    """Profiles in the user's scope by name; the table reads one page's completeness."""

    permission_required = "employers.view_candidateprofile"
    filterset_class = CandidateFilter
    table_class = CandidateTable
    template_name = "employers/candidate_list.html"
    per_page = PAGE_SIZE
    nav = "candidates"

    def get_queryset(self):
        return (
            CandidateProfile.objects.for_user(self.request.user)
            .only("pk")
            .order_by("client__last_name", "client__first_name", "pk")
        )


candidate_list = CandidateListView.as_view()


@permission_required("employers.view_candidateprofile", raise_exception=True)
def candidate_detail(request, candidate):
    """A candidate profile (logged as a read), its completeness and the vacancies ranked."""
    profile = _scoped_profile(request, candidate)
    annotated = (
        profiles.with_completeness(CandidateProfile.objects.filter(pk=profile.pk))
        .prefetch_related("sectors", "skills")
        .get()
    )
    annotated.client = profile.client
    ranking_form = _ranking_form(request)
    weights = ranking_form.weights()
    ranked = matching.vacancies_for(annotated, Vacancy.objects.open(), weights=weights)
    page = _page(request, ranked, size=10)
    rows = [
        (row, matching.explain(row, weights, profile=annotated), matching.distance_km(row))
        for row in page
    ]
    response = render(
        request,
        "employers/candidate_detail.html",
        {
            "nav": "candidates",
            "profile": annotated,
            "client": profile.client,
            "completeness": profiles.completeness(annotated),
            "complete": profiles.is_complete(annotated),
            "missing": profiles.missing(annotated),
            "rows": rows,
            "page": page,
            "weights": weights,
            "criteria": matching.CRITERIA,
            "ranking_form": ranking_form,
            "matches": list(
                Match.objects.filter(client=profile.client)
                .select_related("vacancy__employer", "rejection_reason")
                .order_by("-updated_at")
            ),
            "consents": list(
                profile.client.employer_consents.select_related("employer", "recorded_by")
            ),
            "consent_form": ConsentForm(),
            "query": _query_without_page(request),
        },
    )
    access_record(request=request, kind=AccessKind.CANDIDATE_PROFILE, obj=profile)
    return response


@require_POST
@permission_required("employers.add_consentrecord", raise_exception=True)
def consent_create(request, candidate):
    profile = _scoped_profile(request, candidate)
    form = ConsentForm(request.POST)
    employer = None
    employer_id = request.POST.get("employer", "")
    if employer_id.isdigit():
        employer = Employer.objects.filter(pk=int(employer_id)).first()
    if not form.is_valid():
        messages.error(request, _("The consent is not recorded: give a date and a scope."))
    elif inline_submit(
        request,
        form,
        lambda form: services.consent_record(
            actor=request.user, client=profile.client, employer=employer, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The consent is recorded."))
    else:  # the service refused
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("employers:candidate_detail", candidate=profile.pk)


@permission_required("employers.change_candidateprofile", raise_exception=True)
@refusing_anonymised
def profile_edit(request, pk):
    """The coach fills in their client's candidate profile; the intake's answers come first."""
    client = writable_client(request, pk)
    profile = CandidateProfile.objects.filter(client=client).first()
    initial = profiles.first_answers(client) if profile is None else {}
    return form_page(
        request,
        form=CandidateProfileForm(request.POST or None, instance=profile, initial=initial),
        save=lambda form: services.candidate_profile_save(
            actor=request.user, client=client, **form.cleaned_data
        ),
        template="employers/profile_form.html",
        context={"client": client, "from_intake": bool(initial)},
        success_url=lambda _saved: reverse("clients:detail", args=[client.pk]),
        saved=_("The candidate profile is saved."),
        fallback_url=reverse("clients:detail", args=[client.pk]),
    )
