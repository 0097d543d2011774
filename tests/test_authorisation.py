"""Every URL of the URL configuration, for every role: the answer the authorisation matrix promises.

The expected table below is written by hand, apart from core.roles, so a change to who may do
what is a change in two places, on purpose. A URL that is missing here fails the test: a new
page can never be forgotten.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core import roles

pytestmark = pytest.mark.django_db

EVERYONE = "everyone"  # also without logging in
ALL_ROLES = frozenset(roles.LABELS)
CASEWORK = frozenset({roles.WORK_COACH, roles.DIAGNOSIS_CONSULTANT})
ADMIN = frozenset({roles.FUNCTIONAL_ADMIN})
ACCOUNT_MANAGER = frozenset({roles.ACCOUNT_MANAGER})

EXPECTED = {
    "home": ALL_ROLES,
    "health": EVERYONE,
    "set_language": EVERYONE,
    "account_login": EVERYONE,
    "mfa_authenticate": EVERYONE,
    "account_signup": EVERYONE,
    "account_inactive": EVERYONE,
    "account_confirm_login_code": EVERYONE,
    "account_reset_password": EVERYONE,
    "account_reset_password_done": EVERYONE,
    "account_reset_password_from_key": EVERYONE,
    "account_reset_password_from_key_done": EVERYONE,
    "account_email_verification_sent": EVERYONE,
    "account_confirm_email": EVERYONE,
    "account_logout": ALL_ROLES,
    "account_reauthenticate": ALL_ROLES,
    "account_change_password": ALL_ROLES,
    "account_set_password": ALL_ROLES,
    "account_email": ADMIN,
    "mfa_index": ALL_ROLES,
    "mfa_reauthenticate": ALL_ROLES,
    "mfa_activate_totp": ALL_ROLES,
    "mfa_deactivate_totp": ALL_ROLES,
    "mfa_view_recovery_codes": ALL_ROLES,
    "mfa_generate_recovery_codes": ALL_ROLES,
    "mfa_download_recovery_codes": ALL_ROLES,
    "clients:list": CASEWORK,
    "clients:detail": CASEWORK,
    "clients:create": CASEWORK,
    "clients:update": CASEWORK,
    "clients:suggest": CASEWORK,  # the typed team and coach fields of casework's forms
    "clients:contact_create": CASEWORK,
    "clients:ladder_create": CASEWORK,
    "clients:intake_create": CASEWORK,
    "clients:unassigned": frozenset({roles.MANAGER}),
    # Coach history and handover (issue 18): team leaders hand over; the new coach dismisses.
    "clients:caseloads": frozenset({roles.MANAGER}),
    "clients:handover": frozenset({roles.MANAGER}),
    "clients:handover_note_dismiss": CASEWORK,
    "clients:bsn_reveal": CASEWORK,
    "clients:bsn_change": CASEWORK,
    # Correcting the record (issue 17): casework; the removed records for the administrator.
    "clients:timeline": CASEWORK,
    "clients:contact_correct": CASEWORK,
    "clients:contact_remove": CASEWORK,
    "clients:intake_correct": CASEWORK,
    "clients:intake_remove": CASEWORK,
    "clients:ladder_correct": CASEWORK,
    "clients:ladder_remove": CASEWORK,
    "clients:removed": ADMIN,
    "trajectories:evaluation_correct": CASEWORK,
    "trajectories:evaluation_remove": CASEWORK,
    "trajectories:start": CASEWORK,
    "trajectories:update": CASEWORK,
    "trajectories:end": CASEWORK,
    "trajectories:goal_create": CASEWORK,
    "trajectories:goal_status": CASEWORK,
    "trajectories:activity_create": CASEWORK,
    "trajectories:activity_update": CASEWORK,
    "trajectories:evaluation_create": CASEWORK,
    # Team view: casework for their branch teams, managers the figures of all (no names).
    "teams:list": CASEWORK | {roles.MANAGER},
    "teams:detail": CASEWORK | {roles.MANAGER},
    "projects:list": CASEWORK | {roles.MANAGER},
    "projects:detail": CASEWORK | {roles.MANAGER},
    "projects:event_list": CASEWORK | {roles.MANAGER},
    "projects:event_detail": CASEWORK | {roles.MANAGER},
    "projects:event_participant": CASEWORK,
    # Managers create events; functional administrators kept them in the admin already.
    "projects:event_create": {roles.MANAGER, roles.FUNCTIONAL_ADMIN},
    "projects:event_update": {roles.MANAGER, roles.FUNCTIONAL_ADMIN},
    "projects:event_participants_bulk": CASEWORK,
    "projects:event_participant_result": CASEWORK,
    "projects:event_follow_up": CASEWORK,
    "projects:event_invite": CASEWORK,
    "projects:stage_record": CASEWORK,
    # Issue 19: managers create projects; leaders (here casework, leading the sample) keep them.
    "projects:create": {roles.MANAGER, roles.FUNCTIONAL_ADMIN},
    "projects:edit": CASEWORK | {roles.MANAGER},
    "projects:close": CASEWORK | {roles.MANAGER},
    "projects:members": CASEWORK | {roles.MANAGER},
    "projects:members_add": CASEWORK | {roles.MANAGER},
    "projects:member_change": CASEWORK | {roles.MANAGER},
    "projects:member_join": CASEWORK,
    # KPIs and reports: managers only (figures, no names).
    "reporting:dashboard": {roles.MANAGER},
    "reporting:report_list": {roles.MANAGER},
    "reporting:report_detail": {roles.MANAGER},
    "reporting:report_progress": {roles.MANAGER},
    "reporting:report_retry": {roles.MANAGER},
    "reporting:report_pdf": {roles.MANAGER},
    "reporting:report_xlsx": {roles.MANAGER},
    # The cost parameters of the return of route werknemer (issue 19): reference data.
    "reporting:cost_parameters": ADMIN,
    "reporting:cost_parameter_create": ADMIN,
    "reporting:cost_parameter_update": ADMIN,
    # Employers, vacancies, matching: account managers; candidate profiles also casework (own
    # clients); Social Return figures also managers; the shortlist link is for the employer.
    "employers:start": ACCOUNT_MANAGER,
    "employers:list": ACCOUNT_MANAGER,
    "employers:create": ACCOUNT_MANAGER,
    "employers:detail": ACCOUNT_MANAGER,
    "employers:update": ACCOUNT_MANAGER,
    "employers:contact_person_create": ACCOUNT_MANAGER,
    "employers:contact_create": ACCOUNT_MANAGER,
    "employers:sroi_create": ACCOUNT_MANAGER,
    "placements:sroi_overview": ACCOUNT_MANAGER | {roles.MANAGER},
    "employers:vacancy_list": ACCOUNT_MANAGER,
    "employers:vacancy_create": ACCOUNT_MANAGER,
    "employers:vacancy_update": ACCOUNT_MANAGER,
    "employers:vacancy_detail": ACCOUNT_MANAGER,
    "employers:match_propose": ACCOUNT_MANAGER,
    "employers:match_advance": ACCOUNT_MANAGER,
    "employers:shortlist_create": ACCOUNT_MANAGER,
    "shortlists:shortlist": EVERYONE,
    "employers:candidate_list": CASEWORK | ACCOUNT_MANAGER,
    "employers:candidate_detail": CASEWORK | ACCOUNT_MANAGER,
    "employers:consent_create": CASEWORK | ACCOUNT_MANAGER,
    "employers:profile_edit": CASEWORK,
    # Placements: casework for own clients; account managers the placements at their
    # employers (list, page, create for candidates, change), never assessments' or provisions'
    # forms (they hold notes on health and capacity).
    "placements:list": CASEWORK | {roles.ACCOUNT_MANAGER},
    "placements:detail": CASEWORK | {roles.ACCOUNT_MANAGER},
    "placements:create": CASEWORK | {roles.ACCOUNT_MANAGER},
    "placements:update": CASEWORK | {roles.ACCOUNT_MANAGER},
    "placements:assessment_create": CASEWORK,
    "placements:assessment_update": CASEWORK,
    "placements:provision_create": CASEWORK,
    "placements:provision_update": CASEWORK,
    "placements:calculator": CASEWORK,
    "placements:follow_up_done": CASEWORK,
    # The agenda: casework for its own appointments; the team week also for managers (team
    # leaders), with initials instead of names; the calendar feed is a secret link.
    "agenda:index": CASEWORK,
    "agenda:week": CASEWORK,
    "agenda:day": CASEWORK,
    "agenda:team_index": CASEWORK | {roles.MANAGER},
    "agenda:team_week": CASEWORK | {roles.MANAGER},
    "agenda:plan": CASEWORK,
    "agenda:plan_for": CASEWORK,
    "agenda:detail": CASEWORK,
    "agenda:move": CASEWORK,
    "agenda:cancel": CASEWORK,
    "agenda:held": CASEWORK,
    "agenda:no_show": CASEWORK,
    "agenda:invite": CASEWORK,
    "agenda:remind": CASEWORK,
    "agenda:feed_settings": CASEWORK,
    "agenda:feed_renew": CASEWORK,
    "agenda:feed": EVERYONE,
    # Referrals to diagnosis (issue 18): casework refers and withdraws; the diagnosis
    # consultants list the referrals to their teams and plan and evaluate assessments.
    "diagnosis:refer": CASEWORK,
    "diagnosis:withdraw": CASEWORK,
    "diagnosis:referrals": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "diagnosis:assessment_plan": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "diagnosis:assessment_finish": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "households:add": CASEWORK,
    "households:link": CASEWORK,
    "households:change": CASEWORK,
    "households:remove": CASEWORK,
    "households:become_client": CASEWORK,
    "core:authorisation": ADMIN,
    "core:service_area": ADMIN,
    "audit:access_search": ADMIN,
    "audit:client_access": ADMIN,
    "audit:denied": ADMIN,
    "audit:reports": ADMIN,
    "privacy:access_request": ADMIN,
    "privacy:export_pdf": ADMIN,
    "privacy:export_json": ADMIN,
    "privacy:export_zip": ADMIN,
    "privacy:retention": ADMIN,
    "privacy:retention_take_out": ADMIN,
    "privacy:retention_approve": ADMIN,
    "admin:login": EVERYONE,
    "interchange:index": ADMIN,
    "interchange:run": ADMIN,
    "interchange:report": ADMIN,
    "interchange:start": ADMIN,
    # Merging two dossiers of the same person (issue 18): the functional administrator only.
    "merging:index": ADMIN,
    "merging:merge": ADMIN,
    # Documents and letters: casework for the clients it may open; the administrator keeps the
    # templates. Account managers and managers none (identity and health details).
    "documents:upload": CASEWORK,
    "documents:download": CASEWORK,
    "documents:letter_send": CASEWORK,
    "documents:letter_preview": CASEWORK,
    "documents:to_post": CASEWORK,
    "documents:letter_posted": CASEWORK,
    "documents:template_list": ADMIN,
    "documents:template_edit": ADMIN,
    "documents:kind_list": ADMIN,
    "documents:kind_create": ADMIN,
    "documents:kind_edit": ADMIN,
    # The signed plan (issue 18): casework for the clients it may open.
    "plans:create": CASEWORK,
    "plans:sign": CASEWORK,
    # School leavers (issue 18): the diagnosis team; managers see the yearly figures.
    "schools:leaver_list": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:leaver_create": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:leaver_detail": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:leaver_update": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:conversation": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:leaver_client": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:school_list": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:school_create": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:school_update": frozenset({roles.DIAGNOSIS_CONSULTANT}),
    "schools:overview": frozenset({roles.DIAGNOSIS_CONSULTANT, roles.MANAGER}),
}
# The Django admin: only functional administrators get past the matrix; the admin then checks
# each model's permissions itself (so a page of a model they may not manage answers 403).
EXPECTED_NAMESPACES = {"admin": ADMIN}

ROLE_USERS = {
    roles.WORK_COACH: "coach",
    roles.DIAGNOSIS_CONSULTANT: "diagnosis_consultant",
    roles.ACCOUNT_MANAGER: "account_manager",
    roles.MANAGER: "manager",
    roles.FUNCTIONAL_ADMIN: "functional_admin",
}


def walk(patterns=None, namespace=""):
    """(view name, URL pattern) for every pattern in the URL configuration."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.lookup_str}", pattern


