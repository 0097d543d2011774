"""The apps' imports, read from the source: they depend one way (README, Architecture).

`core` holds users, teams, municipalities, roles, the runner and the registries the domain apps
plug into (dossier panels, start-page parts, GDPR export sections, demo steps, reference data);
it imports no app. Above it every app imports only apps below it, so there is no cycle: a
change in one app never ripples back into the apps it builds on.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = {
    "agenda",
    "audit",
    "clients",
    "core",
    "diagnosis",
    "documents",
    "employers",
    "households",
    "interchange",
    "merging",
    "placements",
    "plans",
    "privacy",
    "projects",
    "reporting",
    "schools",
    "trajectories",
}


def app_imports() -> dict[str, dict[str, list[str]]]:
    """{app: {imported app: [file:line, ...]}}, migrations left out (they name history)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    target = name.split(".")[0]
                    if target in APPS and target != app:
                        graph[app][target].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return graph


# Lowest first: an app may import the apps listed before it, never one after it.
LAYERS = [
    "core",
    "audit",
    "clients",
    "trajectories",
    "diagnosis",
    "employers",
    "placements",
    "documents",
    "plans",
    "agenda",
    "projects",
    "households",
    "schools",
    "privacy",
    "reporting",
    "interchange",
    "merging",
]


def test_every_app_imports_only_the_apps_below_it():
    assert set(LAYERS) == APPS
    upward = {
        f"{app} -> {target}": places
        for app, targets in app_imports().items()
        for target, places in targets.items()
        if LAYERS.index(target) > LAYERS.index(app)
    }
    assert upward == {}


def test_core_imports_no_domain_app():
    assert dict(app_imports()["core"]) == {}


def test_the_reader_finds_the_imports_there_are():
    # Without this, a reader that found nothing would pass the test above whatever core did.
    assert "clients/demo.py" in " ".join(app_imports()["clients"]["core"])


def tasks_imports(source: str, app: str) -> list[int]:
    """The lines of `source` (a module of `app`) that import the app's own tasks module, in any
    spelling: `from app import tasks`, `import app.tasks`, `from app.tasks import x`,
    `from . import tasks`, `from .tasks import x`; also inside a function (a late import)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative to the app's package
                module = f"{app}.{module}" if module else app
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        else:
            continue
        if any(name == f"{app}.tasks" or name.startswith(f"{app}.tasks.") for name in names):
            lines.append(node.lineno)
    return sorted(lines)


def test_no_service_imports_its_own_tasks():
    """A task imports its service; the service queues the task by its name (core.jobs), so
    there is no cycle between a service and its tasks."""
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for app in APPS
        for path in [ROOT / app / "services.py", *(ROOT / app / "services").glob("*.py")]
        if path.is_file()
        for line in tasks_imports(path.read_text(encoding="utf-8"), app)
    ]
    assert found == []


def test_the_tasks_reader_finds_each_spelling():
    # Without this, a reader that found nothing would pass the test above whatever services did.
    source = "\n".join(
        [
            "from privacy import tasks",
            "import privacy.tasks",
            "from privacy.tasks import retention_anonymise",
            "from . import tasks",
            "from .tasks import retention_anonymise",
            "def approve():",
            "    from privacy import tasks",
            "from privacy import services, unusual",  # not the tasks
            "from reporting import tasks",  # another app's: the layering test's business
        ]
    )
    assert tasks_imports(source, "privacy") == [1, 2, 3, 4, 5, 7]
