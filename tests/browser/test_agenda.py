"""A coach opens the agenda from the menu, plans an appointment, sees it in the week, is refused
a clashing one with the clash named (the input kept), records a no-show, plans another and
records it as held, which becomes a contact moment on the client's timeline."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda import services
from agenda.models import Appointment
from clients.models import Contact
from documents import reference as documents_reference
from documents.models import Letter
from tests.browser.conftest import assert_accessible
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def plan(page, *, client, day, time, subject, duration="45"):
    page.get_by_role("link", name="Afspraak plannen").first.click()
    expect(page.get_by_role("heading", name="Afspraak plannen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Cliënt").select_option(label=client)
    page.get_by_label("Datum").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("Begintijd").fill(time)
    page.get_by_label("Duur (minuten)").fill(duration)
    page.get_by_label("Soort").select_option(label="Voortgangsgesprek")
    page.get_by_label("Kanaal").select_option(label="Telefoon")
    page.get_by_label("Onderwerp").fill(subject)
    page.get_by_role("button", name="Afspraak opslaan").click()


def test_coach_plans_is_refused_a_clash_and_records_a_no_show_and_a_held_appointment(
    page, login, coach, team, assen
):
    fatima = ClientFactory(
        first_name="Fatima",
        last_name="El Amrani",
        coach=coach,
        team=team,
        municipality=assen,
        address="Kerkstraat 1",
    )
    ClientFactory(first_name="Jan", last_name="Jansen", coach=coach, team=team, municipality=assen)
    # Today, a few minutes from now: planning refuses the past, and an outcome can be recorded
    # from the appointment's day on. Short appointments keep both today unless the test starts
    # in the last 25 minutes before midnight.
    start = timezone.localtime() + datetime.timedelta(minutes=3)
    day, first = start.date(), f"{start:%H:%M}"
    clashing = f"{start + datetime.timedelta(minutes=5):%H:%M}"
    later = f"{start + datetime.timedelta(minutes=20):%H:%M}"
    login("coach")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Agenda"))).to_be_visible()
    assert_accessible(page)

    plan(
        page,
        client="Fatima El Amrani",
        day=day,
        time=first,
        subject="Voortgang bespreken",
        duration="15",
    )
    expect(page.get_by_role("status").filter(has_text="De afspraak is gepland.")).to_be_visible()
    grid = page.locator("#week-grid")
    expect(grid.get_by_role("link", name=re.compile("Fatima El Amrani"))).to_be_visible()
    assert_accessible(page)

    # Five minutes into the first one: refused, the clash named, nothing typed lost.
    plan(page, client="Jan Jansen", day=day, time=clashing, subject="Kennismaken", duration="15")
    expect(
        page.get_by_text(
            "Op dat moment hebt u al een afspraak: voortgangsgesprek met Fatima El Amrani"
        )
    ).to_be_visible()
    end = (start + datetime.timedelta(minutes=15)).strftime("%H:%M")
    expect(page.get_by_text(f"{first}–{end}")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Onderwerp")).to_have_value("Kennismaken")
    expect(page.get_by_label("Begintijd")).to_have_value(clashing)
    assert Appointment.objects.count() == 1

    # The first one: the client does not come.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    grid.get_by_role("link", name=re.compile("Fatima El Amrani")).click()
    expect(
        page.get_by_role("heading", name="Voortgangsgesprek met Fatima El Amrani")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Niet verschenen").click()
    expect(page.get_by_text("Vastgelegd: de cliënt is niet verschenen.")).to_be_visible()
    expect(page.get_by_role("button", name="Niet verschenen")).to_have_count(0)

    # Another one, later today, held: it becomes a contact moment on the timeline.
    page.get_by_role("link", name="Agenda", exact=True).first.click()
    plan(
        page,
        client="Fatima El Amrani",
        day=day,
        time=later,
        subject="Sollicitatie voorbereiden",
        duration="15",
    )
    expect(page.get_by_role("status").filter(has_text="De afspraak is gepland.")).to_be_visible()
    grid.get_by_role("link", name=re.compile(f"^{later}.*Fatima El Amrani")).click()
    page.get_by_role("link", name="Gehouden").click()
    expect(page.get_by_role("heading", name="Afspraak gehouden")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Onderwerp")).to_have_value("Sollicitatie voorbereiden")
    expect(page.get_by_label("Kanaal")).to_have_value("phone")
    page.get_by_label("Notities").fill("Cv samen doorgenomen.")
    page.get_by_role("button", name="Contact vastleggen en markeren als gehouden").click()

    expect(page.get_by_role("heading", name="Fatima El Amrani")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="vastgelegd als gehouden")).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Sollicitatie voorbereiden")
    expect(page.locator("#no-show-count")).to_contain_text("1 keer niet verschenen")
    assert_accessible(page)
    contact = Contact.objects.get()
    assert (contact.client, contact.notes) == (fatima, "Cv samen doorgenomen.")
    assert sorted(Appointment.objects.values_list("status", flat=True)) == ["held", "no_show"]


def test_coach_cancels_only_after_confirming_and_the_client_gets_a_letter(
    page, login, coach, team, assen
):
    documents_reference.load()  # the letter templates (a flushed database lost them)
    fatima = ClientFactory(
        first_name="Fatima",
        last_name="El Amrani",
        coach=coach,
        team=team,
        municipality=assen,
        address="Kerkstraat 1",
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.appointment_plan(
        actor=coach,
        client=fatima,
        starts_at=datetime.datetime.combine(
            tomorrow, datetime.time(10), tzinfo=timezone.get_current_timezone()
        ),
        duration_minutes=45,
        kind="intake",
        channel="phone",
    )
    login("coach")
    page.goto(page.url.rstrip("/").rsplit("/", 1)[0] + f"/clients/{fatima.pk}/")
    panel = page.locator("#appointments-panel")
    expect(panel.get_by_role("button", name="Ja, afspraak annuleren")).to_be_hidden()
    panel.get_by_text("Afspraak annuleren", exact=True).click()
    expect(panel.get_by_text("De cliënt krijgt bericht per brief of e-mail")).to_be_visible()
    page.mouse.move(0, 0)  # axe reads colours, not a hover colour halfway through its transition
    page.wait_for_timeout(400)
    assert_accessible(page)
    panel.get_by_role("button", name="Ja, afspraak annuleren").click()
    told = "De afspraak is geannuleerd. De cliënt krijgt bericht per brief of e-mail."
    expect(page.get_by_text(told)).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Afspraak geannuleerd")
    assert Appointment.objects.get().status == "cancelled"
    assert Letter.objects.get().kind == "appointment_cancelled"


def test_the_signals_stand_beside_the_week_on_a_wide_screen_and_below_it_on_a_narrow_one(
    page, login, coach, team, assen
):
    ClientFactory(
        first_name="Fatima", last_name="El Amrani", coach=coach, team=team, municipality=assen
    )
    page.set_viewport_size({"width": 1440, "height": 900})
    login("coach")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    signals = page.get_by_role("complementary", name="Signalen")
    expect(signals.get_by_role("heading", name="Signalen")).to_be_visible()
    grid = page.locator("#week-grid").bounding_box()
    beside = signals.bounding_box()
    assert beside["x"] >= grid["x"] + grid["width"]  # to the right of the week
    assert beside["y"] < grid["y"] + grid["height"]  # and level with it, not under it
    assert_accessible(page)

    page.set_viewport_size({"width": 1024, "height": 900})
    grid = page.locator("#week-grid").bounding_box()
    assert signals.bounding_box()["y"] >= grid["y"] + grid["height"]
