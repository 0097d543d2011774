"""Who uses the product at once, at a person's pace: coaches, account managers and managers.

Each simulated person logs in through the real login page and then works with pauses of 3 to 10
seconds (`between(3, 10)`), as someone reading a page before the next click. Requests are
named by page, so locust's table gives requests/s, percentiles and errors per page; when the
test stops this file prints a compact table and writes it as JSON (LOADTEST_JSON, see
loadtest/run). The users are the demo's (core.demo.DEMO_USERS, password
`welkom-bij-de-demo`); loadtest/run passes them per role in LOADTEST_ACCOUNTS. None of them
needs a second factor: only functional administrators do, and they are not in the mix.
"""

import datetime
import itertools
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import psutil
from locust import FastHttpUser, between, events, task
from locust.stats import StatsEntry

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # locust puts only loadtest/ there
from loadtest import html  # noqa: E402

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "welkom-bij-de-demo")
DEFAULT_ACCOUNTS = {
    "work_coach": ["coach", "mbakker", "lvisser", "yelamrani", "jsmit", "ameijer", "tdijkstra"],
    "account_manager": ["accountmanager"],
    "manager": ["manager"],
}
LOGIN = "login"
P95_GOAL_MS = 300


def _accounts() -> dict[str, list[str]]:
    path = os.environ.get("LOADTEST_ACCOUNTS")
    if path and Path(path).exists():
        return json.loads(Path(path).read_text())
    return DEFAULT_ACCOUNTS


ACCOUNTS = _accounts()
# Round robin over each role's logins: several simulated people may share one account (each
# with a session of their own), as the demo has only one manager and one account manager.
_next_login = {role: itertools.cycle(names) for role, names in ACCOUNTS.items() if names}
# Each person at an address of their own, as the reverse proxy in front of the app reports it
# (X-Forwarded-For; loadtest/run sets TRUSTED_PROXY_COUNT=1 as docker-compose.yml does): the
# login's per-address limits then see fifty people, not one machine logging in fifty times.
_addresses = (f"10.20.{n // 250}.{n % 250 + 1}" for n in itertools.count())


