"""The reference lists of trajectories, as a new company starts with them (create-only)."""

from trajectories.models import ActivityKind, BranchTeam, Route

# Names are stored in Dutch: they are data the functional administrator edits, not interface text.
ROUTES = [
    ("employee", "Route werknemer"),
    ("participation", "Route participatie"),
    ("sheltered_work", "Beschut werk"),
    ("daytime_activities", "Arbeidsmatige dagbesteding"),
]
BRANCH_TEAMS = [
    ("hodezo", "Hodezo", "Horeca, detailhandel, zorg"),
    ("bilt", "BILT", "Bouw, industrie, logistiek, techniek"),
    ("business_services", "Zakelijke dienstverlening", "Kantoor, ICT, schoonmaak, facilitair"),
]
ACTIVITY_KINDS = [
    ("practical_assessment", "Praktijkonderzoek", True),
    ("work_experience", "Werkontwikkelplek (WOP)", True),
    ("work_learning", "Leerwerktraject", False),
    ("training", "Training of workshop", False),
    ("language_course", "Taalcursus", False),
    ("job_coaching", "Jobcoaching", False),
    ("debt_counselling", "Verwijzing schuldhulpverlening", False),
]


def load() -> dict[str, int]:
    """Create the routes, branch teams and activity kinds that do not exist yet."""
    created = {"routes": 0, "branch_teams": 0, "activity_kinds": 0}
    for code, name in ROUTES:
        created["routes"] += Route.objects.get_or_create(code=code, defaults={"name": name})[1]
    for code, name, sectors in BRANCH_TEAMS:
        created["branch_teams"] += BranchTeam.objects.get_or_create(
            code=code, defaults={"name": name, "sectors": sectors}
        )[1]
    for code, name, evaluated in ACTIVITY_KINDS:
        created["activity_kinds"] += ActivityKind.objects.get_or_create(
            code=code, defaults={"name": name, "evaluated": evaluated}
        )[1]
    return created