def expected_roles(view_name):
    if view_name in EXPECTED:
        return EXPECTED[view_name]
    namespace = view_name.split(":", 1)[0] if ":" in view_name else None
    return EXPECTED_NAMESPACES.get(namespace)


def argument_names(pattern: URLPattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return list(converters)
    return list(pattern.pattern.regex.groupindex)


def test_every_url_has_an_expected_answer_and_a_rule_in_the_matrix():
    names = [name for name, _pattern in walk()]
    assert [n for n in names if expected_roles(n) is None] == []
    assert [n for n in names if roles.page_for(n) is None] == []


def test_the_matrix_lists_no_page_that_does_not_exist():
    names = {name for name, _pattern in walk()}
    development_only = {"django.contrib.staticfiles.views.serve"}
    assert set(roles.PAGES) - names - development_only == set()


def test_the_matrix_grants_what_the_table_here_expects():
    for name, _pattern in walk():
        page, expected = roles.page_for(name), expected_roles(name)
        if expected == EVERYONE:
            assert page.requires == roles.PUBLIC, name
        else:
            assert page.requires != roles.PUBLIC, name
            assert {role for role in roles.LABELS if page.allows_role(role)} == expected, name


@pytest.fixture
def url_samples(client_of_coach, coach, diagnosis_consultant, account_manager):
    """A value for each URL argument: objects every allowed user may see."""
    import datetime

    from projects.models import Event, Project
    from trajectories import reference, services
    from trajectories.models import ActivityKind, BranchTeam, Route

    reference.load()
    branch_team = BranchTeam.objects.get(code="hodezo")
    branch_team.coaches.add(coach, diagnosis_consultant)
    trajectory = services.trajectory_start(
        actor=coach,
        client=client_of_coach,
        route=Route.objects.get(code="employee"),
        branch_team=branch_team,
        start_date=datetime.date(2026, 1, 5),
    )
    goal = services.goal_add(actor=coach, trajectory=trajectory, description="Op tijd komen")
    activity = services.activity_add(
        actor=coach,
        trajectory=trajectory,
        kind=ActivityKind.objects.get(code="work_experience"),
        start_date=datetime.date(2026, 1, 12),
    )
    from reporting.models import ReportRun, RunStatus

    project = Project.objects.create(code="sample", name="Sample project")
    project.leaders.add(coach, diagnosis_consultant)  # the project pages of its leaders
    member = project.members.create(client=client_of_coach)
    run = ReportRun.objects.create(
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        status=RunStatus.DONE,
        pdf=b"%PDF-1.7",
        xlsx=b"PK",
    )
    event = Event.objects.create(name="Sample event", date=datetime.date(2026, 3, 1))
    from reporting.models import CostParameter, CostParameterKind

    cost_parameter = CostParameter.objects.create(
        kind=CostParameterKind.BENEFIT_SINGLE, valid_from=datetime.date(2026, 1, 1), amount=1300
    )
    participant = event.participants.create(client=client_of_coach)
    employer, vacancy, profile, match, shortlist = _employer_samples(
        client_of_coach, coach, account_manager
    )
    placement, assessment, provision = placement_samples(client_of_coach, account_manager)
    from interchange.models import ImportRun
    from interchange.models import RunStatus as ImportStatus

    import_run = ImportRun.objects.create(
        upload="imports/sample.zip",
        original_name="sample.zip",
        created_by=coach,
        status=ImportStatus.REJECTED,
    )
    letter, letter_template = _letter_samples(client_of_coach, coach)
    appointment, feed_token = agenda_samples(client_of_coach, coach)
    records = correctable_samples(client_of_coach, coach, activity)
    plan_version = plan_samples(trajectory, coach)
    referral, practical_assessment = diagnosis_samples(client_of_coach, coach, diagnosis_consultant)
    return records | {
        "appointment": appointment.pk,
        "year": 2026,
        "week": 50,
        "day": "2026-12-07",
        "user": coach.pk,
        "secret": feed_token,
        # The handover (issue 18): a team and a coach of it.
        "team": coach.teams.first().pk,
        "coach": coach.pk,
        "pk": client_of_coach.pk,
        "code": branch_team.code,
        "trajectory": trajectory.pk,
        "goal": goal.pk,
        "activity": activity.pk,
        "project_pk": project.pk,
        "member_pk": member.pk,
        "event_pk": event.pk,
        "participant_pk": participant.pk,
        "run": run.pk,
        "parameter": cost_parameter.pk,
        "employer": employer.pk,
        "vacancy": vacancy.pk,
        "candidate": profile.pk,
        "match": match.pk,
        "token": shortlist.token,
        "placement": placement.pk,
        "assessment": assessment.pk,
        "provision": provision.pk,
        "import_run": import_run.pk,
        "document": letter.document_id,
        "letter": letter.pk,
        "letter_template": letter_template.pk,
        "document_kind": letter.document.kind_id,
        "plan_version": plan_version.pk,
        "referral": referral.pk,
        "practical_assessment": practical_assessment.pk,
        "member": household_sample(client_of_coach, coach).pk,
        **school_samples(coach, diagnosis_consultant),
        # Django admin
        "app_label": "core",
        "object_id": "1",
        "id": "1",
        "content_type_id": 1,
        "url": "nowhere/",
    }


def household_sample(client, coach):
    from households.models import HouseholdMember, Relation

    return HouseholdMember.objects.create(
        client=client, relation=Relation.PARTNER, first_name="Youssef", last_name="Amrani"
    )


def diagnosis_samples(client, coach, diagnosis_consultant):
    """An open referral of the coach's client to the team of the diagnosis consultant, with a
    practical assessment planned from it."""
    import datetime

    from diagnosis import services

    referral = services.referral_make(
        actor=coach, client=client, team=coach.teams.first(), question="Hoeveel uur per dag?"
    )
    assessment = services.assessment_plan(
        actor=diagnosis_consultant,
        referral=referral,
        workplace="Sample company",
        supervisor_name="Sample supervisor",
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 3, 2),
        goal="Werktempo",
    )
    return referral, assessment


