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
    "audit",
    "clients",
    "core",
    "employers",
    "interchange",
    "placements",
    "privacy",
    "projects",
    "reporting",
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
    "employers",
    "placements",
    "projects",
    "privacy",
    "reporting",
    "interchange",
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
