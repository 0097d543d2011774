"""The demo's agendas (part of `seed_demo`): every demo work coach gets appointments with
clients of their caseload in the coming three weeks, and some of the past three weeks held
(each with its contact moment) or not attended; one client of the main coach did not come to
their last two. The demo's manager becomes a member of Team Assen, as its team leader, to see
the team's week. Runs after the clients exist (DEMO_STEPS 60); written in bulk, from the seeded
random stream, with no two appointments of a coach at the same time."""

import datetime

from django.db.models import Count
from django.utils import timezone

from agenda.models import Appointment, AppointmentKind, AppointmentStatus
from clients.models import Client, Contact
from core import roles
from core.demo import DEMO_STEPS, DEMO_USERS, MAIN_COACH, TEAM_ASSEN, DemoContext, DemoStep
from core.models import Team

DAY = datetime.timedelta(days=1)
WEEKS = 3
PER_WEEK = 6  # appointments per coach per week
MAX_CONTACTS = 14  # a held appointment adds a contact; clients/demo.py makes at most 15
# Start times on the hour or a quarter past, 9:00 to 15:15; a slot is taken for the whole hour.
HOURS = [9, 10, 11, 13, 14, 15]
SUBJECTS = {
    AppointmentKind.INTAKE: ["Kennismaking en intake", "Intakegesprek"],
    AppointmentKind.PROGRESS: ["Voortgang plan van aanpak", "Bespreken vacatures", "Evaluatie"],
    AppointmentKind.JOB_COACH: ["Gesprek met jobcoach op de werkplek", "Driegesprek jobcoach"],
    AppointmentKind.OTHER: ["Sollicitatiebrief samen maken", "Aanmelden cursus"],
}
CHANNELS = ["in_person", "in_person", "phone", "video", "home_visit"]
PLACES = {"in_person": "Kantoor Assen, Stationsstraat 2", "home_visit": "Bij de cliënt thuis"}


class _Planner:
    def __init__(self, context: DemoContext):
        self.rng, self.today = context.rng, context.today
        self.zone = timezone.get_current_timezone()
        self.taken: set[tuple[int, datetime.date, int]] = set()  # (coach, day, hour)

    def workdays(self, first: datetime.date, count: int) -> list[datetime.date]:
        days, day = [], first
        while len(days) < count:
            if day.weekday() < 5:
                days.append(day)
            day += DAY
        return days

    def slot(self, coach_id: int, days: list[datetime.date]) -> datetime.datetime | None:
        for _attempt in range(20):
            day, hour = self.rng.choice(days), self.rng.choice(HOURS)
            if (coach_id, day, hour) not in self.taken:
                self.taken.add((coach_id, day, hour))
                minute = self.rng.choice([0, 15])
                return datetime.datetime.combine(day, datetime.time(hour, minute), self.zone)
        return None

    def appointment(self, client: Client, coach_id: int, starts_at, status) -> Appointment:
        kind = self.rng.choices(list(SUBJECTS), weights=[1, 6, 2, 2])[0]
        channel = self.rng.choice(CHANNELS)
        return Appointment(
            client=client,
            coach_id=coach_id,
            starts_at=starts_at,
            # Within its hour's slot, so a coach's appointments never overlap.
            duration_minutes=min(self.rng.choice([30, 45, 45, 60]), 60 - starts_at.minute),
            kind=kind,
            channel=channel,
            place=PLACES.get(channel, ""),
            subject=self.rng.choice(SUBJECTS[kind]),
            status=status,
            created_by_id=coach_id,
        )


def _seed(context: DemoContext) -> None:
    planner = _Planner(context)
    # The demo's manager leads Team Assen: the team week has someone to show it to.
    manager = next(u for u in DEMO_USERS if u.role == roles.MANAGER)
    Team.objects.get(name=TEAM_ASSEN).members.add(context.staff.users[manager.username])
    today = context.today
    coming = planner.workdays(today + DAY, 5 * WEEKS)
    past = [day for day in planner.workdays(today - 5 * WEEKS * DAY, 5 * WEEKS) if day < today]
    coaches = [context.staff.users[u.username] for u in DEMO_USERS if u.role == roles.WORK_COACH]
    appointments: list[Appointment] = []
    for coach in coaches:
        clients = list(
            Client.objects.filter(coach=coach, deregistered_on__isnull=True)
            .annotate(contact_count=Count("contacts"))
            .order_by("pk")[:60]
        )
        if not clients:
            continue
        for _n in range(PER_WEEK * WEEKS):
            if starts_at := planner.slot(coach.pk, coming):
                status = AppointmentStatus.PLANNED
                if planner.rng.random() < 0.05:
                    status = AppointmentStatus.CANCELLED
                appointments.append(
                    planner.appointment(planner.rng.choice(clients), coach.pk, starts_at, status)
                )
        # Past ones with clients on the caseload by then, each client at most twice, and only
        # clients with room for a contact more (the demo keeps a dossier to 15 contacts).
        earlier = [
            c for c in clients if c.registered_on <= past[0] and c.contact_count < MAX_CONTACTS
        ]
        seen: dict[int, int] = {}
        for _n in range(PER_WEEK * WEEKS):
            open_clients = [c for c in earlier if seen.get(c.pk, 0) < 2]
            if not open_clients:
                break
            if starts_at := planner.slot(coach.pk, past):
                client = planner.rng.choice(open_clients)
                seen[client.pk] = seen.get(client.pk, 0) + 1
                status = (
                    AppointmentStatus.NO_SHOW
                    if planner.rng.random() < 0.15
                    else AppointmentStatus.HELD
                )
                appointments.append(planner.appointment(client, coach.pk, starts_at, status))
        if coach.username == MAIN_COACH and len(past) >= 2:
            # Did not come to the last two: the start page's signal has someone to show.
            absent, last_days = clients[0], past[-2:]
            appointments = [
                a
                for a in appointments
                if a.client_id != absent.pk or not last_days[0] <= a.starts_at.date() < today
            ]
            for day in last_days:
                if starts_at := planner.slot(coach.pk, [day]):
                    appointments.append(
                        planner.appointment(absent, coach.pk, starts_at, AppointmentStatus.NO_SHOW)
                    )
    for appointment in appointments:
        appointment.set_end()
        if appointment.status in (AppointmentStatus.HELD, AppointmentStatus.NO_SHOW):
            appointment.outcome_recorded_at = appointment.ends_at
            appointment.outcome_recorded_by_id = appointment.coach_id
    held = [a for a in appointments if a.status == AppointmentStatus.HELD]
    contacts = Contact.objects.bulk_create(
        [
            Contact(
                client=a.client,
                date=timezone.localtime(a.starts_at).date(),
                channel=a.channel,
                subject=a.subject,
                notes="Afspraak gehouden.",
                author_id=a.coach_id,
            )
            for a in held
        ]
    )
    for appointment, contact in zip(held, contacts, strict=True):
        appointment.contact = contact
    Appointment.objects.bulk_create(appointments, batch_size=1000)
    context.count("appointments", len(appointments))
    context.count("appointments held", len(held))


DEMO_STEPS.register(60)(DemoStep(seed=_seed, holds_data=Appointment.objects.exists))