def school_samples(coach, diagnosis_consultant) -> dict:
    """A school and a leaver of it with an exit conversation, not a client yet (issue 18)."""
    import datetime

    from schools import services

    school = services.school_save(
        actor=diagnosis_consultant,
        name="Sample school",
        kind="vso",
        municipality=coach.caseload.first().municipality,
    )
    leaver = services.leaver_save(
        actor=diagnosis_consultant,
        school=school,
        school_year=2026,
        first_name="Sample",
        last_name="Leaver",
        birth_date=datetime.date(2008, 1, 1),
    )
    services.conversation_record(
        actor=diagnosis_consultant,
        leaver=leaver,
        held_on=datetime.date(2026, 5, 4),
        job_coach=coach,
        advice="further_education",
    )
    return {"school": school.pk, "leaver": leaver.pk}


def _letter_samples(client, coach):
    """A letter for the post to the coach's client (a document in the dossier too), and the
    template it came from."""
    from documents import services
    from documents.models import LetterTemplate

    client.address = "Brink 12"
    client.save()
    letter = services.letter_send(actor=coach, client=client, kind="agreements")
    return letter, LetterTemplate.objects.get(kind="agreements")


def _employer_samples(client_of_coach, coach, account_manager):
    """An employer with a vacancy, the coach's client as candidate proposed for it, a shortlist."""
    from employers import reference, services
    from employers.models import Sector

    reference.load()
    employer = services.employer_register(actor=account_manager, name="Sample employer")
    vacancy = services.vacancy_register(
        actor=account_manager,
        employer=employer,
        title="Sample vacancy",
        sector=Sector.objects.get(code="care"),
        hours_per_week=24,
        municipality=client_of_coach.municipality,
    )
    profile = services.candidate_profile_save(
        actor=coach, client=client_of_coach, hours_per_week=24, open_for_matching=True
    )
    match = services.match_propose(
        actor=account_manager, vacancy=vacancy, profile=profile, score=50, explanation=[]
    )
    shortlist = services.shortlist_send(actor=account_manager, vacancy=vacancy, matches=[match])
    return employer, vacancy, profile, match, shortlist


