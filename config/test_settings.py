"""Settings for the test suite: the production settings (DEBUG off) with test-only overrides.

pytest-django imports settings before any conftest runs, so the overrides live here.
DATABASE_URL and REDIS_URL still come from the environment: CI points them at PostgreSQL
and Redis, a developer's `make test` uses SQLite.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# One queue folder per test run: two runs on one machine must not take each other's messages.
# Set in the environment, so the real workers a test starts (its children) inherit it.
os.environ.setdefault(
    "CELERY_QUEUE_DIR", os.path.join(tempfile.gettempdir(), f"wo-test-celery-queue-{os.getpid()}")
)

# Documents a test uploads or a letter it sends go to a folder of this run, not var/documents.
os.environ.setdefault("DOCUMENTS_ROOT", tempfile.mkdtemp(prefix="wo-test-documents-"))

from config.settings import *  # noqa: E402,F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory: a real Celery worker in a subprocess must reach the test database.
    # One file per run: a deleted database's leftover WAL file would corrupt the next one.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"wo-test-{os.getpid()}.sqlite3")
    }

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
# The test client and the live server speak plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collected files in tests; serve from the finders
WHITENOISE_USE_FINDERS = True

# A second database alias, as production has with DATABASE_REPLICA_URL: a mirror of the test
# database. tests/test_replica.py switches the router on (DATABASE_ROUTERS) for its own tests,
# so it is exercised on SQLite and PostgreSQL; elsewhere reads stay on default, and a test need
# not list the alias among its databases.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# The view tests' query budgets count the worst case of a request: the session read from the
# database and saved on every request, and the user's permissions read every time (what the
# production settings save is asserted on its own in tests/core/test_request_overhead.py,
# which switches these back to production's).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_SAVE_EVERY_REQUEST = True
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
