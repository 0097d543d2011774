"""Referring a client to the diagnosis team (from the dossier), withdrawing the referral, the
diagnosis team's list of referrals, and planning and finishing a practical assessment."""

from django.contrib.auth.decorators import permission_required
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import get_or_deny
from clients.access import refusing_anonymised, writable_client
from core.editing import form_page
from core.lists import ListPage
from diagnosis import services
from diagnosis.filters import ReferralFilter
from diagnosis.forms import AssessmentFinishForm, AssessmentPlanForm, ReferralForm, WithdrawForm
from diagnosis.models import PracticalAssessment, Referral, ReferralStatus, signal_days
from diagnosis.tables import ReferralTable


def _dossier_url(client_id) -> str:
    return reverse("clients:detail", args=[client_id]) + "#diagnosis"


def _referral(request, pk) -> Referral:
    """A referral of a client the user may open (a 404, logged, otherwise)."""
    return get_or_deny(
        request, Referral.objects.for_user(request.user).select_related("client", "team"), pk
    )


@permission_required("diagnosis.add_referral", raise_exception=True)
@refusing_anonymised
def referral_create(request, pk):
    """Refer the client to a diagnosis team with a question."""
    client = writable_client(request, pk)
    return form_page(
        request,
        form=ReferralForm(request.POST or None),
        save=lambda form: services.referral_make(
            actor=request.user, client=client, **form.cleaned_data
        ),
        template="diagnosis/referral_form.html",
        context={"client": client},
        success_url=lambda _referral: _dossier_url(client.pk),
        saved=lambda referral: _("The client is referred to %(team)s.") % {"team": referral.team},
        fallback_url=_dossier_url(client.pk),
    )


@permission_required("diagnosis.change_referral", raise_exception=True)
@refusing_anonymised
def referral_withdraw(request, referral):
    """Withdraw an open referral, with a reason."""
    referral = _referral(request, referral)
    writable_client(request, referral.client_id)
    return form_page(
        request,
        form=WithdrawForm(request.POST or None),
        save=lambda form: services.referral_withdraw(
            actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
        ),
        template="diagnosis/withdraw_form.html",
        context={"client": referral.client, "referral": referral},
        success_url=lambda _referral: _dossier_url(referral.client_id),
        saved=_("The referral is withdrawn."),
        fallback_url=_dossier_url(referral.client_id),
    )


class ReferralListView(ListPage):
    """The referrals to the user's teams: the open ones oldest first, the longest waiting
    marked past DIAGNOSIS_REFERRAL_SIGNAL_DAYS."""

    permission_required = "diagnosis.answer_referral"
    filterset_class = ReferralFilter
    filter_defaults = {"status": ReferralStatus.OPEN}
    table_class = ReferralTable
    template_name = "diagnosis/referral_list.html"
    per_page_setting = "CASELOAD_PAGE_SIZE"
    nav = "referrals"

    def get_queryset(self):
        return (
            Referral.objects.to_teams_of(self.request.user)
            .for_user(self.request.user)
            .for_list()
            .oldest_first()
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "signal_days": signal_days()}


referral_list = ReferralListView.as_view()


@permission_required("diagnosis.add_practicalassessment", raise_exception=True)
@refusing_anonymised
def assessment_plan(request, referral):
    """Plan a practical assessment of 6 to 12 weeks from a referral."""
    referral = _referral(request, referral)
    writable_client(request, referral.client_id)
    return form_page(
        request,
        form=AssessmentPlanForm(request.POST or None),
        save=lambda form: services.assessment_plan(
            actor=request.user, referral=referral, **form.cleaned_data
        ),
        template="diagnosis/assessment_form.html",
        context={"client": referral.client, "referral": referral},
        success_url=lambda _assessment: _dossier_url(referral.client_id),
        saved=_("The practical assessment is planned."),
        fallback_url=_dossier_url(referral.client_id),
    )


@permission_required("diagnosis.change_practicalassessment", raise_exception=True)
@refusing_anonymised
def assessment_finish(request, practical_assessment):
    """Evaluate a practical assessment with its advised route, or record that it stopped."""
    assessment = get_or_deny(
        request,
        PracticalAssessment.objects.filter(
            referral__in=Referral.objects.for_user(request.user)
        ).select_related("referral__client"),
        practical_assessment,
    )
    client = writable_client(request, assessment.referral.client_id)
    return form_page(
        request,
        form=AssessmentFinishForm(request.POST or None),
        save=lambda form: services.assessment_finish(
            actor=request.user, assessment=assessment, **form.cleaned_data
        ),
        template="diagnosis/assessment_finish.html",
        context={"client": client, "assessment": assessment},
        success_url=lambda _assessment: _dossier_url(client.pk),
        saved=_("The practical assessment is finished."),
        fallback_url=_dossier_url(client.pk),
    )
