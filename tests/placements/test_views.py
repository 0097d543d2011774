"""Placement, assessment and provision pages: forms keep what was typed and say what is wrong,
edits are safe against concurrent changes, account managers see only their employers'
placements, and lists and panels keep a constant number of queries."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from placements.models import (
    Decision,
    FollowUp,
    FollowUpKind,
    Placement,
    Provision,
    WageValueAssessment,
)
from tests.factories import ClientFactory
from tests.placements.factories import (
    AssessmentFactory,
    EmployerFactory,
    PlacementFactory,
    ProvisionFactory,
    WageParametersFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def employer(db):
    return EmployerFactory(name="Bakkerij Van der Molen")


def placement_data(employer, **changes):
    data = {
        "employer": employer.pk,
        "kind": "regular",
        "job_title": "Bakkersassistent",
        "start_date": "2026-03-02",
        "end_date": "",
        "contract": "temporary",
        "contract_end_date": "2027-03-01",
        "hours_per_week": "32",
        "hourly_wage": "14,71",
        "sroi": "on",
        "end_reason": "",
        "notes": "Begint in de vroege dienst",
    }
    return data | changes


def test_coach_places_a_client_from_the_dossier(coach_client, client_of_coach, employer):
    url = reverse("placements:create") + f"?client={client_of_coach.pk}"
    response = coach_client.post(url, placement_data(employer))
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert placement.client == client_of_coach
    assert placement.hours_per_week == Decimal("32")
    assert placement.hourly_wage == Decimal("14.71")
    assert placement.sroi


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"end_date": "2026-03-01", "end_reason": "resigned"},
            "end_date",
            "De einddatum kan niet vóór de startdatum (02-03-2026) liggen.",
        ),
        ({"hours_per_week": "41"}, "hours_per_week", "Uren per week moeten meer dan 0 en"),
        ({"hours_per_week": "0"}, "hours_per_week", "Uren per week moeten meer dan 0 en"),
        ({"hours_per_week": "-3"}, "hours_per_week", "Uren per week moeten meer dan 0 en"),
        ({"contract_end_date": ""}, "contract_end_date", "Een tijdelijk contract heeft een"),
    ],
)
def test_a_wrong_placement_is_refused_in_dutch_keeping_the_input(
    coach_client, client_of_coach, employer, changes, field, message
):
    url = reverse("placements:create") + f"?client={client_of_coach.pk}"
    response = coach_client.post(url, placement_data(employer, **changes))
    assert response.status_code == 200
    assert not Placement.objects.exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert "Bakkersassistent" in page and "Begint in de vroege dienst" in page


def test_a_stale_placement_edit_answers_409_and_keeps_the_input(
    coach_client, client_of_coach, employer
):
    placement = PlacementFactory(client=client_of_coach, employer=employer)
    url = reverse("placements:update", args=[placement.pk])
    form = coach_client.get(url).context["form"]
    version = form["version"].value()
    # Someone else saves first.
    Placement.objects.get(pk=placement.pk).save()
    data = placement_data(employer, job_title="Mijn wijziging", version=version)
    response = coach_client.post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Mijn wijziging" in page
    assert "Iemand anders heeft dit gewijzigd" in page or "concurrent-edit" in page
    placement.refresh_from_db()
    assert placement.job_title == ""
    # Saving again from the 409 page keeps the user's values.
    again = coach_client.post(url, response.context["form"].data)
    assert again.status_code == 302
    placement.refresh_from_db()
    assert placement.job_title == "Mijn wijziging"


def test_an_assessment_with_a_task_table_computes_the_wage_value(
    coach_client, client_of_coach, employer
):
    placement = PlacementFactory(client=client_of_coach, employer=employer)
    data = {
        "assessed_on": "2026-03-16",
        "placement": placement.pk,
        "method": "Landelijke methode",
        "assessor": "J. de Boer",
        "reference_job": "Bakker",
        "wage_value_percent": "",
        "notes": "",
        "tasks-TOTAL_FORMS": "5",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "5",
        "tasks-MAX_NUM_FORMS": "5",
        # 60% x (90 x 80 x 100) = 43.20; 40% x (100 x 60 x 90 = 54) = 21.60 -> 64.80
        "tasks-0-description": "Deeg maken",
        "tasks-0-share_percent": "60",
        "tasks-0-quality_percent": "90",
        "tasks-0-pace_percent": "80",
        "tasks-0-employability_percent": "100",
        "tasks-1-description": "Inpakken",
        "tasks-1-share_percent": "40",
        "tasks-1-quality_percent": "100",
        "tasks-1-pace_percent": "60",
        "tasks-1-employability_percent": "90",
        "save": "1",
    }
    url = reverse("placements:assessment_create", args=[client_of_coach.pk])
    preview = coach_client.post(url, {**data, "preview": "1"})
    assert "Berekende loonwaarde: 64,80%" in preview.content.decode()
    assert not WageValueAssessment.objects.exists()
    response = coach_client.post(url, data)
    assert response.status_code == 302
    assessment = WageValueAssessment.objects.get()
    assert assessment.wage_value_percent == Decimal("64.80")
    assert [t.description for t in assessment.tasks.all()] == ["Deeg maken", "Inpakken"]


def test_shares_that_do_not_add_up_to_100_are_refused(coach_client, client_of_coach):
    data = {
        "assessed_on": "2026-03-16",
        "tasks-TOTAL_FORMS": "5",
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "5",
        "tasks-MAX_NUM_FORMS": "5",
        "tasks-0-description": "Deeg maken",
        "tasks-0-share_percent": "60",
        "tasks-0-quality_percent": "90",
        "tasks-0-pace_percent": "80",
        "tasks-0-employability_percent": "100",
        "save": "1",
    }
    url = reverse("placements:assessment_create", args=[client_of_coach.pk])
    response = coach_client.post(url, data)
    assert response.status_code == 200
    assert "moeten samen 100% zijn" in response.content.decode()
    assert 'value="Deeg maken"' in response.content.decode()


@pytest.mark.parametrize("value", ["100,5", "-1", "250"])
def test_a_wage_value_outside_0_to_100_is_refused_in_dutch(coach_client, client_of_coach, value):
    url = reverse("placements:assessment_create", args=[client_of_coach.pk])
    data = {
        "assessed_on": "2026-03-16",
        "wage_value_percent": value,
        "method": "Mijn methode",
        "tasks-TOTAL_FORMS": "5",
        "tasks-INITIAL_FORMS": "0",
        "save": "1",
    }
    response = coach_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["wage_value_percent"]
    assert "De loonwaarde moet tussen 0 en 100% liggen." in errors
    assert "Mijn methode" in response.content.decode()
    assert not WageValueAssessment.objects.exists()


def test_a_provision_is_requested_and_then_decided(coach_client, client_of_coach):
    placement = PlacementFactory(client=client_of_coach)
    url = reverse("placements:provision_create", args=[client_of_coach.pk])
    data = {
        "kind": "job_coach",
        "placement": placement.pk,
        "requested_on": "2026-03-02",
        "decision": "pending",
        "job_coach_kind": "external",
        "job_coach_hours": "6",
    }
    assert coach_client.post(url, data).status_code == 302
    provision = Provision.objects.get()
    edit = reverse("placements:provision_update", args=[provision.pk])
    version = coach_client.get(edit).context["form"]["version"].value()
    refused = coach_client.post(edit, {**data, "decision": "granted", "version": version})
    assert refused.status_code == 200
    assert "Geef de datum van het besluit." in refused.context["form"].errors["decided_on"]
    granted = {
        **data,
        "decision": "granted",
        "decided_on": "2026-03-09",
        "start_date": "2026-03-16",
        "end_date": "2027-03-15",
        "reassess_on": "2026-09-16",
        "version": version,
    }
    assert coach_client.post(edit, granted).status_code == 302
    provision.refresh_from_db()
    assert provision.decision == Decision.GRANTED
    assert provision.reassess_on == datetime.date(2026, 9, 16)


def test_the_calculator_shows_every_step_and_saves_the_proposal(coach_client, client_of_coach):
    WageParametersFactory(valid_from=datetime.date(2026, 1, 1), minimum_wage_month=Decimal(2000))
    placement = PlacementFactory(client=client_of_coach, hours_per_week=Decimal(32))
    AssessmentFactory(placement=placement, wage_value_percent=Decimal(60))
    provision = ProvisionFactory(placement=placement, start_date=datetime.date(2026, 3, 2))
    url = reverse("placements:calculator", args=[provision.pk])
    page = coach_client.get(url)
    assert page.context["form"].initial["wage_value_percent"] == Decimal(60)
    data = {
        "reference_date": "2026-03-02",
        "wage_value_percent": "60",
        "contract_hours": "32",
        "full_time_hours": "36",
    }
    shown = coach_client.post(url, {**data, "calculate": "1"}).content.decode()
    for figure in ("€ 2.160,00", "€ 1.920,00", "€ 768,00", "€ 1.344,00", "€ 180,48", "€ 948,48"):
        assert figure in shown
    assert not provision.calculations.exists()
    assert coach_client.post(url, {**data, "save": "1"}).status_code == 302
    provision.refresh_from_db()
    assert provision.amount_eur == Decimal("948.48")


def test_a_calculation_saved_with_a_double_click_is_kept_once(coach_client, client_of_coach):
    provision = ProvisionFactory(placement=PlacementFactory(client=client_of_coach))
    url = reverse("placements:calculator", args=[provision.pk])
    data = {
        "reference_date": "2026-03-02",
        "wage_value_percent": "60",
        "contract_hours": "32",
        "full_time_hours": "36",
        "save": "1",
        "submission_token": str(uuid.uuid4()),
    }
    assert coach_client.post(url, data).status_code == 302
    assert coach_client.post(url, data).status_code == 302  # the second send: already saved
    assert provision.calculations.count() == 1


def test_the_calculator_says_when_no_minimum_wage_is_known(coach_client, client_of_coach):
    provision = ProvisionFactory(placement=PlacementFactory(client=client_of_coach))
    url = reverse("placements:calculator", args=[provision.pk])
    data = {
        "reference_date": "2020-01-01",
        "wage_value_percent": "60",
        "contract_hours": "32",
        "full_time_hours": "36",
        "calculate": "1",
    }
    response = coach_client.post(url, data)
    assert response.status_code == 200
    assert "Er is geen minimumloon bekend voor 01-01-2020" in response.content.decode()


def test_a_coach_cannot_open_a_placement_of_another_team(coach_client, other_team):
    placement = PlacementFactory(client=ClientFactory(team=other_team))
    assert coach_client.get(reverse("placements:detail", args=[placement.pk])).status_code == 404


def test_an_account_manager_sees_placements_at_their_employers_without_notes(
    client, account_manager, client_of_coach
):
    own = EmployerFactory(account_manager=account_manager)
    placement = PlacementFactory(client=client_of_coach, employer=own)
    AssessmentFactory(placement=placement, notes="Rugklachten beperken het tillen")
    ProvisionFactory(placement=placement, notes="Psycholoog adviseert rustige werkplek")
    elsewhere = PlacementFactory(client=client_of_coach)
    client.force_login(account_manager)
    page = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert "60%" in page
    assert "Rugklachten" not in page and "Psycholoog" not in page
    assert client.get(reverse("placements:detail", args=[elsewhere.pk])).status_code == 404
    table = client.get(reverse("placements:list")).context["table"]
    assert [row.record for row in table.paginated_rows] == [placement]
    # The client's dossier stays closed.
    dossier = client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    assert dossier.status_code == 403


def test_an_account_manager_places_a_candidate_at_their_employer(
    client, account_manager, client_of_coach, coach
):
    from employers.models import CandidateProfile
    from trajectories import reference, services
    from trajectories.models import Route

    reference.load()
    services.trajectory_start(
        actor=coach,
        client=client_of_coach,
        route=Route.objects.get(code="employee"),
        start_date=datetime.date(2026, 1, 5),
    )
    # Offered: only a client with a profile open for matching, what the role sees for matching;
    # not one on route werknemer without a profile, nor one whose profile is closed.
    CandidateProfile.objects.create(client=client_of_coach, open_for_matching=True)
    not_a_candidate = ClientFactory(team=client_of_coach.team)
    services.trajectory_start(
        actor=coach,
        client=not_a_candidate,
        route=Route.objects.get(code="employee"),
        start_date=datetime.date(2026, 1, 5),
    )
    closed = ClientFactory(team=client_of_coach.team)
    CandidateProfile.objects.create(client=closed, open_for_matching=False)
    own = EmployerFactory(account_manager=account_manager)
    other = EmployerFactory()
    client.force_login(account_manager)
    form = client.get(reverse("placements:create")).context["form"]
    assert list(form.fields["candidate"].queryset) == [client_of_coach]
    assert list(form.fields["employer"].queryset) == [own]
    data = placement_data(own, candidate=client_of_coach.pk)
    assert client.post(reverse("placements:create"), data).status_code == 302
    assert Placement.objects.get().client == client_of_coach
    refused = client.post(
        reverse("placements:create"), placement_data(other, candidate=not_a_candidate.pk)
    )
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"candidate", "employer"}


def test_marking_a_due_item_done_hides_it_from_the_start_page(
    coach_client, client_of_coach, settings
):
    settings.AFTERCARE_CONTRACT_END_WEEKS = 8
    today = datetime.date.today()
    placement = PlacementFactory(
        client=client_of_coach,
        start_date=today - datetime.timedelta(days=300),
        contract_end_date=today + datetime.timedelta(days=20),
    )
    start = coach_client.get(reverse("clients:list"))
    items = start.context["aftercare"].contracts_ending
    assert [i.placement for i in items] == [placement]
    response = coach_client.post(
        reverse("placements:follow_up_done"),
        {
            "kind": "contract_end",
            "placement": placement.pk,
            "due_on": placement.contract_end_date.isoformat(),
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.kind == FollowUpKind.CONTRACT_END and follow_up.done_at is not None
    assert not coach_client.get(reverse("clients:list")).context["aftercare"].contracts_ending


def _placements_with_history(client, rows):
    for i in range(rows):
        placement = PlacementFactory(client=client, start_date=datetime.date(2020, 1 + i, 6))
        assessment = AssessmentFactory(placement=placement, assessed_on=placement.start_date)
        assessment.tasks.create(
            description="Taak",
            share_percent=100,
            quality_percent=60,
            pace_percent=100,
            employability_percent=100,
        )
        ProvisionFactory(
            placement=placement,
            decision=Decision.GRANTED,
            decided_on=placement.start_date,
            requested_on=placement.start_date,
        )


@pytest.mark.parametrize("rows", [1, 10])
def test_dossier_with_placements_runs_a_constant_number_of_queries(
    coach_client, client_of_coach, rows, django_assert_num_queries
):
    _placements_with_history(client_of_coach, rows)
    # 15, as without trajectories (tests/clients/test_views.py): the placements and provisions
    # come with the client, the assessments' tasks with the assessments
    with django_assert_num_queries(15):
        response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    panel = next(p for p in response.context["panels"] if p.template == "placements/_dossier.html")
    assert len(panel.context["placements"]) == rows
    assert panel.context["chart"] is not None


def test_the_dossier_shows_placements_and_provisions_as_stored(coach_client, client_of_coach):
    # They come as JSON with the dossier's query of the client (clients.dossier.JSONRows): every
    # column, decimals with their places and moments with their zone, must read back as the
    # ORM reads them.
    _placements_with_history(client_of_coach, 2)
    response = coach_client.get(reverse("clients:detail", args=[client_of_coach.pk]))
    panel = next(p for p in response.context["panels"] if p.template == "placements/_dossier.html")
    stored = {
        "placements": Placement.objects.select_related("employer").order_by("-start_date", "-pk"),
        "provisions": Provision.objects.select_related("placement__employer").order_by(
            "-requested_on", "-pk"
        ),
    }
    for name, rows in stored.items():
        shown = panel.context[name]
        assert len(shown) == len(rows) == 2
        for read, expected in zip(shown, rows, strict=True):
            model = type(expected)
            for field in model._meta.concrete_fields:
                assert repr(getattr(read, field.attname)) == repr(
                    getattr(expected, field.attname)
                ), field.name
    assert [p.employer.name for p in panel.context["placements"]] == [
        p.employer.name for p in stored["placements"]
    ]
    assert [p.placement.employer.name for p in panel.context["provisions"]] == [
        p.placement.employer.name for p in stored["provisions"]
    ]


@pytest.mark.parametrize("rows", [1, 8])
def test_placement_list_runs_a_constant_number_of_queries(
    coach_client, client_of_coach, rows, django_assert_num_queries
):
    for i in range(rows):
        PlacementFactory(client=client_of_coach, start_date=datetime.date(2026, 1, 1 + i))
    # session, user, permissions (2), count, page (placements with client and employer),
    # the scope's team ids, and the idle-timeout renewal (savepoint, update, release)
    with django_assert_num_queries(9):
        response = coach_client.get(reverse("placements:list"))
    assert len(response.context["table"].paginated_rows) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_placement_page_runs_a_constant_number_of_queries(
    coach_client, client_of_coach, rows, django_assert_num_queries
):
    placement = PlacementFactory(client=client_of_coach)
    for i in range(rows):
        assessment = AssessmentFactory(
            placement=placement, assessed_on=datetime.date(2026, 3, 1 + i)
        )
        assessment.tasks.create(
            description="Taak",
            share_percent=100,
            quality_percent=60,
            pace_percent=100,
            employability_percent=100,
        )
        ProvisionFactory(placement=placement)
    # session, user, permissions (2), placement in scope, assessments, their tasks, provisions,
    # their calculations, the access-log entry, and the idle-timeout renewal (3)
    with django_assert_num_queries(13):
        coach_client.get(reverse("placements:detail", args=[placement.pk]))


@pytest.mark.parametrize("rows", [1, 6])
def test_start_page_aftercare_runs_a_constant_number_of_queries(
    coach_client, client_of_coach, coach, team, rows, django_assert_num_queries
):
    today = datetime.date.today()
    for i in range(rows):
        client = ClientFactory(coach=coach, team=team)
        PlacementFactory(
            client=client,
            start_date=today - datetime.timedelta(days=170 + i),
            contract_end_date=today + datetime.timedelta(days=10 + i),
        )
        ProvisionFactory(
            client=client,
            placement=None,
            decision=Decision.GRANTED,
            decided_on=today - datetime.timedelta(days=200),
            requested_on=today - datetime.timedelta(days=200),
            reassess_on=today + datetime.timedelta(days=5),
        )
    with django_assert_num_queries(25):  # as in tests/clients/test_views.py
        response = coach_client.get(reverse("clients:list"))
    aftercare = response.context["aftercare"]
    assert len(aftercare.contracts_ending) == rows
    assert len(aftercare.retention_checks) == rows
    assert len(aftercare.reassessments) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_placements_for_the_employer_dossier_keep_a_constant_number_of_queries(
    account_manager, client_of_coach, rows, django_assert_num_queries
):
    from django.template.loader import render_to_string

    from placements.dossier import placements_for_employer

    employer = EmployerFactory(account_manager=account_manager)
    for i in range(rows):
        placement = PlacementFactory(
            client=client_of_coach, employer=employer, start_date=datetime.date(2026, 1, 1 + i)
        )
        AssessmentFactory(placement=placement)
        ProvisionFactory(placement=placement)
    PlacementFactory(client=client_of_coach)  # another employer
    account_manager = type(account_manager).objects.get(pk=account_manager.pk)
    account_manager.get_all_permissions()  # the permission cache, as in a request
    # placements (with client), their assessments, their provisions
    with django_assert_num_queries(3):
        placements = placements_for_employer(employer, account_manager)
        html = render_to_string("placements/_employer_placements.html", {"placements": placements})
    assert len(placements) == rows
    assert "Loonkostensubsidie (structureel)" in html and "60%" in html


def test_the_functional_administrator_keeps_the_dated_parameters_in_the_admin(
    client, functional_admin
):
    row = WageParametersFactory(valid_from=datetime.date(2026, 1, 1))
    client.force_login(functional_admin)
    changelist = client.get(reverse("admin:placements_wageparameters_changelist"))
    assert changelist.status_code == 200
    assert "2000" in changelist.content.decode().replace(".", "").replace(",", "")
    data = {
        "valid_from": "2026-07-01",
        "minimum_wage_month": "2100.00",
        "holiday_pay_factor": "1.08",
        "cap_percent": "70",
        "employer_cost_percent": "23.5",
        "source": "Staatscourant",
    }
    added = client.post(reverse("admin:placements_wageparameters_add"), data)
    assert added.status_code == 302, added.content.decode()[-2000:]
    # A row is never deleted: granted calculations refer to the figures of their date.
    delete = reverse("admin:placements_wageparameters_delete", args=[row.pk])
    assert client.get(delete).status_code == 403
