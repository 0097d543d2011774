"""The authorisation matrix: the roles, the permissions each carries, and what every page needs.

This module is the one place where access is decided:

- `PERMISSIONS`: role -> model permissions. A role is a Django group named by its code;
  `sync_roles()` makes the groups match this table after every `migrate`.
- `PAGES`: URL name -> what a user needs to open it (`PUBLIC`, `SIGNED_IN` or a permission).
  `core.middleware.AuthorisationMiddleware` enforces it for every request, and refuses a URL
  that is not listed here, so a new page is closed until someone decides who may use it.
- `SCOPES`: which *objects* a role sees. That is a rule on the QuerySets
  (`Client.objects.for_user`), not a permission row: an object outside it is a 404.

The functional administrator sees this table at /beheer/autorisatie/ and the README shows it
(`manage.py authorisation_matrix`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORK_COACH = "work_coach"
DIAGNOSIS_CONSULTANT = "diagnosis_consultant"
ACCOUNT_MANAGER = "account_manager"
MANAGER = "manager"
FUNCTIONAL_ADMIN = "functional_admin"

LABELS = {
    WORK_COACH: _("Work coach"),
    DIAGNOSIS_CONSULTANT: _("Diagnosis consultant"),
    ACCOUNT_MANAGER: _("Account manager"),
    MANAGER: _("Manager"),
    FUNCTIONAL_ADMIN: _("Functional administrator"),
}

_CASEWORK = [
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.view_contact",
    "clients.add_contact",
    "clients.view_intake",
    "clients.add_intake",
    "clients.view_ladderobservation",
    "clients.add_ladderobservation",
    # Correcting the record (issue 17): correct or remove a contact, intake or measurement.
    *[
        f"clients.{action}_{model}"
        for model in ("contact", "intake", "ladderobservation")
        for action in ("change", "delete")
    ],
    "clients.view_full_bsn",
    "clients.change_bsn",
    *[
        f"trajectories.{action}_{model}"
        for model in ("trajectory", "goal", "activity", "skillevaluation")
        for action in ("view", "add", "change")
    ],
    "trajectories.delete_skillevaluation",
    "trajectories.view_team_figures",
    # Project and event pages; register event participants and funnel stages of own clients.
    "projects.view_project_results",
    "projects.view_eventparticipant",
    "projects.add_eventparticipant",
    "projects.change_eventparticipant",
    "projects.view_stagereached",
    "projects.add_stagereached",
    # Screen own and team clients for a project from the dossier (issue 19).
    "projects.view_projectmember",
    "projects.add_projectmember",
    # Placements, wage-value assessments and provisions of own clients; aftercare follow-ups.
    *[
        f"placements.{action}_{model}"
        for model in ("placement", "wagevalueassessment", "provision")
        for action in ("view", "add", "change")
    ],
    "placements.view_subsidycalculation",
    "placements.add_subsidycalculation",
    "placements.view_followup",
    "placements.change_followup",
    # Documents in the dossiers of own and team clients; letters to them, and ticking off the
    # letters for the post.
    "documents.view_document",
    "documents.add_document",
    "documents.view_letter",
    "documents.add_letter",
    "documents.change_letter",
    # The agenda: appointments with own and team clients, their outcome, the calendar feed.
    "agenda.view_appointment",
    "agenda.add_appointment",
    "agenda.change_appointment",
    # Plans of approach of own and team clients: make a version, record the signature (issue 18).
    "plans.view_planversion",
    "plans.add_planversion",
    "plans.change_planversion",
    # Referrals to diagnosis of own and team clients: refer, see the answer, withdraw (issue 18).
    "diagnosis.view_referral",
    "diagnosis.add_referral",
    "diagnosis.change_referral",
    "diagnosis.view_practicalassessment",
    # The household of own and team clients (issue 18).
    *[f"households.{action}_householdmember" for action in ("view", "add", "change", "delete")],
]

# Casework fills in their clients' candidate profiles and may record a client's consent to
# share their name with employers; the employers pages themselves are the account managers'.
_CANDIDATE_PROFILES = [
    "employers.view_candidateprofile",
    "employers.add_candidateprofile",
    "employers.change_candidateprofile",
    "employers.add_consentrecord",
]

# Account managers: employers, vacancies, matching, Social Return, candidate profiles opened
# for matching. No client dossiers: never diagnosis details, health information or coach notes.
_EMPLOYER_SERVICES = [
    *[
        f"employers.{action}_{model}"
        for model in (
            "employer",
            "contactperson",
            "employercontact",
            "sroiobligation",
            "vacancy",
            "match",
        )
        for action in ("view", "add", "change")
    ],
    "employers.add_shortlist",
    "employers.view_shortlist",
    "employers.view_candidateprofile",
    "employers.add_consentrecord",
]

# Diagnosis consultants: the referrals to their teams (start page and list; the intake they
# hold answers one), and the practical assessments planned and evaluated from them (issue 18).
_DIAGNOSIS = [
    "diagnosis.answer_referral",
    "diagnosis.add_practicalassessment",
    "diagnosis.change_practicalassessment",
]

# Diagnosis consultants: the schools for special and practical education, their leavers, the
# exit conversations and making a leaver a client; the yearly figures with names (issue 18).
_SCHOOL_LEAVERS = [
    *[
        f"schools.{action}_{model}"
        for model in ("school", "leaver", "exitconversation")
        for action in ("view", "add", "change")
    ],
    "schools.register_leaver_client",
    "schools.view_school_figures",
]

PERMISSIONS = {
    WORK_COACH: _CASEWORK + _CANDIDATE_PROFILES,
    DIAGNOSIS_CONSULTANT: _CASEWORK + _CANDIDATE_PROFILES + _DIAGNOSIS + _SCHOOL_LEAVERS,
    # Employers, vacancies and matching; placements at the employers they keep
    # (placements.Placement.objects.for_user), with the wage value and provisions of those
    # placements, never the notes of assessments or provisions, nor the client's dossier.
    ACCOUNT_MANAGER: [
        *_EMPLOYER_SERVICES,
        "placements.view_placement",
        "placements.add_placement",
        "placements.change_placement",
        "placements.view_wagevalueassessment",
        "placements.view_provision",
        "placements.view_subsidycalculation",
    ],
    # Team view, project and event pages show figures only, no client names; Social Return
    # progress per employer (employers are no personal data).
    MANAGER: [
        "trajectories.view_team_figures",
        "projects.view_project_results",
        # Managers create projects and keep them: stages, groups, criteria, members (issue 19).
        "projects.add_project",
        "projects.change_project",
        # Managers create and change events (job festivals, information meetings).
        "projects.add_event",
        "projects.change_event",
        "employers.view_sroiobligation",
        # The KPI dashboard and the annual and quarterly reports (figures, no names).
        "reporting.view_kpis",
        # Team leaders hand out caseloads: clients without team and coach (clients.worklist).
        "clients.assign_client",
        # ...and hand a (departing) coach's caseload over to others (clients.handover).
        "clients.hand_over_caseload",
        # The yearly overview of the school leavers per school, without names (issue 18).
        "schools.view_school_figures",
    ],
    FUNCTIONAL_ADMIN: [
        "core.administer",
        "core.view_user",
        "core.add_user",
        "core.change_user",
        "core.view_team",
        "core.add_team",
        "core.change_team",
        "core.view_municipality",
        "core.add_municipality",
        "core.change_municipality",
        "auth.view_group",
        # Reference lists of trajectories; projects and their groups.
        *[
            f"trajectories.{action}_{model}"
            for model in ("route", "branchteam", "activitykind")
            for action in ("view", "add", "change")
        ],
        *[
            f"projects.{action}_{model}"
            for model in ("project", "projectgroup", "projectstage", "event")
            for action in ("view", "add", "change")
        ],
        # Lift a password-guessing lockout, reset the authenticator of someone who lost a phone.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "mfa.view_authenticator",
        "mfa.delete_authenticator",
        # GDPR requests: export a client's data, approve anonymisation after retention.
        "clients.export_personal_data",
        "clients.anonymise_client",
        # Two dossiers of the same person made one (merging): identifying data and counts only.
        "merging.merge_clients",
        # Records coaches removed with a reason (issue 17): the list, never the dossier.
        "clients.view_correction",
        "privacy.view_retentionperiod",
        "privacy.add_retentionperiod",
        "privacy.change_retentionperiod",
        # The targets the KPIs are measured against.
        "reporting.view_target",
        "reporting.add_target",
        "reporting.change_target",
        "reporting.delete_target",
        # The dated cost parameters of the return of route werknemer (issue 19).
        "reporting.view_costparameter",
        "reporting.add_costparameter",
        "reporting.change_costparameter",
        # Reference lists of matching and Social Return; coordinates for distances.
        *[
            f"employers.{action}_{model}"
            for model in ("sector", "skill", "rejectionreason", "sroirule")
            for action in ("view", "add", "change")
        ],
        "core.view_postcodearea",
        "core.add_postcodearea",
        "core.change_postcodearea",
        # The dated parameters of the wage-cost subsidy (minimum wage, percentages).
        "placements.view_wageparameters",
        "placements.add_wageparameters",
        "placements.change_wageparameters",
        # Import of a company's data in the interchange format (issue 8).
        "interchange.import_data",
        # The letter templates and the list of document kinds (never the documents).
        "documents.view_lettertemplate",
        "documents.change_lettertemplate",
        "documents.view_documentkind",
        "documents.add_documentkind",
        "documents.change_documentkind",
    ],
}

SCOPES = {
    WORK_COACH: _("Clients of their own caseload and of their teams."),
    DIAGNOSIS_CONSULTANT: _(
        "Clients of their own caseload and of their teams, and clients referred to their teams "
        "(while the referral is open or its practical assessment runs, and for a while after "
        "the answer)."
    ),
    ACCOUNT_MANAGER: _(
        "All employers and vacancies; candidate profiles opened for matching; placements at "
        "the employers they keep; no client dossiers."
    ),
    MANAGER: _(
        "Figures and reports; no client dossiers. Names of clients without team and coach, to "
        "assign them, and of a coach's clients, to hand them over. In the projects they keep "
        "(and any project leader in theirs): the members, and the active clients to add with "
        "name, client number, coach, team and latest wage value, without their dossiers; "
        "each such list is in the access log."
    ),
    FUNCTIONAL_ADMIN: _("Users, teams and reference data; no client dossiers."),
}

PUBLIC = "public"  # no login needed (login page, health check, language switch)
SIGNED_IN = "signed_in"  # any signed-in user, whatever their role


@dataclass(frozen=True)
class Page:
    """A page or action (a URL name) and what a user needs to use it."""

    label: str | Promise
    requires: str  # PUBLIC, SIGNED_IN or "app_label.codename"

    def allows_role(self, role: str) -> bool:
        if self.requires in (PUBLIC, SIGNED_IN):
            return True
        return self.requires in PERMISSIONS[role]


# URL name -> Page. Grouped by part of the product; the order is the order of the table.
PAGES: dict[str, Page] = {
    # Everyone
    "home": Page(_("Start page"), SIGNED_IN),
    "health": Page(_("Health check for the load balancer"), PUBLIC),
    "set_language": Page(_("Switch the language"), PUBLIC),
    # Only in development (DEBUG); production serves static files through WhiteNoise.
    "django.contrib.staticfiles.views.serve": Page(_("Static files"), PUBLIC),
    # Accounts (allauth)
    "account_login": Page(_("Log in"), PUBLIC),
    "mfa_authenticate": Page(_("Log in: second step (authenticator code)"), PUBLIC),
    "account_signup": Page(
        _("Sign up (closed: a functional administrator makes accounts)"), PUBLIC
    ),
    "account_inactive": Page(_("Account inactive"), PUBLIC),
    "account_confirm_login_code": Page(_("Log in with a code (switched off)"), PUBLIC),
    "account_reset_password": Page(_("Forgotten password: request a reset link"), PUBLIC),
    "account_reset_password_done": Page(_("Forgotten password: link sent"), PUBLIC),
    "account_reset_password_from_key": Page(_("Forgotten password: choose a new one"), PUBLIC),
    "account_reset_password_from_key_done": Page(_("Forgotten password: changed"), PUBLIC),
    "account_email_verification_sent": Page(_("Email verification (switched off)"), PUBLIC),
    "account_confirm_email": Page(_("Email verification (switched off)"), PUBLIC),
    "account_logout": Page(_("Log out"), SIGNED_IN),
    "account_reauthenticate": Page(_("Confirm your password again"), SIGNED_IN),
    "account_change_password": Page(_("Change your password"), SIGNED_IN),
    "account_set_password": Page(_("Set a password"), SIGNED_IN),
    # Email addresses are identity data the functional administrator keeps.
    "account_email": Page(_("Own email addresses"), "core.change_user"),
    "mfa_index": Page(_("Two-step verification"), SIGNED_IN),
    "mfa_reauthenticate": Page(_("Confirm with your authenticator code again"), SIGNED_IN),
    "mfa_activate_totp": Page(_("Activate an authenticator app"), SIGNED_IN),
    "mfa_deactivate_totp": Page(_("Deactivate the authenticator app"), SIGNED_IN),
    "mfa_view_recovery_codes": Page(_("View recovery codes"), SIGNED_IN),
    "mfa_generate_recovery_codes": Page(_("Generate new recovery codes"), SIGNED_IN),
    "mfa_download_recovery_codes": Page(_("Download recovery codes"), SIGNED_IN),
    # Clients
    "clients:list": Page(_("Caseload and client search"), "clients.view_client"),
    "clients:detail": Page(_("Client dossier"), "clients.view_client"),
    "clients:create": Page(_("Register a client"), "clients.add_client"),
    "clients:update": Page(_("Change a client's data"), "clients.change_client"),
    "clients:suggest": Page(
        _("Suggestions of teams and work coaches while typing"), "clients.add_client"
    ),
    "clients:contact_create": Page(_("Log a contact moment"), "clients.add_contact"),
    "clients:ladder_create": Page(
        _("Record a participation-ladder measurement"), "clients.add_ladderobservation"
    ),
    "clients:intake_create": Page(_("Record an intake"), "clients.add_intake"),
    "clients:unassigned": Page(
        _("Clients without team and coach: filter, assign to a team and coach"),
        "clients.assign_client",
    ),
    # Trajectories (from the dossier)
    "trajectories:start": Page(_("Start a trajectory"), "trajectories.add_trajectory"),
    "trajectories:update": Page(_("Change a trajectory"), "trajectories.change_trajectory"),
    "trajectories:end": Page(
        _("End a trajectory with its outcome"), "trajectories.change_trajectory"
    ),
    "trajectories:goal_create": Page(_("Add a goal to the plan"), "trajectories.add_goal"),
    "trajectories:goal_status": Page(_("Set the status of a goal"), "trajectories.change_goal"),
    "trajectories:activity_create": Page(_("Add an activity"), "trajectories.add_activity"),
    "trajectories:activity_update": Page(_("Change an activity"), "trajectories.change_activity"),
    "trajectories:evaluation_create": Page(
        _("Record a skill evaluation"), "trajectories.add_skillevaluation"
    ),
    # Team view (figures for managers; names only of clients the user may open)
    "teams:list": Page(_("Team view: branch teams"), "trajectories.view_team_figures"),
    "teams:detail": Page(
        _("Team view: a branch team's clients, signals and share to work"),
        "trajectories.view_team_figures",
    ),
    # Projects and events: figures for managers; casework also sees and registers own clients.
    "projects:list": Page(_("Projects and pilots"), "projects.view_project_results"),
    "projects:detail": Page(
        _("Project: funnel, groups compared, progress"), "projects.view_project_results"
    ),
    "projects:stage_record": Page(
        _("Move an admitted member (an own client) on to a further stage"),
        "projects.add_stagereached",
    ),
    # Issue 19: a manager creates a project; its leaders (or a manager who keeps projects,
    # projects.change_project) keep it: the views check projects.views.may_lead.
    "projects:create": Page(_("Create a project"), "projects.add_project"),
    "projects:edit": Page(
        _("Change a project: details, stages, groups, criteria"), "projects.view_project_results"
    ),
    "projects:close": Page(_("Close a project"), "projects.view_project_results"),
    "projects:members": Page(_("A project's members"), "projects.view_project_results"),
    "projects:members_add": Page(
        _("Add clients to a project from a filtered list"), "projects.view_project_results"
    ),
    "projects:member_change": Page(
        _("Correct a member's stage or group"), "projects.view_project_results"
    ),
    "projects:member_join": Page(
        _("Screen a client for a project from the dossier"), "projects.add_projectmember"
    ),
    "projects:event_list": Page(_("Events"), "projects.view_project_results"),
    "projects:event_detail": Page(
        _("Event: participants counted per result"), "projects.view_project_results"
    ),
    "projects:event_participant": Page(
        _("Register an event participant"), "projects.add_eventparticipant"
    ),
    "projects:event_create": Page(_("Create an event"), "projects.add_event"),
    "projects:event_update": Page(_("Change an event"), "projects.change_event"),
    "projects:event_participants_bulk": Page(
        _("Register clients of the own caseload for an event"), "projects.add_eventparticipant"
    ),
    "projects:event_participant_result": Page(
        _("Record an event participant's result and attendance"),
        "projects.change_eventparticipant",
    ),
    "projects:event_follow_up": Page(
        _("Record the follow-up three months after an event"), "projects.change_eventparticipant"
    ),
    "projects:event_invite": Page(
        _("Send the invitation to an event participant"), "projects.add_eventparticipant"
    ),
    # KPIs and reports (figures only)
    "reporting:dashboard": Page(_("KPI dashboard"), "reporting.view_kpis"),
    "reporting:report_list": Page(_("Reports: request one, recent ones"), "reporting.view_kpis"),
    "reporting:report_detail": Page(_("Report: progress and downloads"), "reporting.view_kpis"),
    "reporting:report_progress": Page(_("Report: progress (polled)"), "reporting.view_kpis"),
    "reporting:report_retry": Page(_("Report: try a failed one again"), "reporting.view_kpis"),
    "reporting:report_pdf": Page(_("Report: download the PDF"), "reporting.view_kpis"),
    "reporting:report_xlsx": Page(_("Report: download the Excel file"), "reporting.view_kpis"),
    "reporting:cost_parameters": Page(
        _("Cost parameters of the return of route werknemer"), "reporting.view_costparameter"
    ),
    "reporting:cost_parameter_create": Page(
        _("Cost parameters: a new value from a date"), "reporting.add_costparameter"
    ),
    "reporting:cost_parameter_update": Page(
        _("Cost parameters: change a value (saved as a new row)"), "reporting.change_costparameter"
    ),
    # Employers, vacancies and matching (account managers)
    "employers:start": Page(_("Account manager's start page"), "employers.view_employer"),
    "employers:list": Page(_("Employers: list and search"), "employers.view_employer"),
    "employers:create": Page(_("Register an employer"), "employers.add_employer"),
    "employers:detail": Page(
        _("Employer dossier: contacts, vacancies, matches, Social Return"),
        "employers.view_employer",
    ),
    "employers:update": Page(_("Change an employer's data"), "employers.change_employer"),
    "employers:contact_person_create": Page(
        _("Add a contact person of an employer"), "employers.add_contactperson"
    ),
    "employers:contact_create": Page(
        _("Log a contact with an employer"), "employers.add_employercontact"
    ),
    "employers:sroi_create": Page(
        _("Record a Social Return obligation"), "employers.add_sroiobligation"
    ),
    "placements:sroi_overview": Page(
        _("Social Return: progress of all obligations (figures)"),
        "employers.view_sroiobligation",
    ),
    "employers:vacancy_list": Page(_("Vacancies"), "employers.view_vacancy"),
    "employers:vacancy_create": Page(_("Register a vacancy"), "employers.add_vacancy"),
    "employers:vacancy_update": Page(_("Change a vacancy"), "employers.change_vacancy"),
    "employers:vacancy_detail": Page(
        _("Vacancy: candidates ranked and explained, the pipeline"), "employers.view_vacancy"
    ),
    "employers:match_propose": Page(_("Propose a candidate for a vacancy"), "employers.add_match"),
    "employers:match_advance": Page(
        _("Move a match on: introduced, interview, hired or rejected"),
        "employers.change_match",
    ),
    "employers:shortlist_create": Page(
        _("Make an anonymous shortlist for an employer"), "employers.add_shortlist"
    ),
    "shortlists:shortlist": Page(
        _("Anonymous shortlist an employer received (a link that expires)"), PUBLIC
    ),
    "employers:candidate_list": Page(
        _("Candidate profiles: list and completeness"), "employers.view_candidateprofile"
    ),
    "employers:candidate_detail": Page(
        _("Candidate profile with vacancies ranked (logged)"), "employers.view_candidateprofile"
    ),
    "employers:consent_create": Page(
        _("Record a client's consent to share their name with employers"),
        "employers.add_consentrecord",
    ),
    "employers:profile_edit": Page(
        _("Fill in a client's candidate profile"), "employers.change_candidateprofile"
    ),
    # Placements, wage value, provisions, aftercare
    "placements:list": Page(_("Placements"), "placements.view_placement"),
    "placements:detail": Page(
        _("Placement: wage value, provisions, subsidy calculations"), "placements.view_placement"
    ),
    "placements:create": Page(_("Place a client with an employer"), "placements.add_placement"),
    "placements:update": Page(_("Change a placement"), "placements.change_placement"),
    "placements:assessment_create": Page(
        _("Record a wage-value assessment"), "placements.add_wagevalueassessment"
    ),
    "placements:assessment_update": Page(
        _("Change a wage-value assessment"), "placements.change_wagevalueassessment"
    ),
    "placements:provision_create": Page(_("Request a provision"), "placements.add_provision"),
    "placements:provision_update": Page(
        _("Change a provision: decision, period, amount, re-assessment"),
        "placements.change_provision",
    ),
    "placements:calculator": Page(
        _("Wage-cost subsidy calculator"), "placements.add_subsidycalculation"
    ),
    "placements:follow_up_done": Page(
        _("Mark an aftercare follow-up as done"), "placements.change_followup"
    ),
    # Administration
    "core:authorisation": Page(_("Authorisation matrix"), "core.administer"),
    "core:service_area": Page(
        _("Service area: the municipalities the company works for"), "core.administer"
    ),
    "admin:login": Page(_("Log in to the administration"), PUBLIC),
    # Audit
    "clients:bsn_reveal": Page(_("Show a client's full BSN (logged)"), "clients.view_full_bsn"),
    "clients:bsn_change": Page(
        _("Change a client's BSN, with a reason (logged)"), "clients.change_bsn"
    ),
    "audit:access_search": Page(_("Who accessed a dossier: find the client"), "core.administer"),
    "audit:client_access": Page(
        _("Who accessed a dossier: accesses and change history"), "core.administer"
    ),
    "audit:denied": Page(_("Recent denied accesses"), "core.administer"),
    "audit:reports": Page(_("Weekly reports of unusual access"), "core.administer"),
    # Privacy
    "privacy:access_request": Page(
        _("Right of access: find a client by BSN"), "clients.export_personal_data"
    ),
    "privacy:export_pdf": Page(
        _("Download everything held about a client (PDF)"), "clients.export_personal_data"
    ),
    "privacy:export_json": Page(
        _("Download everything held about a client (JSON)"), "clients.export_personal_data"
    ),
    "privacy:export_zip": Page(
        _("Download everything held about a client with the files (zip)"),
        "clients.export_personal_data",
    ),
    "privacy:retention": Page(_("Retention: proposals to anonymise"), "clients.anonymise_client"),
    "privacy:retention_take_out": Page(
        _("Take a client out of a retention proposal"), "clients.anonymise_client"
    ),
    "privacy:retention_approve": Page(
        _("Approve a retention proposal"), "clients.anonymise_client"
    ),
}

# Documents and letters (issue 17): casework for the clients it may open. Account managers and
# managers none: documents hold identity and health details. The functional administrator
# keeps the letter templates, never a dossier's documents.
PAGES.update(
    {
        "documents:upload": Page(_("Add a document to a dossier"), "documents.add_document"),
        "documents:download": Page(
            _("Open a document of a dossier (logged)"), "documents.view_document"
        ),
        "documents:letter_send": Page(
            _("Send a letter to a client: choose, preview, send"), "documents.add_letter"
        ),
        "documents:letter_preview": Page(
            _("A letter as a PDF before it is sent (logged)"), "documents.add_letter"
        ),
        "documents:to_post": Page(_("Letters waiting for the post"), "documents.view_letter"),
        "documents:letter_posted": Page(_("Mark a letter as posted"), "documents.change_letter"),
        "documents:template_list": Page(_("Letter templates"), "documents.change_lettertemplate"),
        "documents:template_edit": Page(
            _("Change a letter template"), "documents.change_lettertemplate"
        ),
        "documents:kind_list": Page(_("Kinds of document"), "documents.change_documentkind"),
        "documents:kind_create": Page(_("Add a kind of document"), "documents.add_documentkind"),
        "documents:kind_edit": Page(
            _("Change a kind of document"), "documents.change_documentkind"
        ),
    }
)

# Import in the interchange format: functional administrators only.
PAGES.update(
    {
        "interchange:index": Page(
            _("Import: upload a zip of interchange files, earlier imports"),
            "interchange.import_data",
        ),
        "interchange:run": Page(
            _("Import: progress, problems found or what will be written"),
            "interchange.import_data",
        ),
        "interchange:report": Page(
            _("Import: download the problems found as CSV"), "interchange.import_data"
        ),
        "interchange:start": Page(
            _("Import: start the import of a folder checked clean"), "interchange.import_data"
        ),
    }
)

# The agenda (issue 17): casework plans appointments with its clients; the team week is for
# whoever sees the team's figures (casework for their teams, managers as team leaders), with
# client names only of clients the user may open.
PAGES.update(
    {
        "agenda:index": Page(_("Agenda: this week"), "agenda.view_appointment"),
        "agenda:week": Page(_("Agenda: a week, with the signals"), "agenda.view_appointment"),
        "agenda:day": Page(_("Agenda: a day (on a phone)"), "agenda.view_appointment"),
        "agenda:team_index": Page(_("Team week: this week"), "trajectories.view_team_figures"),
        "agenda:team_week": Page(
            _("Team week: the appointments of the members of the user's teams"),
            "trajectories.view_team_figures",
        ),
        "agenda:plan": Page(_("Plan an appointment"), "agenda.add_appointment"),
        "agenda:plan_for": Page(
            _("Plan an appointment with a client (from the dossier)"), "agenda.add_appointment"
        ),
        "agenda:detail": Page(_("Appointment (logged)"), "agenda.view_appointment"),
        "agenda:move": Page(_("Move an appointment"), "agenda.change_appointment"),
        "agenda:cancel": Page(_("Cancel an appointment"), "agenda.change_appointment"),
        "agenda:held": Page(
            _("Record an appointment as held (a contact moment)"), "agenda.change_appointment"
        ),
        "agenda:no_show": Page(_("Record that a client did not come"), "agenda.change_appointment"),
        "agenda:invite": Page(
            _("Send the invitation letter for an appointment"), "agenda.change_appointment"
        ),
        "agenda:remind": Page(
            _("Send the reminder letter after a no-show"), "agenda.change_appointment"
        ),
        "agenda:feed_settings": Page(
            _("Agenda in your own calendar app: the secret link"), "agenda.view_appointment"
        ),
        "agenda:feed_renew": Page(
            _("Make a new secret calendar link (the old one stops working)"),
            "agenda.view_appointment",
        ),
        # Calendar apps cannot log in: the secret in the link is the key (compared as a hash in
        # constant time, every request logged, rate-limited), and the feed holds no names.
        "agenda:feed": Page(_("Calendar feed of a coach (a secret link)"), PUBLIC),
    }
)

# Correcting the record (issue 17): casework corrects or removes what it logged, always with a
# reason; the functional administrator sees the removed records. The timeline's next pages.
PAGES.update(
    {
        "clients:timeline": Page(_("Client dossier: more of the timeline"), "clients.view_client"),
        "clients:contact_correct": Page(_("Correct a contact moment"), "clients.change_contact"),
        "clients:contact_remove": Page(_("Remove a contact moment"), "clients.delete_contact"),
        "clients:intake_correct": Page(_("Correct an intake"), "clients.change_intake"),
        "clients:intake_remove": Page(_("Remove an intake"), "clients.delete_intake"),
        "clients:ladder_correct": Page(
            _("Correct a participation ladder measurement"), "clients.change_ladderobservation"
        ),
        "clients:ladder_remove": Page(
            _("Remove a participation ladder measurement"), "clients.delete_ladderobservation"
        ),
        "clients:removed": Page(_("Removed records"), "clients.view_correction"),
        "trajectories:evaluation_correct": Page(
            _("Correct a skill evaluation"), "trajectories.change_skillevaluation"
        ),
        "trajectories:evaluation_remove": Page(
            _("Remove a skill evaluation"), "trajectories.delete_skillevaluation"
        ),
    }
)

# Households (issue 18): casework keeps the household of the clients it may open.
PAGES.update(
    {
        "households:add": Page(_("Add a household member"), "households.add_householdmember"),
        "households:link": Page(
            _("Link a client to the household"), "households.add_householdmember"
        ),
        "households:change": Page(
            _("Change a household member"), "households.change_householdmember"
        ),
        "households:remove": Page(
            _("Take a member out of the household"), "households.delete_householdmember"
        ),
        "households:become_client": Page(
            _("Make a household member a client"), "clients.add_client"
        ),
    }
)

# Referrals to diagnosis (issue 18): casework refers its clients and withdraws a referral; the
# diagnosis team lists the referrals to it and plans and evaluates practical assessments.
PAGES.update(
    {
        "diagnosis:refer": Page(_("Refer a client to diagnosis"), "diagnosis.add_referral"),
        "diagnosis:withdraw": Page(
            _("Withdraw a referral to diagnosis"), "diagnosis.change_referral"
        ),
        "diagnosis:referrals": Page(
            _("Referrals to the diagnosis team, by age"), "diagnosis.answer_referral"
        ),
        "diagnosis:assessment_plan": Page(
            _("Plan a practical assessment"), "diagnosis.add_practicalassessment"
        ),
        "diagnosis:assessment_finish": Page(
            _("Evaluate a practical assessment"), "diagnosis.change_practicalassessment"
        ),
    }
)

# Coach history and handover (issue 18): team leaders see each coach's caseload against their
# maximum and hand a caseload over (client names only, no dossiers); the new coach dismisses
# the handover note on the dossier.
PAGES.update(
    {
        "clients:caseloads": Page(
            _("Caseloads per coach against their maximum"), "clients.hand_over_caseload"
        ),
        "clients:handover": Page(
            _("Hand a coach's caseload over to other coaches"), "clients.hand_over_caseload"
        ),
        "clients:handover_note_dismiss": Page(
            _("Dismiss a handover note on the dossier"), "clients.view_client"
        ),
    }
)

# The signed plan (issue 18): casework makes versions of its clients' plans and records the
# client's signature; the PDF is a document, opened through documents:download.
PAGES.update(
    {
        "plans:create": Page(
            _("Make a new version of a trajectory's plan of approach (PDF)"),
            "plans.add_planversion",
        ),
        "plans:sign": Page(
            _("Record the day the client signed a plan version"), "plans.change_planversion"
        ),
    }
)

# School leavers (issue 18): the diagnosis team keeps the schools, their leavers and the exit
# conversations, and makes a leaver a client; managers see the yearly figures without names.
PAGES.update(
    {
        "schools:leaver_list": Page(_("School leavers: list and search"), "schools.view_leaver"),
        "schools:leaver_create": Page(_("Register a school leaver"), "schools.add_leaver"),
        "schools:leaver_detail": Page(
            _("School leaver: data, exit conversation, advice"), "schools.view_leaver"
        ),
        "schools:leaver_update": Page(_("Change a school leaver's data"), "schools.change_leaver"),
        "schools:conversation": Page(
            _("Record the exit conversation and its advice"), "schools.add_exitconversation"
        ),
        "schools:leaver_client": Page(
            _("Make a school leaver a client with the advice"),
            "schools.register_leaver_client",
        ),
        "schools:school_list": Page(
            _("Schools for special and practical education"), "schools.view_school"
        ),
        "schools:school_create": Page(_("Register a school"), "schools.add_school"),
        "schools:school_update": Page(_("Change a school"), "schools.change_school"),
        "schools:overview": Page(
            _("School leavers: yearly overview per school (names for the diagnosis team)"),
            "schools.view_school_figures",
        ),
    }
)

# Duplicates (issue 18): the functional administrator merges two dossiers of the same person.
PAGES.update(
    {
        "merging:index": Page(
            _("Merge dossiers: choose and compare two, merges done"), "merging.merge_clients"
        ),
        "merging:merge": Page(
            _("Merge two dossiers of the same person, with a reason"), "merging.merge_clients"
        ),
    }
)

# Every URL in a namespace listed here needs the same; an entry in PAGES overrides it.
NAMESPACES: dict[str, Page] = {
    # The Django admin checks model permissions itself on top of this.
    "admin": Page(_("Administration (users, teams, reference data)"), "core.administer"),
}


def page_for(view_name: str) -> Page | None:
    """The rule for a resolved URL name; None if nobody decided (then nobody may use it)."""
    if view_name in PAGES:
        return PAGES[view_name]
    namespace = view_name.split(":", 1)[0] if ":" in view_name else None
    return NAMESPACES.get(namespace)


def user_may(user, page: Page) -> bool:
    if page.requires == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    return page.requires == SIGNED_IN or user.has_perm(page.requires)


def matrix() -> list[tuple[str, Page, list[bool]]]:
    """Rows of the authorisation table: (URL name, page, allowed per role in LABELS order)."""
    rules = list(PAGES.items()) + [(f"{ns}:*", page) for ns, page in NAMESPACES.items()]
    return [(name, page, [page.allows_role(role) for role in LABELS]) for name, page in rules]


def sync_roles(**kwargs):
    """Create the role groups and give each exactly the permissions of PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)
