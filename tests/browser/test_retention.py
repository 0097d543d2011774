import datetime

import pytest
from playwright.sync_api import expect

from clients.models import Client
from privacy import services, tasks
from privacy.models import ProposalStatus, RetentionProposal
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_functional_admin_takes_one_client_out_and_approves_the_rest(
    page, login, functional_admin, monkeypatch
):
    for first_name, day in (("Piet", 1), ("Klaas", 2)):
        ClientFactory(
            first_name=first_name,
            last_name="Bakker",
            registered_on=datetime.date(2005, 1, 3),
            deregistered_on=datetime.date(2015, 6, day),
            deregistration_reason="work",
        )
    services.proposal_build(today=datetime.date(2026, 3, 1))
    klaas = Client.objects.get(first_name="Klaas")
    enqueued = []  # no worker here: record what approval enqueues, then run it directly
    monkeypatch.setattr(tasks.retention_anonymise, "delay", lambda pk: enqueued.append(pk))

    login("beheerder")
    page.get_by_role("link", name="Bewaartermijn: voorstellen").click()
    expect(
        page.get_by_role("heading", name="Bewaartermijn: voorstellen om te anonimiseren")
    ).to_be_visible()
    assert_accessible(page)
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="Bakker, Piet")).to_contain_text("1 juni 2015")
    expect(rows.filter(has_text="Bakker, Klaas")).to_contain_text("Werk")

    page.get_by_role("button", name=f"Cliënt {klaas.pk} bewaren: eruit halen").click()
    expect(
        page.get_by_role("status").filter(
            has_text=f"Cliënt {klaas.pk} is uit het voorstel gehaald en wordt bewaard."
        )
    ).to_be_visible()
    expect(page.get_by_text("Bakker, Klaas")).to_have_count(0)
    expect(page.get_by_text("1 cliënt eruit gehaald.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Ik heb deze lijst gecontroleerd").check()
    page.get_by_role("button", name="Goedkeuren en anonimiseren").click()
    expect(
        page.get_by_role("status").filter(has_text="Het voorstel is goedgekeurd")
    ).to_be_visible()
    expect(page.get_by_text("Er is geen open voorstel.")).to_be_visible()
    assert_accessible(page)

    proposal = RetentionProposal.objects.get()
    assert enqueued == [proposal.pk]
    assert tasks.retention_anonymise(proposal.pk) == 1
    page.reload()
    expect(page.get_by_role("row").filter(has_text=str(functional_admin))).to_contain_text(
        "Geanonimiseerd"
    )

    piet = Client.objects.get(pk=Client.objects.exclude(pk=klaas.pk).get().pk)
    assert piet.full_name == "Geanonimiseerde cliënt" and piet.bsn is None
    klaas.refresh_from_db()
    assert klaas.full_name == "Klaas Bakker" and klaas.anonymised_at is None
    assert RetentionProposal.objects.get().status == ProposalStatus.DONE
