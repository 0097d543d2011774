"""The functional administrator keeps the cost parameters of the return of route werknemer in
the product: a new value from a date, a correction, the history; managers and coaches cannot."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from reporting.models import CostParameter, CostParameterKind

pytestmark = pytest.mark.django_db
D = datetime.date
K = CostParameterKind
LIST = reverse("reporting:cost_parameters")
CREATE = reverse("reporting:cost_parameter_create")


@pytest.fixture
def admin(client, functional_admin):
    client.force_login(functional_admin)
    return client


def post(client, url, **data):
    return client.post(url, {"source": "", **data})


def test_the_administrator_enters_a_value_from_a_date(admin, functional_admin):
    response = post(
        admin, CREATE, kind=K.BENEFIT_SINGLE, valid_from="2025-01-01", amount="1.300,50"
    )
    assert response.status_code == 302, response.context["form"].errors
    assert response.url == LIST + "#benefit_single"
    row = CostParameter.objects.get()
    assert (row.kind, row.valid_from, row.amount) == (
        K.BENEFIT_SINGLE,
        D(2025, 1, 1),
        Decimal("1300.50"),
    )
    assert row.created_by == functional_admin
    page = admin.get(LIST).content.decode()
    assert "01-01-2025" in page and "1.300,50" in page


def test_a_change_is_a_new_row_and_the_old_one_stays(admin):
    old = CostParameter.objects.create(
        kind=K.STAFF_COST_PER_FTE, valid_from=D(2025, 1, 1), amount=Decimal(70000)
    )
    url = reverse("reporting:cost_parameter_update", args=[old.pk])
    form = admin.get(url).content.decode()
    assert 'value="70000,00"' in form  # filled in from the row
    assert (
        post(admin, url, kind=old.kind, valid_from="2025-01-01", amount="72000").status_code == 302
    )
    old.refresh_from_db()
    assert old.amount == 70000  # unchanged: the history
    assert CostParameter.objects.count() == 2
    assert CostParameter.objects.in_force_on(K.STAFF_COST_PER_FTE, D(2025, 6, 1)).amount == 72000
    page = admin.get(LIST).content.decode()
    assert gettext("corrected") in page


def test_dated_validity_the_latest_valid_from_on_or_before_the_date(db):
    for valid_from, amount in ((D(2024, 1, 1), 1250), (D(2025, 1, 1), 1300), (D(2026, 1, 1), 1350)):
        CostParameter.objects.create(kind=K.BENEFIT_SINGLE, valid_from=valid_from, amount=amount)
    in_force = CostParameter.objects.in_force_on
    assert in_force(K.BENEFIT_SINGLE, D(2023, 12, 31)) is None
    assert in_force(K.BENEFIT_SINGLE, D(2024, 12, 31)).amount == 1250
    assert in_force(K.BENEFIT_SINGLE, D(2025, 1, 1)).amount == 1300
    assert in_force(K.BENEFIT_SINGLE, D(2030, 1, 1)).amount == 1350
    assert in_force(K.BENEFIT_COUPLE, D(2030, 1, 1)) is None


@pytest.mark.parametrize(
    "typed, amount",
    [("1850", 1850), ("1.850", 1850), ("€ 1.850,50", "1850.50"), ("1.200.000", 1200000)],
)
def test_an_amount_is_read_as_people_type_it(typed, amount):
    from decimal import Decimal

    from reporting.forms import EuroField

    assert EuroField(decimal_places=2).clean(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"amount": "0"}, "amount", "The amount must be more than 0."),
        ({"amount": "-5"}, "amount", "The amount must be more than 0."),
        ({"amount": "veel"}, "amount", "Fill in an amount in euros, for example 1850,00."),
        ({"valid_from": ""}, "valid_from", "This field is required."),
        ({"valid_from": "1999-12-31"}, "valid_from", "Choose a date from the year 2000 on."),
        ({"kind": "lunch"}, "kind", None),
    ],
)
def test_bad_input_is_refused_with_the_input_kept(admin, data, field, message):
    fields = {"kind": K.BENEFIT_COUPLE, "valid_from": "2025-01-01", "amount": "1850", **data}
    response = post(admin, CREATE, **fields)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:  # in Dutch, the page's language (as the .po file translates it)
        assert errors[field] == [gettext(message)]
    for name, value in fields.items():
        if name != field and value:
            assert f'value="{value}"' in response.content.decode() or name == "kind"
    assert CostParameter.objects.count() == 0


@pytest.mark.parametrize("role", ["manager", "coach"])
def test_managers_and_coaches_cannot_see_or_change_the_parameters(client, request, role):
    row = CostParameter.objects.create(
        kind=K.BENEFIT_SINGLE, valid_from=D(2025, 1, 1), amount=Decimal(1300)
    )
    client.force_login(request.getfixturevalue(role))
    for url in (LIST, CREATE, reverse("reporting:cost_parameter_update", args=[row.pk])):
        assert client.get(url).status_code == 403
    assert post(client, CREATE, kind=K.BENEFIT_SINGLE, valid_from="2026-01-01", amount="1")
    assert CostParameter.objects.count() == 1


def test_the_list_takes_a_fixed_number_of_queries(admin, django_assert_num_queries):
    def add(n):
        for i in range(n):
            CostParameter.objects.create(
                kind=K.INTEGRATION_BUDGET, valid_from=D(2000 + i, 1, 1), amount=Decimal(1000 + i)
            )

    add(1)
    admin.get(LIST)  # warm the session and permission caches
    with django_assert_num_queries(count := _queries(admin)):
        admin.get(LIST)
    add(10)
    with django_assert_num_queries(count):
        admin.get(LIST)


def _queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    return len(queries)


def test_the_demo_has_parameters_for_its_years(db):
    from reporting import demo

    assert demo.seed(D(2026, 3, 1)) == 25  # five kinds, 2022 to 2026
    assert demo.seed(D(2026, 3, 1)) == 0  # a second run leaves them alone
    single = CostParameter.objects.in_force_on(K.BENEFIT_SINGLE, D(2026, 6, 1))
    assert single.amount == 1300
    assert CostParameter.objects.in_force_on(K.STAFF_COST_PER_FTE, D(2022, 6, 1)).amount < 75000