def placement_samples(client, account_manager):
    """A placement at an employer the account manager keeps, with an assessment and a subsidy."""
    import datetime

    from employers.models import Employer
    from placements import services
    from placements.models import PlacementKind, ProvisionKind

    employer = Employer.objects.create(name="Sample employer", account_manager=account_manager)
    placement = services.placement_create(
        actor=None,
        client=client,
        employer=employer,
        kind=PlacementKind.REGULAR,
        start_date=datetime.date(2026, 2, 2),
    )
    assessment = services.assessment_record(
        actor=None,
        client=client,
        placement=placement,
        assessed_on=datetime.date(2026, 2, 16),
        wage_value_percent=60,
    )
    provision = services.provision_request(
        actor=None,
        client=client,
        placement=placement,
        kind=ProvisionKind.WAGE_COST_SUBSIDY_STRUCTURAL,
        requested_on=datetime.date(2026, 2, 2),
    )
    return placement, assessment, provision


def agenda_samples(client, coach):
    """A planned appointment of the coach with the client (tomorrow), and the coach's feed
    secret."""
    import datetime

    from django.utils import timezone

    from agenda import services

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    appointment = services.appointment_plan(
        actor=coach,
        client=client,
        starts_at=datetime.datetime.combine(
            tomorrow, datetime.time(10), tzinfo=timezone.get_current_timezone()
        ),
        duration_minutes=45,
        kind="progress",
        channel="phone",
    )
    return appointment, services.feed_token_renew(user=coach)


