"""A region in units, for tests/test_query_budgets.py: `units_add(world, n)` gives every list,
dossier and agenda page n more of the rows it shows.

One unit is one client of the coach with a contact, a trajectory (goal, activity), an
appointment this week, a placement (assessment, provision, follow-up) at an employer of its
own (contact person, contact, vacancy, Social Return), a document and a letter to post, a
project membership and an event registration, a candidate profile proposed for the world's
vacancy, a referral to diagnosis, a household member, a school leaver; one more of each of
the dossier's rows for the focus client (contacts, ended trajectories, appointments,
documents, letters, placements, referrals, household, plan versions, removed contacts); and
one more of the administrators' rows (access log, weekly reports, denied reads, imports,
reports, merges, retention proposals, cost parameters, document kinds, coaches).

Rows are written with the services where they are quick and with the ORM where a service
would render a PDF or send a letter (the pages read rows, not how they came).
"""

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from agenda.models import Appointment
from audit.models import AccessLog, AccessReport
from clients import services as client_services
from clients.models import CoachPeriod, HandoverNote
from core import roles
from core.models import Municipality
from diagnosis.models import PracticalAssessment, Referral, ReferralStatus
from documents.models import Document, DocumentKind, Letter
from employers import services as employer_services
from employers.models import ContactPerson, EmployerContact, Sector, Shortlist, Skill, Vacancy
from households.models import HouseholdMember
from interchange.models import ImportRun
from merging.models import Merge
from placements.models import Decision, FollowUp, FollowUpKind
from plans.models import PlanVersion
from privacy.models import RetentionProposal, RetentionProposalItem
from projects import event_services
from projects import services as project_services
from projects.models import Event
from reporting.models import CostParameter, CostParameterKind, ReportRun
from schools import services as school_services
from schools.models import SchoolKind
from tests.conftest import ADMIN_TOTP_SECRET
from tests.factories import ClientFactory, ContactFactory, TeamFactory, UserFactory
from tests.placements.factories import (
    AssessmentFactory,
    EmployerFactory,
    PlacementFactory,
    ProvisionFactory,
)
from trajectories import services as trajectory_services
from trajectories.models import Activity, ActivityKind, BranchTeam, Goal, Route, Trajectory


@dataclass
class World:
    """The staff, the focus client whose dossier grows, and the objects pages are about."""

    coach: object
    manager: object
    account_manager: object
    consultant: object
    admin: object
    team: object
    diagnosis_team: object
    assen: object
    focus: object
    project: object
    event: object
    vacancy: object
    employer: object
    shortlist: object
    school: object
    leaver: object
    placement: object
    import_run: object
    report_run: object
    proposal: object
    feed_secret: str
    units: int = 0
    extra: dict = field(default_factory=dict)


def _user(username, role, teams=(), **fields):
    user = UserFactory(username=username, roles=[role], **fields)
    for team in teams:
        team.members.add(user)
    return user


def _now_at(day: datetime.date, minutes: int) -> datetime.datetime:
    """`minutes` past 07:00 on `day`, local time."""
    start = datetime.datetime.combine(
        day, datetime.time(7, 0), tzinfo=timezone.get_current_timezone()
    )
    return start + datetime.timedelta(minutes=minutes)


