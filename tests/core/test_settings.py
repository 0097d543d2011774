import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_DEBUG"}}
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
