"""The reference lists of trajectories, as a new company starts with them (create-only)."""

from django.apps import apps as global_apps

from core.reference import REFERENCE_DATA

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


@REFERENCE_DATA.register(10)
def load(apps=global_apps) -> dict[str, int]:
    """Create the routes, branch teams and activity kinds that do not exist yet.

    `apps` is a migration's app registry when a data migration calls it (after migrate every
    code of interchange.md exists), the project's otherwise.
    """
    Route = apps.get_model("trajectories", "Route")
    BranchTeam = apps.get_model("trajectories", "BranchTeam")
    ActivityKind = apps.get_model("trajectories", "ActivityKind")
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


def unload(apps=global_apps) -> None:
    """Remove the rows of these lists that nothing refers to (a migration's reverse)."""
    from django.db.models import ProtectedError

    for model, rows in (("Route", ROUTES), ("BranchTeam", BRANCH_TEAMS),
                        ("ActivityKind", ACTIVITY_KINDS)):  # fmt: skip
        for code, *_rest in rows:
            try:
                apps.get_model("trajectories", model).objects.filter(code=code).delete()
            except ProtectedError:
                continue