def world_make() -> World:
    """The staff and the single objects the budgeted pages open (0 units of rows)."""
    roles.sync_roles()
    team = TeamFactory(name="Team Budget")
    diagnosis_team = TeamFactory(name="Diagnoseteam Budget")
    assen = Municipality.objects.get(name="Assen")
    coach = _user("budget-coach", roles.WORK_COACH, [team], first_name="Sanne")
    manager = _user("budget-manager", roles.MANAGER, [team])
    account_manager = _user("budget-am", roles.ACCOUNT_MANAGER)
    consultant = _user("budget-consultant", roles.DIAGNOSIS_CONSULTANT, [diagnosis_team])
    admin = _user("budget-admin", roles.FUNCTIONAL_ADMIN, is_staff=True)
    TOTP.activate(admin, ADMIN_TOTP_SECRET)
    BranchTeam.objects.get(code="hodezo").coaches.add(coach)
    focus = ClientFactory(
        first_name="Fatima",
        last_name="El Amrani",
        coach=coach,
        team=team,
        municipality=assen,
        address="Kerkstraat 1",
    )
    trajectory_services.trajectory_start(
        actor=coach,
        client=focus,
        route=Route.objects.get(code="employee"),
        branch_team=BranchTeam.objects.get(code="hodezo"),
        start_date=datetime.date(2026, 1, 5),
    )
    project = project_services.project_create(
        actor=manager,
        name="Pilot budget",
        code="pilot-budget",
        criteria=["Gemotiveerd"],
        groups=["Groep A", "Groep B"],
        leaders=[coach],
    )
    event = Event.objects.create(
        name="Banenfestival",
        date=timezone.localdate() + datetime.timedelta(days=14),
        location="Kloosterveen 3, Assen",
        project=project,
    )
    employer = employer_services.employer_register(
        actor=account_manager,
        name="Zorggroep Budget",
        kvk_number="87654321",
        municipality=assen,
        account_manager=account_manager,
    )
    vacancy = employer_services.vacancy_register(
        actor=account_manager,
        employer=employer,
        title="Medewerker facilitair",
        sector=Sector.objects.get(code="care"),
        hours_per_week=32,
        municipality=assen,
        skills=Skill.objects.filter(code__in=["customer_contact"]),
    )
    shortlist = Shortlist.objects.create(
        vacancy=vacancy,
        token="budget-" + uuid.uuid4().hex,
        created_by=account_manager,
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    school = school_services.school_save(
        actor=consultant, name="Vso Budget", kind=SchoolKind.VSO, municipality=assen
    )
    leaver = school_services.leaver_save(
        actor=consultant,
        school=school,
        school_year=2026,
        first_name="Daan",
        last_name="Bakker",
        birth_date=datetime.date(2008, 3, 14),
    )
    placement = PlacementFactory(
        client=focus,
        employer=employer,
        start_date=datetime.date(2020, 1, 6),
        contract_end_date=None,
    )
    import_run = ImportRun.objects.create(
        upload="imports/budget.zip", original_name="budget.zip", created_by=admin, status="checked"
    )
    report_run = ReportRun.objects.create(
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        requested_by=manager,
    )
    proposal = RetentionProposal.objects.create(
        retention_years=7, deregistered_before=datetime.date(2019, 1, 1)
    )
    from agenda.services import feed_token_renew

    return World(
        coach=coach,
        manager=manager,
        account_manager=account_manager,
        consultant=consultant,
        admin=admin,
        team=team,
        diagnosis_team=diagnosis_team,
        assen=assen,
        focus=focus,
        project=project,
        event=event,
        vacancy=vacancy,
        employer=employer,
        shortlist=shortlist,
        school=school,
        leaver=leaver,
        placement=placement,
        import_run=import_run,
        report_run=report_run,
        proposal=proposal,
        feed_secret=feed_token_renew(user=coach),
    )


def _document(client, kind, i, user=None, **fields):
    return Document.objects.create(
        client=client,
        kind=kind,
        original_name=f"scan-{i}.pdf",
        file=f"budget/{uuid.uuid4().hex}.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=user,
        **{"dated_on": datetime.date(2026, 1, 5), **fields},
    )


def _letter(client, i, user):
    document = _document(client, DocumentKind.objects.get(code="letter"), i, user)
    return Letter.objects.create(
        client=client,
        kind="agreements",
        subject="Afspraken",
        document=document,
        delivery="post",
        sent_by=user,
    )


def units_add(world: World, n: int) -> None:
    """Add n units of every row the budgeted pages show (see the module's docstring)."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    route = Route.objects.get(code="employee")
    hodezo = BranchTeam.objects.get(code="hodezo")
    wop = ActivityKind.objects.get(code="work_experience")
    scan = DocumentKind.objects.exclude(code="letter").order_by("pk").first()
    care = Sector.objects.filter(code="care")
    contact_skill = Skill.objects.filter(code="customer_contact")
    coach, focus, team = world.coach, world.focus, world.team
    focus_trajectory = Trajectory.objects.get(client=focus, end_date__isnull=True)
    for i in range(world.units, world.units + n):
        # --- a client of the coach with everything --------------------------------------------
        client = ClientFactory(
            coach=coach, team=team, municipality=world.assen, address=f"Brink {i + 1}"
        )
        CoachPeriod.objects.create(
            client=client,
            coach=coach,
            team=team,
            started_on=client.registered_on,
            reason="registration",
        )
        ContactFactory(client=client, author=coach)
        trajectory = trajectory_services.trajectory_start(
            actor=coach,
            client=client,
            route=route,
            branch_team=hodezo,
            start_date=datetime.date(2026, 1, 5),
        )
        Goal.objects.create(trajectory=trajectory, description="Op tijd komen")
        Activity.objects.create(
            trajectory=trajectory, kind=wop, start_date=datetime.date(2026, 2, 2)
        )
        Appointment.objects.create(
            client=client,
            coach=coach,
            starts_at=_now_at(monday + datetime.timedelta(days=i % 5), 10 * i),
            duration_minutes=10,
            kind="progress",
            channel="phone",
        )
        Appointment.objects.create(
            client=client,
            coach=coach,
            starts_at=_now_at(today, 5 * i),
            duration_minutes=5,
            kind="progress",
            channel="phone",
        )
        employer = EmployerFactory(
            name=f"Werkgever {i} B.V.",
            municipality=world.assen,
            account_manager=world.account_manager,
        )
        ContactPerson.objects.create(employer=employer, name=f"Contact {i}")
        EmployerContact.objects.create(
            employer=employer, channel="phone", subject="Kennismaking", author=world.account_manager
        )
        Vacancy.objects.create(
            employer=employer,
            title=f"Vacature {i}",
            sector=care.get(),
            hours_per_week=24,
            municipality=world.assen,
        )
        employer.sroi_obligations.create(
            tender=f"Aanbesteding {i}",
            contract_value=Decimal("100000"),
            placements_required=1,
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        placement = PlacementFactory(
            client=client,
            employer=employer,
            start_date=today - datetime.timedelta(days=170),
            contract_end_date=today + datetime.timedelta(days=10 + i),
        )
        AssessmentFactory(placement=placement, wage_value_percent=Decimal("45"))
        provision = ProvisionFactory(placement=placement)
        FollowUp.objects.create(
            kind=FollowUpKind.CONTRACT_END,
            client=client,
            placement=placement,
            due_on=today + datetime.timedelta(days=3),
            assigned_to=coach,
        )
        FollowUp.objects.create(
            kind=FollowUpKind.REASSESSMENT,
            client=client,
            provision=provision,
            due_on=today + datetime.timedelta(days=5),
            assigned_to=coach,
        )
        _document(client, scan, i, coach, expires_on=today + datetime.timedelta(days=7))
        _letter(client, i, coach)
        project_services.member_add(
            actor=world.manager,
            project=world.project,
            client=client,
            criteria_met=world.project.criteria.all(),
            group=world.project.groups.order_by("pk")[i % 2],
        )
        event_services.participant_register(actor=coach, event=world.event, client=client)
        profile = employer_services.candidate_profile_save(
            actor=coach,
            client=client,
            sectors=care,
            skills=contact_skill,
            hours_per_week=32,
            available_from=datetime.date(2026, 1, 1),
            language_level="b1",
            driving_licence=True,
            open_for_matching=True,
        )
        match = employer_services.match_propose(
            actor=world.account_manager,
            vacancy=world.vacancy,
            profile=profile,
            score=70.0,
            explanation=[],
        )
        world.shortlist.matches.add(match)
        world.extra.setdefault("candidate", profile.pk)
        Referral.objects.create(
            client=client,
            team=world.diagnosis_team,
            question="Welk werk past?",
            referred_at=timezone.now() - datetime.timedelta(days=i),
            status=ReferralStatus.OPEN,
        )
        HouseholdMember.objects.create(
            client=client, relation="child", first_name=f"Kind {i}", last_name="Mol"
        )
        school = school_services.school_save(
            actor=world.consultant,
            name=f"Praktijkschool {i}",
            kind=SchoolKind.PRO,
            municipality=world.assen,
        )
        school_services.leaver_save(
            actor=world.consultant,
            school=school,
            school_year=2026,
            first_name=f"Leerling{i}",
            last_name="Jansen",
            birth_date=datetime.date(2008, 1, 1),
        )
        # A client nobody has yet (the manager's worklist), and a deregistered one proposed
        # for anonymisation.
        ClientFactory(team=None, coach=None, municipality=world.assen)
        old = ClientFactory(
            team=None,
            coach=None,
            municipality=world.assen,
            registered_on=datetime.date(2005, 1, 3),
            deregistered_on=datetime.date(2016, 1, 4),
            deregistration_reason="moved",
        )
        RetentionProposalItem.objects.create(proposal=world.proposal, client=old)
        # --- one more of the dossier's rows for the focus client ---------------------------------
        # Unit i's rows are older than unit i-1's, so the newest
        # page of the timeline holds the first units' rows whatever is added after them: the
        # dossier's first page looks alike at SMALL and LARGE units, its panels grow.
        day = today - datetime.timedelta(days=i + 1)
        moment = timezone.now() - datetime.timedelta(days=i + 1)
        for subject in ("Gesprek", "Telefoontje"):
            ContactFactory(client=focus, author=coach, date=day, subject=f"{subject} {i}")
        removed = ContactFactory(client=focus, author=coach, date=day, subject=f"Vergissing {i}")
        client_services.contact_remove(actor=coach, contact=removed, reason="Verkeerde cliënt")
        start = datetime.date(2024 - i, 1, 10)
        ended = Trajectory.objects.create(
            client=focus,
            route=route,
            start_date=start,
            end_date=start.replace(month=12),
            outcome="work",
        )
        Goal.objects.create(trajectory=ended, description="Op tijd komen")
        Activity.objects.create(trajectory=ended, kind=wop, start_date=start)
        Appointment.objects.create(
            client=focus,
            coach=coach,
            starts_at=_now_at(day, 120),
            duration_minutes=30,
            kind="progress",
            channel="phone",
            status="held",
        )
        # and three of some months ago, so that the timeline's second page has contacts too
        for k in range(3):
            ContactFactory(
                client=focus, author=coach, date=today - datetime.timedelta(days=100 + 3 * i + k)
            )
        _document(
            focus,
            scan,
            1000 + i,
            coach,
            dated_on=day,
            expires_on=today + datetime.timedelta(days=20),
        )
        Letter.objects.filter(pk=_letter(focus, 1000 + i, coach).pk).update(sent_at=moment)
        focus_placement = PlacementFactory(
            client=focus,
            employer=employer,
            start_date=datetime.date(2025, 1, 6) - datetime.timedelta(days=30 * i),
        )
        AssessmentFactory(placement=focus_placement, assessed_on=focus_placement.start_date)
        ProvisionFactory(
            placement=focus_placement,
            decision=Decision.GRANTED,
            decided_on=focus_placement.start_date,
            requested_on=focus_placement.start_date,
        )
        AssessmentFactory(
            placement=world.placement,
            assessed_on=datetime.date(2024, 1, 1) - datetime.timedelta(days=i),
        )
        ProvisionFactory(placement=world.placement)
        answered = Referral.objects.create(
            client=focus,
            team=world.diagnosis_team,
            question=f"Vraag {i}",
            referred_at=moment - datetime.timedelta(days=1),
            status=ReferralStatus.ANSWERED,
            answered_at=moment,
        )
        practical = PracticalAssessment.objects.create(
            referral=answered,
            workplace="Kringloop",
            supervisor_name="Piet",
            starts_on=day - datetime.timedelta(days=40),
            ends_on=day - datetime.timedelta(days=10),
            goal="Werktempo",
        )
        PracticalAssessment.objects.filter(pk=practical.pk).update(created_at=moment)
        HouseholdMember.objects.create(
            client=focus, relation="child", first_name=f"Kind {i}", last_name="El Amrani"
        )
        PlanVersion.objects.create(
            trajectory=focus_trajectory,
            number=i + 1,
            agreements="Elke twee weken gesprek.",
            review_on=today + datetime.timedelta(days=90),
            made_at=moment,
            document=_document(
                focus, DocumentKind.objects.get(code="signed_plan"), 2000 + i, coach, dated_on=day
            ),
        )
        HandoverNote.objects.create(
            client=focus,
            from_coach=world.manager,
            to_coach=coach,
            text=f"Overdracht {i}",
            created_at=moment,
        )
        # --- the administrators' rows ----------------------------------------------------------
        AccessLog.objects.create(
            user=coach,
            username=coach.username,
            kind="dossier",
            object_type="clients.client",
            object_id=str(focus.pk),
            result="granted",
        )
        AccessLog.objects.create(
            user=coach,
            username=coach.username,
            kind="dossier",
            object_type="clients.client",
            object_id=str(client.pk),
            result="denied",
        )
        AccessReport.objects.create(
            week_start=datetime.date(2020, 1, 6) + datetime.timedelta(weeks=i),
            factor=Decimal("3"),
            minimum_reads=20,
            findings={"unusual": [{"user": coach.username, "reads": 40 + i}]},
        )
        ImportRun.objects.create(
            upload=f"imports/{i}.zip",
            original_name=f"levering-{i}.zip",
            created_by=world.admin,
            status="checked",
        )
        ReportRun.objects.create(
            period_start=datetime.date(2020 + i % 6, 1, 1),
            period_end=datetime.date(2020 + i % 6, 12, 31),
            requested_by=world.manager,
        )
        Merge.objects.create(
            kept=client,
            merged_client_id=900_000 + i,
            merged_name=f"Dubbel {i}",
            reason="Dezelfde persoon",
            actor=world.admin,
        )
        CostParameter.objects.create(
            kind=CostParameterKind.STAFF_COST_PER_FTE,
            valid_from=datetime.date(2000 + i, 1, 1),
            amount=Decimal("80000"),
            created_by=world.admin,
        )
        DocumentKind.objects.create(code=f"budget-{i}", name=f"Soort {i}")
        other = _user(f"budget-coach-{i}", roles.WORK_COACH, [team])
        ClientFactory(coach=other, team=team, municipality=world.assen)
    world.units += n
