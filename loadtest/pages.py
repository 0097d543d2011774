"""Each page of the load test once more, alone and in this process: server time and queries.

loadtest/run runs it after locust (`python -m loadtest.pages`, with the load test's settings
and database): where a page's time goes when nothing else runs, beside what the simulated
people saw. It adds `single_requests` to var/loadtest/latest.json and prints them.
"""

import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPEAT = 5


def measure(client, method, path, data=None):
    """The median time and CPU time of REPEAT requests (after one that is not counted) and the
    queries of the last; a POST gets fresh hidden fields from `data()` each time, before the
    clock runs. The CPU time is this process's: the page's Python, which is what limits how
    many requests a second the machine's cores can serve."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def send(fields):
        if method == "GET":
            return client.get(path)
        return client.post(path, fields, headers={"hx-request": "true"})

    send(data() if data else None)
    times, cpu = [], []
    for _ in range(REPEAT):
        fields = data() if data else None
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            answer = send(fields)
            cpu.append((time.process_time() - start_cpu) * 1000)
            times.append((time.perf_counter() - start) * 1000)
    sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return (
        answer,
        round(statistics.median(times), 1),
        round(statistics.median(cpu), 1),
        len(queries),
        round(sql_ms, 1),
    )


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from core.models import User
    from loadtest import html

    rows = []

    def logged_in(username):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_FOR="10.30.0.1")
        # The backend the settings name last (with Redis: core.permission_cache's), as a real
        # login through the form would: a session naming another backend is not logged in.
        client.force_login(
            User.objects.get(username=username), backend=settings.AUTHENTICATION_BACKENDS[-1]
        )
        return client

    def row(name, client, method, path, data=None):
        answer, median_ms, cpu_ms, queries, sql_ms = measure(client, method, path, data)
        rows.append(
            {
                "name": name,
                "path": path,
                "status": answer.status_code,
                "median_ms": median_ms,
                "cpu_ms": cpu_ms,
                "queries": queries,
                "sql_ms": sql_ms,
            }
        )
        return answer

    anonymous = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_FOR="10.30.0.1")
    row("login page", anonymous, "GET", "/accounts/login/")

    coach = logged_in("coach")
    start = row("coach: start page (/clients/)", coach, "GET", "/clients/")
    clients = html.client_ids(start.content.decode())
    row("coach: caseload (page 2)", coach, "GET", "/clients/?page=2")
    if clients:
        dossier_path = f"/clients/{clients[0]}/"
        row("coach: dossier", coach, "GET", dossier_path)

        def contact():
            hidden = html.contact_form_fields(coach.get(dossier_path).content.decode()) or {}
            return {
                **hidden,
                "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
                "channel": "phone",
                "subject": "Voortgangsgesprek",
            }

        log_path = f"/clients/{clients[0]}/contacts/new/"
        answer = row("coach: log contact (POST)", coach, "POST", log_path, contact)
        if html.SAVED not in answer.content.decode():
            rows[-1]["status"] = "not saved"

    manager_of_accounts = logged_in("accountmanager")
    vacancies = row(
        "account manager: vacancies", manager_of_accounts, "GET", "/werkgevers/vacatures/"
    )
    vacancy = next(iter(html.vacancy_ids(vacancies.content.decode())), None)
    if vacancy:
        path = f"/werkgevers/vacatures/{vacancy}/"
        row("account manager: vacancy", manager_of_accounts, "GET", path)
        reweighted = f"{path}?w_distance=30&w_skills=20&max_distance_km=35"
        row("account manager: ranking (re-weighted)", manager_of_accounts, "GET", reweighted)

    manager = logged_in("manager")
    row("manager: dashboard (cached figures)", manager, "GET", "/kpis/")
    row("manager: team view", manager, "GET", "/trajecten/teams/")

    # A redirect (to the login page, say) would be timed as a page: it is not one.
    wrong = [r for r in rows if r["status"] != 200]
    width = max(len(r["name"]) for r in rows) + 2
    print(
        f"\n{'alone, in one process':<{width}}{'median ms':>10}{'CPU ms':>8}{'queries':>9}"
        f"{'SQL ms':>8}"
    )
    for r in rows:
        print(
            f"{r['name']:<{width}}{r['median_ms']:>10.1f}{r['cpu_ms']:>8.1f}{r['queries']:>9}"
            f"{r['sql_ms']:>8.1f}"
        )
    target = os.environ.get("LOADTEST_JSON")
    if target and Path(target).exists():
        result = json.loads(Path(target).read_text())
        result["single_requests"] = rows
        Path(target).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    for r in wrong:
        print(f"{r['name']}: answered {r['status']}, not 200: not measured", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
