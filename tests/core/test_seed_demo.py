import datetime
import io
import itertools
import re

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import Client, Contact, Instrument, Intake, IntakeScore, LadderObservation
from core import roles
from core.demo import DEMO_PASSWORD, DEMO_USERS, bsns_from_test_range
from core.models import Municipality, User
from core.reference import load_reference_data
from core.validators import normalize_postcode, validate_bsn
from placements.models import Placement
from trajectories.models import Trajectory

ARABIC = re.compile("[\u0600-\u06ff]")
GEEZ = re.compile("[\u1200-\u137f]")


def seed(clients=60, seed=1):
    out = io.StringIO()
    call_command("seed_demo", clients=clients, seed=seed, allow_without_debug=True, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


def region_clients():
    """The clients the clients step makes (`--clients`); the school leavers the diagnosis team
    made clients (schools.demo) come on top, newly registered, with no contacts yet."""
    return Client.objects.filter(school_leaver__isnull=True)


@pytest.mark.django_db
def test_demo_bsns_are_valid_and_unique(seeded):
    assert len(region_clients()) == 60
    bsns = list(Client.objects.values_list("bsn", flat=True))
    assert len(set(bsns)) == len(bsns)
    for bsn in bsns:
        validate_bsn(bsn)


def test_bsns_count_down_from_the_top_of_the_test_range():
    # Hand-checked: 999999990 -> 9*9+8*9+...+2*9 = 9*44 = 396 = 36*11, last digit 0: valid.
    # 99999998x: 396 - 2*1 = 394 = 35*11 + 9, so 999999989; 99999997x: 392 -> 7, 999999977.
    assert list(itertools.islice(bsns_from_test_range(), 3)) == [
        "999999990",
        "999999989",
        "999999977",
    ]


@pytest.mark.django_db
def test_demo_users_of_every_role_log_in_with_the_demo_password(seeded, rf):
    # django-axes needs the request (the address) of every login attempt.
    request = rf.post("/accounts/login/")
    for demo_user in DEMO_USERS:
        user = authenticate(request, username=demo_user.username, password="welkom-bij-de-demo")
        assert user is not None, demo_user.username
        assert user.has_role(demo_user.role)
    seeded_roles = {u.role for u in DEMO_USERS}
    assert seeded_roles == set(roles.PERMISSIONS)
    assert authenticate(request, username="beheerder", password="welkom-bij-de-demo").is_staff
    assert "beheerder       functional_admin      welkom-bij-de-demo" in seeded  # the logins table


@pytest.mark.django_db
def test_the_demo_password_meets_the_products_own_password_rules(seeded):
    # The demo is where a new user learns what a password must be: it must pass the same rules.
    for demo_user in DEMO_USERS:
        user = User.objects.get(username=demo_user.username)
        validate_password(DEMO_PASSWORD, user)  # raises ValidationError if it breaks a rule


@pytest.mark.django_db
def test_demo_coach_has_active_clients_of_team_assen(seeded):
    caseload = Client.objects.filter(coach__username="coach").active()
    assert caseload.exists()
    assert set(caseload.values_list("team__name", flat=True)) == {"Team Assen"}


@pytest.mark.django_db
def test_demo_clients_have_contacts_and_intakes_within_their_time_on_the_caseload(seeded):
    today = timezone.localdate()
    assert Contact.objects.exists()
    assert Intake.objects.exists()
    assert LadderObservation.objects.filter(intake=None).exists()
    for client in region_clients().prefetch_related("contacts", "intakes"):
        end = client.deregistered_on or today
        assert 2 <= len(client.contacts.all()) <= 15
        for contact in client.contacts.all():
            assert client.registered_on <= contact.date <= end
            assert contact.author_id == client.coach_id
        for intake in client.intakes.all():
            assert client.registered_on <= intake.held_on <= end


@pytest.mark.django_db
def test_demo_clients_have_plausible_dates_and_addresses(seeded):
    today = timezone.localdate()
    three_years_ago = today - datetime.timedelta(days=3 * 365)
    for client in region_clients():
        assert 18 <= client.age <= 66
        assert three_years_ago <= client.registered_on <= today
        if client.deregistered_on:
            assert client.registered_on <= client.deregistered_on <= today
            assert client.deregistration_reason
        assert normalize_postcode(client.postcode) == client.postcode
        assert client.team is not None and client.coach.teams.filter(pk=client.team_id).exists()


@pytest.mark.django_db
def test_demo_names_include_arabic_and_geez_script(seeded):
    names = [
        f"{first} {last}" for first, last in Client.objects.values_list("first_name", "last_name")
    ]
    assert any(ARABIC.search(name) for name in names)
    assert any(GEEZ.search(name) for name in names)


@pytest.mark.django_db
def test_demo_zrm_scores_all_have_a_purpose(seeded):
    zrm = IntakeScore.objects.filter(instrument=Instrument.ZRM)
    assert zrm.exists()
    assert not zrm.filter(purpose="").exists()


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_with_clients(seeded):
    with pytest.raises(CommandError, match="already has clients"):
        seed()
    assert region_clients().count() == 60


def delete_placements():
    from placements.models import Placement, Provision, WageValueAssessment

    Provision.objects.all().delete()
    WageValueAssessment.objects.all().delete()
    Placement.objects.all().delete()
    # And the school leavers, who outlive a deleted client (they were pupils first) and would
    # count as demo data already there.
    from schools.models import Leaver, School

    Leaver.objects.all().delete()
    School.objects.all().delete()


@pytest.mark.django_db
def test_same_seed_gives_the_same_clients():
    seed(clients=20, seed=7)
    first = list(region_clients().order_by("bsn").values_list("bsn", "first_name", "last_name"))
    delete_placements()  # they protect their client
    Trajectory.objects.all().delete()  # protects its client
    Placement.objects.all().delete()  # the same (employers.demo places hired candidates)
    Client.objects.all().delete()
    seed(clients=20, seed=7)  # the demo users exist now; they are reset, not duplicated
    second = list(region_clients().order_by("bsn").values_list("bsn", "first_name", "last_name"))
    assert first == second


@pytest.mark.django_db
def test_load_reference_data_is_idempotent_and_leaves_the_service_area_alone():
    # migrate loaded the 413 rows of core/data/municipalities.csv already (342 of 2026, 71
    # merged away since 2016); a fresh install works for nobody until an administrator says.
    first = load_reference_data()
    second = load_reference_data()
    assert first["municipalities_created"] == second["municipalities_created"] == 0
    assert Municipality.objects.count() == 413
    assert not Municipality.objects.service_area().exists()
    assert Municipality.objects.get(name="Assen").cbs_code == "GM0106"


@pytest.mark.django_db
def test_the_demo_works_for_aa_en_hunze_assen_and_tynaarlo():
    seed(clients=5)
    assert set(Municipality.objects.service_area().values_list("name", flat=True)) == {
        "Aa en Hunze",
        "Assen",
        "Tynaarlo",
    }


@pytest.mark.django_db
def test_load_reference_data_keeps_an_administrators_service_area_change():
    Municipality.objects.filter(name="Tynaarlo").update(in_service_area=True, cbs_code="x")
    load_reference_data()
    tynaarlo = Municipality.objects.get(name="Tynaarlo")
    assert tynaarlo.in_service_area is True
    assert tynaarlo.cbs_code == "GM1730"


def queries_to_seed(clients):
    delete_placements()  # they protect their client
    Trajectory.objects.all().delete()  # protects its client
    Placement.objects.all().delete()  # the same (employers.demo places hired candidates)
    Client.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        seed(clients=clients)
    assert region_clients().count() == clients
    return len(queries)


@pytest.mark.django_db
def test_seed_demo_queries_grow_far_slower_than_clients():
    small, large = queries_to_seed(100), queries_to_seed(600)
    # Each client brings about 15 rows (contacts, intake, scores): a query per row would add
    # 7,500 queries for 500 more clients; inserts of up to 999 parameters add about 75, the
    # employers' demo about 100 more (matches). Measured: 171. (Until the reference data came
    # with migrate, the first run also created it, some 200 queries that hid this growth.)
    assert large - small < 500 / 2


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_unless_allowed():
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo", clients=5, stdout=io.StringIO())


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_an_existing_database_alone():
    seed(clients=20)
    out = io.StringIO()
    call_command("seed_demo", clients=20, if_empty=True, allow_without_debug=True, stdout=out)
    assert region_clients().count() == 20
    assert "welkom-bij-de-demo" in out.getvalue()
