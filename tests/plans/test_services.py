"""The rules of the plan's versions: numbered, kept, a snapshot that never changes, signed once
on a sensible day, the newest signed one in force."""

import datetime
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents.models import Document
from plans import services
from plans.models import PlanVersion, in_force
from trajectories import services as trajectory_services
from trajectories.models import GoalStatus

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def pdf_text(version) -> str:
    with version.document.file.open("rb") as handle:
        pdf = handle.read()
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_versions_are_numbered_per_trajectory_and_each_is_a_pdf_in_the_dossier(
    make_version, client_of_coach
):
    first = make_version("U zoekt elke week twee vacatures.")
    second = make_version("U solliciteert elke maand drie keer.")
    assert (first.number, second.number) == (1, 2)
    assert second.document.client == client_of_coach
    assert second.document.kind.code == "signed_plan"
    assert second.document.content_type == "application/pdf"
    assert second.document.original_name == f"plan-van-aanpak-versie-2-{TODAY():%Y-%m-%d}.pdf"
    assert second.document.description == "Plan van aanpak, versie 2"
    assert PlanVersion.objects.count() == 2  # version 1 is kept


def test_the_pdf_prints_the_goals_activities_and_agreements_in_plain_dutch(make_version):
    text = pdf_text(make_version("U zoekt elke week twee vacatures."))
    assert "Dit is uw plan." in text
    assert "Fatima El Amrani" in text and "Sanne de Vries" in text
    assert "Een baan in de zorg vinden" in text
    assert "uiterlijk 3 maart 2027" in text
    assert "Werkontwikkelplek (WOP) bij Zorgcentrum De Linde" in text
    assert "U zoekt elke week twee vacatures." in text
    assert "Handtekening" in text


def test_a_version_keeps_what_it_printed_when_the_trajectory_changes(
    make_version, trajectory, coach
):
    version = make_version()
    goal = trajectory.goals.get()
    trajectory_services.goal_set_status(
        actor=coach, goal=goal, status=GoalStatus.ACHIEVED, status_date=TODAY()
    )
    version.refresh_from_db()
    assert version.content["goals"] == [
        {
            "id": goal.pk,
            "description": "Een baan in de zorg vinden",
            "status": "open",
            "target_date": "2027-03-03",
        }
    ]
    assert make_version().content["goals"][0]["status"] == "achieved"


def test_empty_agreements_and_a_past_review_date_are_refused_and_nothing_is_written(
    make_version,
):
    with pytest.raises(ValidationError) as refused:
        make_version("   ", review_on=TODAY())
    assert set(refused.value.message_dict) == {"agreements", "review_on"}
    assert not PlanVersion.objects.exists()
    assert not Document.objects.exists()


def test_an_ended_trajectory_gets_no_new_version(make_version, trajectory, coach):
    trajectory_services.trajectory_end(
        actor=coach, trajectory=trajectory, end_date=TODAY(), outcome="work"
    )
    with pytest.raises(ValidationError, match="lopend traject"):
        make_version()


def test_signing_records_the_day_and_the_version_is_then_in_force(make_version, coach):
    version = make_version()
    assert in_force([version]) is None
    signed = services.plan_version_sign(actor=coach, version=version, signed_on=TODAY())
    assert signed.signed_on == TODAY()
    assert signed.signed_recorded_by == coach
    assert in_force([signed]) == signed


def test_a_signature_in_the_future_or_before_the_version_was_made_is_refused(make_version, coach):
    made = timezone.now() - datetime.timedelta(days=10)
    version = make_version(now=made)
    for day in (TODAY() + datetime.timedelta(days=1), TODAY() - datetime.timedelta(days=11)):
        with pytest.raises(ValidationError) as refused:
            services.plan_version_sign(actor=coach, version=version, signed_on=day)
        assert "signed_on" in refused.value.message_dict
    version.refresh_from_db()
    assert version.signed_on is None
    signed = services.plan_version_sign(
        actor=coach, version=version, signed_on=TODAY() - datetime.timedelta(days=10)
    )
    assert signed.signed_on == TODAY() - datetime.timedelta(days=10)


def test_a_signed_version_is_never_signed_again(make_version, coach):
    version = make_version()
    services.plan_version_sign(actor=coach, version=version, signed_on=TODAY())
    with pytest.raises(ValidationError, match="al getekend"):
        services.plan_version_sign(
            actor=coach, version=version, signed_on=TODAY() - datetime.timedelta(days=1)
        )
    version.refresh_from_db()
    assert version.signed_on == TODAY()


def test_only_the_newest_version_can_be_signed_and_the_newest_signed_is_in_force(
    make_version, coach
):
    first = make_version()
    services.plan_version_sign(actor=coach, version=first, signed_on=TODAY())
    second, third = make_version(), make_version()
    with pytest.raises(ValidationError, match="Versie 3 heeft deze versie vervangen"):
        services.plan_version_sign(actor=coach, version=second, signed_on=TODAY())
    versions = list(PlanVersion.objects.order_by("number"))
    assert in_force(versions) == first  # version 3 awaits the signature
    services.plan_version_sign(actor=coach, version=third, signed_on=TODAY())
    assert in_force(list(PlanVersion.objects.order_by("number"))).number == 3


def test_an_anonymised_client_gets_no_new_version(make_version, client_of_coach):
    type(client_of_coach).objects.filter(pk=client_of_coach.pk).update(anonymised_at=timezone.now())
    with pytest.raises(ValidationError):
        make_version()
    assert not PlanVersion.objects.exists()