def plan_samples(trajectory, coach):
    """A version of the trajectory's plan, not signed yet (issue 18)."""
    import datetime

    from django.utils import timezone

    from plans import services

    return services.plan_version_make(
        actor=coach,
        trajectory=trajectory,
        agreements="U komt elke twee weken op gesprek.",
        review_on=timezone.localdate() + datetime.timedelta(days=90),
    )


def correctable_samples(client, coach, activity) -> dict:
    """A contact, intake, ladder measurement and skill evaluation to correct (issue 17)."""
    import datetime

    from clients import services as client_services
    from trajectories import services as trajectory_services

    day = datetime.date(2026, 1, 20)
    contact = client_services.contact_log(actor=coach, client=client, date=day, channel="phone")
    intake = client_services.intake_record(
        actor=coach,
        client=client,
        held_on=day,
        ladder_step=3,
        advised_route="employee",
        work_estimate="within_two_years",
    )
    observation = client_services.ladder_observe(
        actor=coach, client=client, observed_on=day, step=4
    )
    evaluation = trajectory_services.evaluation_record(
        actor=coach,
        activity=activity,
        evaluated_on=day,
        scores=dict.fromkeys(
            ["on_time", "appointments", "supervision", "cooperating", "instructions"], 3
        ),
    )
    return {
        "contact": contact.pk,
        "intake": intake.pk,
        "observation": observation.pk,
        "evaluation": evaluation.pk,
    }


