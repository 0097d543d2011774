"""Making a plan version and recording the signature from the dossier: who may, what a wrong
value says, what the dossier's plan panel shows, and its queries with 1 and 50 versions."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.models import Document, DocumentKind
from plans import services, snapshot
from plans.models import PlanVersion
from trajectories import services as trajectory_services
from trajectories.models import GoalStatus

pytestmark = pytest.mark.django_db


def dossier(browser, client) -> str:
    return browser.get(reverse("clients:detail", args=[client.pk])).content.decode()


def test_coach_makes_a_version_and_the_form_starts_from_the_previous_agreements(
    coach_client, trajectory, review_on
):
    url = reverse("plans:create", args=[trajectory.pk])
    response = coach_client.post(
        url, {"agreements": "U zoekt elke week twee vacatures.", "review_on": review_on}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/clients/{trajectory.client_id}/#plan")
    version = PlanVersion.objects.get()
    assert (version.number, version.agreements) == (1, "U zoekt elke week twee vacatures.")
    form = coach_client.get(url).context["form"]
    assert form["agreements"].value() == "U zoekt elke week twee vacatures."
    assert "Dit wordt versie 2." in coach_client.get(url).content.decode()


def test_empty_agreements_are_refused_next_to_the_field_with_the_date_kept(
    coach_client, trajectory
):
    day = timezone.localdate() + datetime.timedelta(days=60)
    response = coach_client.post(
        reverse("plans:create", args=[trajectory.pk]),
        {"agreements": "", "review_on": day.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agreements"] == ["Dit veld is verplicht."]
    assert response.context["form"]["review_on"].value() == day.isoformat()
    assert not PlanVersion.objects.exists()


def test_a_review_date_today_is_refused_in_dutch(coach_client, trajectory):
    response = coach_client.post(
        reverse("plans:create", args=[trajectory.pk]),
        {"agreements": "U komt op gesprek.", "review_on": timezone.localdate().isoformat()},
    )
    assert response.context["form"].errors["review_on"] == [
        "Het plan wordt opnieuw bekeken op een dag na vandaag."
    ]


def test_recording_the_signature_in_the_future_is_refused_then_recorded(coach_client, make_version):
    version = make_version()
    url = reverse("plans:sign", args=[version.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = coach_client.post(url, {"signed_on": tomorrow.isoformat()})
    assert response.status_code == 200
    assert response.context["form"].errors["signed_on"] == [
        "De dag van ondertekening kan niet in de toekomst liggen."
    ]
    response = coach_client.post(url, {"signed_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.signed_on == timezone.localdate()


def test_a_coach_of_another_team_gets_a_404(make_user, other_team, client, make_version):
    from core import roles

    version = make_version()
    stranger = make_user("vreemde", roles.WORK_COACH, teams=[other_team])
    client.force_login(stranger)
    assert client.get(reverse("plans:create", args=[version.trajectory_id])).status_code == 404
    assert client.get(reverse("plans:sign", args=[version.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[version.document_id])).status_code == 404


def test_an_account_manager_may_not_make_or_sign_plans(client, account_manager, make_version):
    version = make_version()
    client.force_login(account_manager)
    assert client.get(reverse("plans:create", args=[version.trajectory_id])).status_code == 403
    assert client.get(reverse("plans:sign", args=[version.pk])).status_code == 403


def test_the_pages_of_an_anonymised_client_lead_back_to_the_dossier(
    coach_client, make_version, client_of_coach
):
    version = make_version()
    type(client_of_coach).objects.filter(pk=client_of_coach.pk).update(anonymised_at=timezone.now())
    for url in (
        reverse("plans:create", args=[version.trajectory_id]),
        reverse("plans:sign", args=[version.pk]),
    ):
        response = coach_client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("clients:detail", args=[client_of_coach.pk])
    assert "Nieuwe versie maken" not in dossier(coach_client, client_of_coach)


def test_the_panel_shows_the_version_in_force_the_one_awaiting_and_what_changed(
    coach_client, coach, make_version, trajectory, client_of_coach
):
    first = make_version("U komt elke twee weken op gesprek.")
    services.plan_version_sign(actor=coach, version=first, signed_on=timezone.localdate())
    goal = trajectory.goals.get()
    trajectory_services.goal_set_status(
        actor=coach, goal=goal, status=GoalStatus.ACHIEVED, status_date=timezone.localdate()
    )
    second = make_version("U komt elke week op gesprek.")
    page = dossier(coach_client, client_of_coach)
    assert "Versie 1 geldt: getekend op" in page
    assert "Wacht op handtekening" in page
    assert reverse("plans:sign", args=[second.pk]) in page
    assert reverse("plans:sign", args=[first.pk]) not in page  # signed: never again
    assert reverse("documents:download", args=[second.document_id]) in page
    assert "Wat is er veranderd ten opzichte van versie 1" in page
    assert "Een baan in de zorg vinden: status" in page
    assert '<span class="visually-hidden">was: </span>Open</del>' in page
    assert '<span class="visually-hidden">nu: </span>Behaald</ins>' in page
    assert '<span class="visually-hidden">verwijderd: </span>twee weken </del>' in page
    assert '<span class="visually-hidden">toegevoegd: </span>week </ins>' in page
    assert "Plan van aanpak gemaakt" in page  # the timeline
    assert "Plan van aanpak getekend" in page


def _versions(trajectory, coach, n):
    """`n` versions written directly (their PDFs are not the point here): each a document."""
    kind = DocumentKind.objects.get(code="signed_plan")
    base = snapshot.take(
        trajectory=trajectory,
        agreements="U komt op gesprek.",
        review_on=timezone.localdate() + datetime.timedelta(days=30),
        made_on=timezone.localdate(),
    )
    for number in range(1, n + 1):
        document = Document(
            client=trajectory.client,
            kind=kind,
            original_name=f"plan-{number}.pdf",
            content_type="application/pdf",
            size=8,
            dated_on=timezone.localdate(),
        )
        document.extension = "pdf"
        document.file.save("plan", ContentFile(b"%PDF-1.4"), save=False)
        document.save()
        PlanVersion.objects.create(
            trajectory=trajectory,
            number=number,
            made_by=coach,
            agreements=f"U komt op gesprek, versie {number}.",
            review_on=timezone.localdate() + datetime.timedelta(days=30),
            content=base | {"agreements": f"U komt op gesprek, versie {number}."},
            document=document,
            signed_on=timezone.localdate() if number % 2 else None,
            signed_recorded_by=coach if number % 2 else None,
            signed_recorded_at=timezone.now() if number % 2 else None,
        )


def _count(browser, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_dossier_runs_as_many_queries_for_50_versions_as_for_1(
    coach_client, coach, trajectory, client_of_coach, django_assert_num_queries
):
    url = reverse("clients:detail", args=[client_of_coach.pk])
    _versions(trajectory, coach, 1)
    coach_client.get(url)  # the session's first renewal is not the page's
    one = _count(coach_client, url)
    PlanVersion.objects.all().delete()
    _versions(trajectory, coach, 50)
    with django_assert_num_queries(one):
        response = coach_client.get(url)
    (panel,) = [p for p in response.context["panels"] if p.template == "plans/_dossier.html"]
    (plan,) = panel.context["plans"]
    assert len(plan.rows) == 50
    assert plan.in_force.number == 49  # the newest signed (odd numbers are signed)
