"""The round trip on a database in daily use (interchange.md, Import): records made in the
product get refs of their own on export, which the product keeps, so importing the export back
changes nothing and a second export is the same as the first."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from clients import services as client_services
from clients.models import Client, Contact
from employers import services as employer_services
from employers.models import Employer
from interchange.engine import import_folder
from interchange.exporter import ExportRefused, export_folder
from placements import services as placement_services
from placements.models import Decision, Placement, Provision, WageValueAssessment
from tests.factories import ClientFactory, valid_bsn
from tests.interchange.conftest import HEADER, client_line, lines
from trajectories import services as trajectory_services
from trajectories.models import BranchTeam, Route, Trajectory

pytestmark = pytest.mark.usefixtures("reference_data")

MODELS = (Client, Contact, Trajectory, Employer, Placement, WageValueAssessment, Provision)


@pytest.fixture
def daily_use(folder, coach, coach_client, new_client_data, team, assen):
    """Imported records and records made through the forms and services, side by side."""
    imported = folder(
        {
            "clients.csv": lines(HEADER, client_line("C1", n=1), client_line("C2", n=2)),
            "contacts.csv": lines(
                "contact_ref,client_ref,date,channel,subject", "K1,C1,2024-03-01,phone,Intake"
            ),
        },
        name="imported",
    )
    assert import_folder(imported).ok
    # A coach registers a client and logs a contact through the pages.
    response = coach_client.post(reverse("clients:create"), new_client_data)
    assert response.status_code == 302
    selam = Client.objects.get(bsn=new_client_data["bsn"])
    response = coach_client.post(
        reverse("clients:contact_create", args=[selam.pk]),
        {"date": "2026-11-20", "channel": "in_person", "subject": "Kennismaking, eerste keer"},
    )
    assert response.status_code == 302
    # The rest through the services the pages call.
    ana = client_services.client_register(
        actor=coach,
        first_name="Ana",
        name_prefix="da",
        last_name="Silva",
        bsn=valid_bsn(60),
        birth_date=datetime.date(1988, 4, 2),
        postcode="9402 CD",
        municipality=assen,
        target_group="social_assistance",
        registered_on=datetime.date(2025, 2, 3),
        coach=coach,
        team=team,
    )
    client_services.contact_log(
        actor=coach, client=ana, date=datetime.date(2025, 3, 1), channel="phone", subject=""
    )
    trajectory_services.trajectory_start(
        actor=coach,
        client=ana,
        route=Route.objects.get(code="employee"),
        branch_team=BranchTeam.objects.order_by("pk").first(),
        start_date=datetime.date(2025, 2, 10),
    )
    ended = trajectory_services.trajectory_start(
        actor=coach,
        client=selam,
        route=Route.objects.get(code="employee"),
        start_date=datetime.date(2026, 11, 2),
    )
    trajectory_services.trajectory_end(
        actor=coach, trajectory=ended, end_date=datetime.date(2026, 11, 25), outcome="work"
    )
    bakery = employer_services.employer_register(
        actor=coach, name="Bakkerij Stel", kvk_number="", municipality=assen
    )
    employer_services.employer_register(
        actor=coach, name="Zorggroep Assen", kvk_number="12345678", social_enterprise=True
    )
    placement = placement_services.placement_create(
        actor=coach,
        client=ana,
        employer=bakery,
        kind="work_experience",
        start_date=datetime.date(2025, 4, 1),
        hours_per_week=Decimal("24"),
        contract="temporary",
    )
    placement_services.assessment_record(
        actor=coach,
        client=ana,
        placement=placement,
        assessed_on=datetime.date(2025, 4, 15),
        wage_value_percent=Decimal("62.5"),
        method="Dariuz",
    )
    placement_services.provision_request(
        actor=coach,
        client=ana,
        placement=placement,
        kind="wage_cost_subsidy_structural",
        requested_on=datetime.date(2025, 4, 16),
        decision=Decision.GRANTED,
        decided_on=datetime.date(2025, 4, 30),
        start_date=datetime.date(2025, 5, 1),
        amount_eur=Decimal("9876.50"),
    )
    # Still pending: the format has no place for it, it stays in the product as it is.
    placement_services.provision_request(
        actor=coach,
        client=ana,
        kind="job_coach",
        requested_on=datetime.date(2025, 6, 1),
    )
    assert {m: m.objects.filter(source_ref__isnull=True).count() for m in MODELS} == {
        Client: 2,
        Contact: 2,
        Trajectory: 2,
        Employer: 2,
        Placement: 1,
        WageValueAssessment: 1,
        Provision: 2,
    }


def snapshot():
    return {m: sorted(m.objects.values_list()) for m in MODELS}


@pytest.mark.usefixtures("daily_use")
def test_importing_the_export_back_changes_nothing_and_exports_the_same(tmp_path):
    first = tmp_path / "first"
    written = export_folder(first)
    assert written["clients.csv"] == 4
    # Every record made in the product now keeps the ref it was exported with.
    assert not any(m.objects.filter(source_ref__isnull=True).exists() for m in MODELS)
    before = snapshot()
    result = import_folder(first)
    assert result.problems == []
    for name, counts in result.summary.items():
        if name == "service_area.csv":
            continue
        assert (counts["created"], counts["updated"]) == (0, 0), (name, counts)
        assert counts["unchanged"] == counts["rows"] == written[name], name
    assert snapshot() == before
    second = tmp_path / "second"
    export_folder(second)
    for name in written:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.usefixtures("daily_use")
def test_a_record_made_after_an_export_gets_its_ref_at_the_next_one(tmp_path, coach, team):
    export_folder(tmp_path / "first")
    kept = dict(Client.objects.values_list("pk", "source_ref"))
    late = ClientFactory(bsn=valid_bsn(70), team=team, coach=coach)
    export_folder(tmp_path / "second")
    assert Client.objects.get(pk=late.pk).source_ref == f"wo-{late.pk}"
    assert {
        pk: ref for pk, ref in Client.objects.values_list("pk", "source_ref") if pk in kept
    } == (kept)
    assert import_folder(tmp_path / "second").summary["clients.csv"]["unchanged"] == 5


def test_an_export_whose_generated_ref_is_taken_writes_no_ref_at_all(tmp_path, team):
    made = ClientFactory(bsn=valid_bsn(80), team=team)
    ClientFactory(bsn=valid_bsn(81), team=team, source_ref=f"wo-{made.pk}")
    contact = Contact.objects.create(client=made, date=datetime.date(2025, 1, 2), channel="phone")
    with pytest.raises(ExportRefused):
        export_folder(tmp_path / "out")
    made.refresh_from_db()
    contact.refresh_from_db()
    assert (made.source_ref, contact.source_ref) == (None, None)


@pytest.mark.usefixtures("daily_use")
def test_the_export_command_keeps_the_refs_too(tmp_path, capsys):
    call_command("export_data", str(tmp_path / "out"))
    assert "clients.csv" in capsys.readouterr().out
    assert not Client.objects.filter(source_ref__isnull=True).exists()
    result = import_folder(tmp_path / "out")
    assert result.summary["clients.csv"] == {"rows": 4, "created": 0, "updated": 0, "unchanged": 4}


@pytest.mark.usefixtures("daily_use")
def test_the_coach_keeps_the_clients_made_in_the_product_after_the_round_trip(tmp_path, coach):
    caseload = set(Client.objects.for_user(coach).values_list("pk", "coach", "team"))
    export_folder(tmp_path / "out")
    assert import_folder(tmp_path / "out").ok
    assert set(Client.objects.for_user(coach).values_list("pk", "coach", "team")) == caseload
    assert len(caseload) == 2  # Selam (the form) and Ana (the service)
