import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def _run(code, **env):
    # What CI or a developer set for the test run is not what these settings are about.
    unset = {"SECRET_KEY", "DJANGO_DEBUG", "DB_JIT", "DATABASE_REPLICA_URL", "IMPORT_WORK_MEM"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def _import_settings(**env):
    return _run("import config.settings", **env)


def test_production_web_server_refuses_to_start_without_a_secret_key():
    result = _run("import config.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_worker_refuses_to_start_without_a_secret_key():
    result = _run(
        "from config.celery import app; from celery.signals import worker_init; "
        "worker_init.send(sender=None)"
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_commands_that_need_no_key_run_without_one():
    result = _run(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'makemigrations', '--check', '--dry-run'])"
    )
    assert result.returncode == 0, result.stderr


def test_development_has_a_default_secret_key():
    assert _import_settings(DJANGO_DEBUG="1").returncode == 0


def test_a_malformed_database_url_stops_startup():
    result = _import_settings(DJANGO_DEBUG="1", DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0


def test_a_session_renewal_longer_than_a_tenth_of_the_idle_time_stops_startup():
    """Renewed only every half hour, a session of 30 idle minutes would end while its user
    was busy: such a setting is refused, a tenth of the idle time is accepted."""
    refused = _import_settings(DJANGO_DEBUG="1", SESSION_RENEW_SECONDS="1800")
    assert refused.returncode != 0
    assert "SESSION_RENEW_SECONDS must be from 0 to a tenth" in refused.stderr
    longer_idle = _import_settings(
        DJANGO_DEBUG="1", SESSION_IDLE_MINUTES="60", SESSION_RENEW_SECONDS="360"
    )
    assert longer_idle.returncode == 0, longer_idle.stderr
    assert _import_settings(DJANGO_DEBUG="1", SESSION_RENEW_SECONDS="180").returncode == 0
    assert _import_settings(DJANGO_DEBUG="1", SESSION_RENEW_SECONDS="-1").returncode != 0
    # A short idle time renews more often by itself: 5 minutes, every 30 s.
    short = _import_settings(DJANGO_DEBUG="1", SESSION_IDLE_MINUTES="5")
    assert short.returncode == 0, short.stderr


def test_postgresql_connections_turn_jit_off_unless_asked():
    """Compiling a costly query to machine code cost the ranking and dashboard more than it
    saved (README, DB_JIT): connections ask PostgreSQL to skip it, with any options kept."""
    show = (
        "import config.settings as s; "
        "print(*(repr(d.get('OPTIONS', {}).get('options')) for d in s.DATABASES.values()))"
    )
    url = "postgres://u@127.0.0.1:5432/x?options=-c%20statement_timeout%3D5000"
    off = _run(show, DJANGO_DEBUG="1", DATABASE_URL=url)
    assert off.stdout.strip() == "'-c statement_timeout=5000 -c jit=off'", off.stderr
    on = _run(show, DJANGO_DEBUG="1", DATABASE_URL=url, DB_JIT="1")
    assert on.stdout.strip() == "'-c statement_timeout=5000'", on.stderr
    own = _run(show, DJANGO_DEBUG="1", DATABASE_URL="postgres://u@h/x?options=-c%20jit%3Don")
    assert own.stdout.strip() == "'-c jit=on'", own.stderr  # the URL's own choice stands
    replica = _run(
        show,
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://u@h/x",
        DATABASE_REPLICA_URL="postgres://u@r/x",
    )
    assert replica.stdout.strip() == "'-c jit=off' '-c jit=off'", replica.stderr
    sqlite = _run(show, DJANGO_DEBUG="1", DATABASE_URL="sqlite:///var/x.sqlite3")
    assert sqlite.stdout.strip() == "None", sqlite.stderr


def test_prepared_statements_are_asked_for_on_every_postgresql_alias_only_when_set():
    """DB_PREPARED_STATEMENTS: psycopg binds on the server and prepares a statement a
    connection runs twice (Django's default leaves both off)."""
    show = (
        "import config.settings as s; print(*(sorted((k, v) for k, v in d.get('OPTIONS', {})"
        ".items() if k in ('server_side_binding', 'prepare_threshold')) "
        "for d in s.DATABASES.values()))"
    )
    urls = {"DATABASE_URL": "postgres://u@h/x", "DATABASE_REPLICA_URL": "postgres://u@r/x"}
    on = _run(show, DJANGO_DEBUG="1", DB_PREPARED_STATEMENTS="1", **urls)
    prepared = "[('prepare_threshold', 2), ('server_side_binding', True)]"
    assert on.stdout.strip() == f"{prepared} {prepared}", on.stderr
    off = _run(show, DJANGO_DEBUG="1", **urls)
    assert off.stdout.strip() == "[] []", off.stderr
    sqlite = _run(show, DJANGO_DEBUG="1", DB_PREPARED_STATEMENTS="1", DATABASE_URL="sqlite://")
    assert sqlite.stdout.strip() == "[]", sqlite.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_the_application_connects_with_jit_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_import_memory_must_be_a_size_postgresql_reads():
    """IMPORT_WORK_MEM goes into SET LOCAL as it is: anything but a plain size stops startup,
    with a message that names the setting."""
    wrong_sizes = ("1 GB", "256", "0MB", "1GB'; DROP TABLE x; --", "lots", "512kB", "2048GB")
    for wrong in wrong_sizes:
        refused = _import_settings(DJANGO_DEBUG="1", IMPORT_WORK_MEM=wrong)
        assert refused.returncode != 0, wrong
        assert "IMPORT_WORK_MEM must be a size" in refused.stderr, wrong
    for right in ("1MB", "64MB", "1GB", "524288kB", "2047GB"):
        accepted = _import_settings(DJANGO_DEBUG="1", IMPORT_WORK_MEM=right)
        assert accepted.returncode == 0, accepted.stderr


@pytest.mark.django_db(transaction=True)  # SET LOCAL ends with the real transaction
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's work_mem")
def test_an_import_transaction_takes_the_memory_the_setting_gives(settings):
    from django.db import transaction

    from interchange import writer

    settings.IMPORT_WORK_MEM = "96MB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
        with transaction.atomic():
            writer.session_tune()
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] == "96MB"
            cursor.execute("SHOW maintenance_work_mem")
            assert cursor.fetchone()[0] == "96MB"
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before  # SET LOCAL: the transaction's only