class Person(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(3, 10)

    def __init__(self, environment):
        self.default_headers = {"X-Forwarded-For": next(_addresses)}
        super().__init__(environment)

    def on_start(self):
        self.username = next(_next_login[self.role])
        self.log_in()

    def log_in(self):
        page = self.client.get("/accounts/login/", name="login page")
        with self.client.post(
            "/accounts/login/",
            data={
                "login": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": html.csrf_token(page.text),
            },
            name=LOGIN,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "/accounts/" in answer.headers.get("Location", ""):
                answer.failure(f"{self.username} not logged in ({answer.status_code})")

    def page(self, path, name, expect=None):
        """GET a page; a 2xx without `expect` in it (a login page, say) counts as an error."""
        with self.client.get(path, name=name, catch_response=True) as answer:
            if answer.status_code >= 400:
                answer.failure(f"HTTP {answer.status_code}")
            elif expect and expect not in (answer.text or ""):
                answer.failure(f"{expect!r} not on the page")
            return answer


class Coach(Person):
    """Start page, caseload, a dossier of their own client, a contact logged in it."""

    role = "work_coach"
    weight = 7

    def on_start(self):
        super().on_start()
        self.clients: list[str] = []
        self.pages = 1
        self.read_caseload(self.page("/clients/", "coach: caseload", expect="<table"))

    def read_caseload(self, answer):
        self.clients = html.client_ids(answer.text) or self.clients
        self.pages = max(self.pages, html.last_page(answer.text))

    @task(3)
    def start_page(self):
        # "/" sends a coach to their own caseload with what needs doing above it.
        self.page("/", "coach: start page", expect="<table")

    @task(3)
    def caseload(self):
        number = random.randint(1, self.pages)
        self.read_caseload(self.page(f"/clients/?page={number}", "coach: caseload", "<table"))

    @task(5)
    def dossier(self):
        if self.clients:
            self.open_dossier()

    def open_dossier(self):
        client = random.choice(self.clients)
        return client, self.page(f"/clients/{client}/", "coach: dossier", 'id="contact-panel"')

    @task(2)
    def log_contact(self):
        """Open a dossier, read for a while, then log a contact through its form (htmx)."""
        if not self.clients:
            return
        client, dossier = self.open_dossier()
        hidden = html.contact_form_fields(dossier.text)
        if hidden is None:
            return  # counted as an error on the dossier already
        time.sleep(random.uniform(3, 10))  # typing the note (gevent: the other users go on)
        when = datetime.date.today() - datetime.timedelta(days=random.randint(1, 5))
        with self.client.post(
            f"/clients/{client}/contacts/new/",
            data={
                **hidden,
                "date": when.isoformat(),
                "channel": random.choice(["phone", "in_person", "video", "email"]),
                "subject": "Voortgangsgesprek",
                "notes": "Gesproken over de voortgang; afspraak voor over twee weken.",
            },
            headers={"HX-Request": "true", "HX-Target": "contact-panel"},
            name="coach: log contact",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200 or html.SAVED not in (answer.text or ""):
                answer.failure(f"contact not logged ({answer.status_code})")


class AccountManager(Person):
    """The vacancies, a vacancy's page with its ranked candidates, and a re-weighted ranking."""

    role = "account_manager"
    weight = 2

    def on_start(self):
        super().on_start()
        self.vacancies: list[str] = []
        self.vacancy_list()

    @task(1)
    def vacancy_list(self):
        answer = self.page("/werkgevers/vacatures/", "account manager: vacancies", "<table")
        self.vacancies = html.vacancy_ids(answer.text) or self.vacancies

    @task(3)
    def vacancy(self):
        if self.vacancies:
            vacancy = random.choice(self.vacancies)
            self.page(f"/werkgevers/vacatures/{vacancy}/", "account manager: vacancy", "<table")

    @task(3)
    def ranking(self):
        """The same vacancy's candidates with other weights and a distance limit."""
        if self.vacancies:
            vacancy = random.choice(self.vacancies)
            weights = f"w_distance={random.choice([15, 30, 45])}&w_skills={random.randint(10, 40)}"
            self.page(
                f"/werkgevers/vacatures/{vacancy}/?{weights}&max_distance_km=35",
                "account manager: ranking (re-weighted)",
                "<table",
            )


class Manager(Person):
    """The KPI dashboard (kept ten minutes in the cache, as in production) and the team view."""

    role = "manager"
    weight = 1

    @task(3)
    def dashboard(self):
        self.page("/kpis/", "manager: dashboard", "<table")

    @task(1)
    def teams(self):
        self.page("/trajecten/teams/", "manager: team view", "<table")


# --- The summary ----------------------------------------------------------------------------

_cpu_at_start: dict = {}


def _cpu_seconds() -> dict[int, tuple[str, float]]:
    seen = {}
    for process in psutil.process_iter(["name", "cpu_times"]):
        times = process.info["cpu_times"]
        if times is not None:
            seen[process.pid] = (process.info["name"] or "", times.user + times.system)
    return seen


def _group(pid: int, name: str, gunicorn: set[int]) -> str:
    if pid in gunicorn:
        return "gunicorn"
    if pid == os.getpid():
        return "locust"
    if name.startswith("postgres"):
        return "postgresql"
    if name.startswith("redis"):
        return "redis"
    return "other"


def _gunicorn_pids() -> set[int]:
    pid = int(os.environ.get("LOADTEST_GUNICORN_PID", "0") or 0)
    try:
        master = psutil.Process(pid)
    except (psutil.Error, ValueError):
        return set()
    return {master.pid, *(child.pid for child in master.children(recursive=True))}


@events.test_start.add_listener
def _measure_from_here(environment, **kwargs):
    _cpu_at_start.update(
        wall=time.monotonic(), machine=psutil.cpu_times(), processes=_cpu_seconds()
    )


@events.spawning_complete.add_listener
def _measure_once_everyone_works(user_count, **kwargs):
    """LOADTEST_FROM=started (loadtest/run passes locust's --reset-stats): the figures, CPU
    included, from the moment the last person has started, not from the first login."""
    if os.environ.get("LOADTEST_FROM") == "started":
        _measure_from_here(None)


def _row(entry: StatsEntry, seconds: float) -> dict:
    return {
        "name": entry.name,
        "method": entry.method,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "requests_per_s": round(entry.num_requests / seconds, 2) if seconds else None,
        "avg_ms": round(entry.avg_response_time, 1),
        "p50_ms": entry.get_response_time_percentile(0.50),
        "p95_ms": entry.get_response_time_percentile(0.95),
        "p99_ms": entry.get_response_time_percentile(0.99),
        "max_ms": round(entry.max_response_time or 0),
    }


def _cpu_report(seconds: float) -> dict:
    if not _cpu_at_start:
        return {}
    machine = psutil.cpu_times()
    start = _cpu_at_start["machine"]
    total = sum(machine) - sum(start)
    busy = total - (machine.idle - start.idle) - (machine.iowait - start.iowait)
    gunicorn = _gunicorn_pids()
    by_group: dict[str, float] = {}
    before = _cpu_at_start["processes"]
    for pid, (name, used) in _cpu_seconds().items():
        earlier = before.get(pid)
        spent = used - (earlier[1] if earlier and earlier[0] == name else 0.0)
        group = _group(pid, name, gunicorn)
        by_group[group] = by_group.get(group, 0.0) + max(spent, 0.0)
    cores = psutil.cpu_count() or 1
    return {
        "machine_busy_percent": round(100 * busy / total, 1) if total else None,
        # CPU seconds per second of the run: 1.0 is one core kept busy.
        "cores_used": {group: round(used / seconds, 2) for group, used in sorted(by_group.items())},
        "cores": cores,
    }


def _machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model or platform.processor(),
        "cores": psutil.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


@events.quitting.add_listener
def _summary(environment, **kwargs):
    stats = environment.stats
    seconds = time.monotonic() - _cpu_at_start.get("wall", time.monotonic())
    entries = sorted(stats.entries.values(), key=lambda entry: entry.name)
    pages = StatsEntry(stats, "all pages (without login)", "")
    for entry in entries:
        if entry.name not in (LOGIN, "login page"):
            pages.extend(entry)
    rows = [_row(entry, seconds) for entry in entries]
    all_pages = _row(pages, seconds)
    total = _row(stats.total, seconds)
    errors = [
        {"name": error.name, "method": error.method, "error": str(error.error), "count": n}
        for error, n in ((e, e.occurrences) for e in stats.errors.values())
    ]
    result = {
        "machine": _machine(),
        "command": os.environ.get("LOADTEST_COMMAND", ""),
        "users": environment.parsed_options.num_users if environment.parsed_options else None,
        "spawn_rate": environment.parsed_options.spawn_rate if environment.parsed_options else None,
        "seconds": round(seconds, 1),
        "clients": int(os.environ.get("LOADTEST_CLIENTS", "0") or 0) or None,
        "gunicorn_workers": int(os.environ.get("LOADTEST_WORKERS", "0") or 0) or None,
        "think_time_s": [3, 10],
        "rows": rows,
        "all_pages": all_pages,
        "total": total,
        "errors": errors,
        "cpu": _cpu_report(seconds),
        "goal": {
            "p95_ms": P95_GOAL_MS,
            "met": all_pages["p95_ms"] < P95_GOAL_MS and total["failures"] == 0,
        },
    }
    _print_table(result)
    target = os.environ.get("LOADTEST_JSON")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def _print_table(result: dict) -> None:
    columns = f"{'reqs':>7}{'err':>5}{'req/s':>7}{'p50':>6}{'p95':>6}{'p99':>6}{'max':>7}"
    header = f"{'page':<40}{columns}"
    lines = ["", header, "-" * len(header)]
    for row in [*result["rows"], result["all_pages"], result["total"]]:
        figures = [row[key] or 0 for key in ("p50_ms", "p95_ms", "p99_ms")]
        lines.append(
            f"{row['name'][:39]:<40}{row['requests']:>7}{row['failures']:>5}"
            f"{row['requests_per_s'] or 0:>7.2f}"
            + "".join(f"{figure:>6.0f}" for figure in figures)
            + f"{row['max_ms']:>7}"
        )
    cpu = result["cpu"]
    lines.append("(milliseconds; percentiles as locust buckets them)")
    if cpu:
        used = ", ".join(f"{group} {value}" for group, value in cpu["cores_used"].items())
        lines.append(
            f"CPU: machine {cpu['machine_busy_percent']}% busy of {cpu['cores']} cores; "
            f"cores used: {used}"
        )
    for error in result["errors"]:
        where = f"{error['method']} {error['name']}"
        lines.append(f"error x{error['count']}: {where}: {error['error']}")
    goal = result["goal"]
    lines.append(
        f"goal (no errors, p95 of the pages under {goal['p95_ms']} ms): "
        + ("met" if goal["met"] else "NOT met")
    )
    print("\n".join(lines), flush=True)