def concrete_urls(url_samples):
    for name, pattern in walk():
        arguments = argument_names(pattern)
        missing = [a for a in arguments if a not in url_samples]
        assert not missing, f"add a sample value for {missing} of {name} to url_samples"
        if not pattern.name:
            continue  # unnamed (the admin's catch-all): covered by its namespace rule
        try:
            url = reverse(name, kwargs={a: url_samples[a] for a in arguments})
        except Exception:  # a regex that refuses the sample (admin app_label of another app)
            continue
        yield name, url


def enrolled(user):
    """The user with an authenticator app and recovery codes, as after two-factor enrolment."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(user)
    return user


def test_every_role_gets_the_answer_the_matrix_promises(request, url_samples):
    users = {role: request.getfixturevalue(fixture) for role, fixture in ROLE_USERS.items()}
    browsers = {}
    for role, user in users.items():
        browsers[role] = HttpClient()
        browsers[role].force_login(enrolled(user))
    anonymous = HttpClient()
    failures = []
    for name, url in concrete_urls(url_samples):
        expected = expected_roles(name)
        answer = anonymous.get(url)
        if expected == EVERYONE:
            # Some public steps send a visitor who has not started logging in to the login page.
            if answer.status_code in (403, 404, 500):
                failures.append((name, "anonymous", answer.status_code))
        elif answer.status_code != 302 or "/login/" not in answer["Location"]:
            failures.append((name, "anonymous", answer.status_code))
        for role, browser in browsers.items():
            status = browser.get(url).status_code
            allowed = expected == EVERYONE or role in expected
            if allowed and name.startswith("admin:"):
                # The admin checks model permissions itself (403); sample ids may not exist.
                ok = status in (200, 302, 403, 404, 405)
            elif allowed:
                ok = status in (200, 302, 405)  # 405: an action that only takes POST
            else:
                ok = status == 403
            if not ok:
                failures.append((name, role, status))
    assert failures == [], "\n".join(map(str, failures))


def test_a_url_outside_the_matrix_is_refused_even_to_a_superuser(rf, make_user):
    from django.core.exceptions import PermissionDenied

    from core.middleware import AuthorisationMiddleware

    superuser = make_user("root", is_superuser=True)
    request = rf.get("/")
    request.user = superuser
    request.resolver_match = type("Match", (), {"view_name": "somewhere:new_page"})()
    with pytest.raises(PermissionDenied):
        AuthorisationMiddleware(lambda r: None).process_view(request, None, (), {})


def test_the_authorisation_page_shows_the_matrix_to_the_functional_administrator(
    client, functional_admin
):
    client.force_login(functional_admin)
    page = client.get(reverse("core:authorisation")).content.decode()
    assert "Autorisatiematrix" in page
    assert "<code>clients:detail</code>" in page
    assert "Werkcoach" in page


def test_the_readme_shows_the_current_matrix():
    from pathlib import Path

    from core.management.commands.authorisation_matrix import markdown

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert markdown() in readme, "run `manage.py authorisation_matrix` and paste it in README.md"
