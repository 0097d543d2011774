"""Settings, read from the environment in this one place (django-environ).

Every value has a safe development default except SECRET_KEY, which production must set.
A malformed value (for example DATABASE_URL with an unknown scheme) stops startup.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import embedded_broker

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; silent when missing

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-never-in-production"
# Without SECRET_KEY (and not in debug) the key stays empty: Django refuses every use of it,
# and the web server and Celery refuse to start (core.startup), while commands that need no
# key, such as makemigrations, still run.
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "csp",
    "config.apps.ChangeHistoryConfig",  # auditlog, with a Dutch name
    "config.apps.PeriodicTasksConfig",  # django_celery_beat
    "config.apps.TaskResultsConfig",  # django_celery_results
    "allauth",
    "allauth.account",
    "config.apps.TwoFactorConfig",  # allauth.mfa
    "config.apps.LoginAttemptsConfig",  # axes
    "core",
    "clients",
    "audit",
    "privacy",
    "trajectories",
    "diagnosis",
    "employers",
    "placements",
    "projects",
    "agenda",
    "documents",
    "plans",
    "households",
    "schools",
    "reporting",
    "interchange",
    "merging",  # above every app whose records it moves (tests/test_layering.py)
    "bench",  # make bench (bench/run)
]

MIDDLEWARE = [
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRenewalMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which reads the body: a body above the limit is never read.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages for a logged-in user are not kept by the browser (Back after logout shows nothing).
    "core.middleware.NoStoreForUsersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before the authorisation matrix: an administrator without TOTP goes to enrolment first.
    "core.middleware.TwoFactorRequiredMiddleware",
    "core.middleware.AuthorisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # auditlog's own reads a forgeable X-Forwarded-For; ours reads the trusted address.
    "core.net.AuditlogMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL, default an SQLite file under var/ (embedded mode).
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
_SUPPORTED_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}
if DATABASES["default"].get("ENGINE") not in _SUPPORTED_ENGINES:
    raise ImproperlyConfigured(
        "DATABASE_URL must start with sqlite:// or postgres:// (got an unsupported scheme)."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the Celery worker write to one file: wait for locks instead of
    # failing, and take the write lock at BEGIN so two writers never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL compiles a query whose plan costs more than jit_above_cost to machine code first:
# on a region of a million clients 100-200 ms of the ranking's, team view's and dashboard's
# queries went to compiling, more than it saved (their pages 5-15% slower with it; README,
# "A million clients"). DB_JIT=1 leaves PostgreSQL's own setting.
DB_JIT = env.bool("DB_JIT", default=False)


# Prepared statements (psycopg's server-side binding): a statement a connection runs twice is
# planned once for that connection. The dossier's query of the client with every panel's
# annotations takes longer to plan than to run (README, Speed): 53-56 ms a dossier against 73-75
# on the slower benchmark machine. Off by default: Django's own default, and not yet run under
# the whole test suite (tests/interchange and the clients', core's, reporting's, employers' and
# audit's tests passed with it on PostgreSQL). Not with pgbouncer before 1.21.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=False)


def _postgresql_options(database: dict) -> None:
    if database.get("ENGINE") != "django.db.backends.postgresql":
        return
    options = database.setdefault("OPTIONS", {})
    if not DB_JIT and "jit=" not in options.get("options", ""):  # the URL's own choice stands
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    if DB_PREPARED_STATEMENTS:
        options.update(server_side_binding=True, prepare_threshold=2)


_postgresql_options(DATABASES["default"])
# Memory PostgreSQL gives each sort and hash of an import's transaction (work_mem and
# maintenance_work_mem, SET LOCAL for that transaction only; one import runs at a time). Past
# it, joins and sorts spill to temporary files: README, "Speed of the import".
IMPORT_WORK_MEM = env.str("IMPORT_WORK_MEM", default="256MB")
_size = re.fullmatch(r"([1-9][0-9]{0,9})(kB|MB|GB)", IMPORT_WORK_MEM)
# PostgreSQL takes 1MB (maintenance_work_mem's least) to 2147483647kB (work_mem's most).
if not _size or not (
    1024 <= int(_size[1]) * {"kB": 1, "MB": 1024, "GB": 1024**2}[_size[2]] <= 2147483647
):
    raise ImproperlyConfigured(
        "IMPORT_WORK_MEM must be a size from 1MB to 2047GB, such as 256MB or 1GB "
        f"(got {IMPORT_WORK_MEM!r})."
    )
# A PostgreSQL replica of DATABASE_URL: reports and exports read from it (config/routers.py),
# everything else and every write uses default. Tests mirror it onto default's test database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    if {DATABASES["default"]["ENGINE"], DATABASES["replica"].get("ENGINE")} != {
        "django.db.backends.postgresql"
    }:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs a postgres:// DATABASE_URL and a postgres:// replica."
        )
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    _postgresql_options(DATABASES["replica"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.routers.ReportsToReplica"]
# Production migrates as a role that owns the tables and runs the application as another:
# DATABASE_URL is the application's, and `migrate`, run with the owner's URL, grants the role
# named here what the application needs and no more; it may only read and append the audit
# trail (audit/grants.py). Empty: one role does both (development, SQLite).
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
if DATABASE_APP_ROLE and not (
    DATABASE_APP_ROLE.isascii()
    and DATABASE_APP_ROLE.isidentifier()
    and DATABASE_APP_ROLE == DATABASE_APP_ROLE.lower()
    and len(DATABASE_APP_ROLE) <= 63
):
    raise ImproperlyConfigured(
        "DATABASE_APP_ROLE must be a lower-case PostgreSQL role name (letters, digits, _)."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# django-axes first: it refuses a locked-out username+address before any password is checked.
# Then Django's ModelBackend; with Redis, one that keeps a user's permissions in the cache until
# they change (core.permission_cache: two queries less on every page; set below).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PERMISSION_CACHE_SECONDS = env.int("PERMISSION_CACHE_SECONDS", default=300)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
# BIO: at least 12 characters, not like the username or name, not the username plus digits,
# not a common or all-digit password. Django's own messages, which it translates into Dutch.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.UsernameWithDigitsValidator"},
    {
        "NAME": "core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (django-allauth): staff log in with their username; accounts are made by a
# functional administrator, never by signing up.
ACCOUNT_ADAPTER = "core.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False  # logging out is a POST (a link cannot log anyone out)
ACCOUNT_SESSION_REMEMBER = False  # no "remember me": the session ends with the browser
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Throttling: django-axes owns wrong passwords (lockouts are database rows an administrator
# can see and reset, per username+address, shared by all web processes), so the adapter
# skips allauth's per-cache password limit; two limits with different answers would race.
# allauth's other limits stay on, because axes does not see those requests: wrong TOTP and
# recovery codes at the second step (its "login_failed" limit per user), password-reset mails,
# password changes and reauthentication.
MFA_ADAPTER = "core.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Accept the code of the previous and the next 30-second step too: a code typed as the step
# turns over, or a phone clock a few seconds off, should not lock an administrator out.
MFA_TOTP_TOLERANCE = 1
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Werk en Ontwikkeling")

# django-axes: lock a username from one address after AXES_FAILURE_LIMIT wrong passwords.
# Do not set AXES_USERNAME_FORM_FIELD: allauth passes the username as `username`.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

# The client address behind the reverse proxies we run (README "Configuration"). Each proxy
# appends the address it saw to X-Forwarded-For; TRUSTED_PROXY_COUNT says how many there are.
# 0 (no proxy): REMOTE_ADDR only, the header is never read, since any client can send it.
# N: the N-th entry from the right, which the outermost proxy wrote. Axes and the audit logs
# (core.net.client_ip, python-ipware) and allauth's rate limits all derive it from this number.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"

# Mail (password-reset links): the console in development, EMAIL_URL (e.g.
# smtp+tls://user:password@mail.example.org:587) in production.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Language: Dutch first, English through the language switch.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Off: with it on, every integer a template prints is grouped, ids included, so a link like
# ?client=1.234 or an <option value="1.234"> breaks once a table passes a thousand rows.
# Figures meant for reading are grouped explicitly (reporting.report.show, |intcomma).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
# Files browsers ask for at the site's root (/favicon.ico on every page without an icon link,
# such as the admin's; /robots.txt), served by WhiteNoise before any login check.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
DOCUMENTS_ROOT = Path(env.str("DOCUMENTS_ROOT", default=str(VAR_DIR / "documents")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Documents in client dossiers (issue 17): outside the static and media paths, never served
    # by a URL of their own (documents.views.document_download reads them). README: Documents
    # on S3-compatible storage.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENTS_ROOT},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Cache: Redis when REDIS_URL is set, else process-local memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": env.cache_url_config(REDIS_URL)}
    # Only a cache all processes share can keep permissions: a process-local one would not
    # hear of a change made in another worker.
    AUTHENTICATION_BACKENDS[-1] = "core.permission_cache.CachedPermissionsBackend"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis as broker and result store when REDIS_URL is set; otherwise an embedded
# filesystem broker under var/ and results in the database, so `make run` runs the same code.
CELERY_QUEUE_DIR = Path(env.str("CELERY_QUEUE_DIR", default=str(VAR_DIR / "celery-queue")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    # kombu's filesystem transport, but a message enters the queue only when it is whole.
    CELERY_BROKER_TRANSPORT = embedded_broker.TRANSPORT
    CELERY_RESULT_BACKEND = "django-db"
    CELERY_BROKER_TRANSPORT_OPTIONS = embedded_broker.transport_options(CELERY_QUEUE_DIR)
    # The embedded broker fails on a folder that does not exist (a 500 on the first upload of a
    # server started without `make run`): make it here, where its place is decided.
    Path(CELERY_BROKER_TRANSPORT_OPTIONS["processed_folder"]).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXTENDED = True
CELERY_TIMEZONE = TIME_ZONE
# Long jobs hold one message each: a worker process reserves no second message it could lose
# with itself (the embedded broker keeps unacknowledged messages only in the worker's memory).
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A killed pool child's message goes back to the queue after this wait for a result it might
# have sent (Celery's default 10 s); the jobs are idempotent, so 2 s is enough.
CELERY_WORKER_LOST_WAIT = 2.0
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
    "forget-old-submission-tokens": {
        "task": "core.tasks.forget_old_submission_tokens",
        "schedule": 24 * 60 * 60,
    },
    # What senders killed while writing a message left in the embedded broker's folders, and
    # the messages its workers took.
    "remove-old-broker-files": {
        "task": "core.tasks.remove_old_broker_files",
        "schedule": 24 * 60 * 60,
    },
    # Monday morning: the report of unusual access over last week (privacy.unusual).
    "unusual-access-report": {
        "task": "privacy.tasks.unusual_access_report",
        "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
    },
    # Imports a dead worker left behind go back to the queue, and the folders they unpacked
    # (BSNs, names) are deleted (interchange.services). Every minute: JOB_STALE_SECONDS below.
    "requeue-stalled-imports": {
        "task": "interchange.tasks.requeue_stalled_imports",
        "schedule": 60,
    },
    # Zips (personal data) of folders checked but not imported in time are deleted.
    "expire-checked-imports": {
        "task": "interchange.tasks.expire_checked_imports",
        "schedule": 60 * 60,
    },
    # Reports a dead worker left behind go back to the queue (reporting.services), every minute.
    "requeue-stalled-reports": {
        "task": "reporting.tasks.requeue_stalled_reports",
        "schedule": 60,
    },
    # The quarter's report after each quarter, and the year's on 1 January. Daily, so a day
    # the scheduler was down is caught up; a report already made is not made again.
    "schedule-reports": {
        "task": "reporting.tasks.schedule_reports",
        "schedule": crontab(minute=30, hour=4),
    },
    # A proposal of clients past their retention period, for a functional administrator.
    "propose-retention": {
        "task": "privacy.tasks.retention_propose",
        "schedule": crontab(minute=0, hour=3, day_of_month=1),
    },
    # Every morning: aftercare follow-ups for the coaches (placements.aftercare); a second run
    # on the same day creates nothing (unique constraints on FollowUp).
    "aftercare-follow-ups": {
        "task": "placements.tasks.aftercare_follow_ups",
        "schedule": crontab(minute=30, hour=5),
    },
    # Placements entered ahead of their start move their clients to their projects' "placed"
    # stage on the morning they start (projects.tasks; a week back, so a day down is caught up).
    "project-placements-started": {
        "task": "projects.tasks.placements_started",
        "schedule": crontab(minute=45, hour=5),
    },
    # School leavers who never became a client, once their years are up (schools.services).
    # Monthly, so a month the scheduler was down is caught up; the rule is per calendar year.
    "school-leavers-cleanup": {
        "task": "schools.tasks.school_leavers_cleanup",
        "schedule": crontab(minute=15, hour=3, day_of_month=2),
    },
}
# Report and import jobs (core.jobs): a job shows it lives every JOB_HEARTBEAT_SECONDS (a
# thread, however long a step takes); silent for JOB_STALE_SECONDS its worker counts as dead.
# A message Celery redelivers after a killed pool child then takes the run over at once (or
# after this window when the dead process was on another host); the sweeps above queue the
# run again when the whole worker died with its message. A run queued JOB_UNCLAIMED_MINUTES
# without a claim: its message counts as lost and is sent again (a duplicate does nothing).
# A run whose worker died JOB_MAX_ATTEMPTS times (a job that kills its worker) fails instead.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=5)
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=4 * JOB_HEARTBEAT_SECONDS)
JOB_UNCLAIMED_MINUTES = env.int("JOB_UNCLAIMED_MINUTES", default=10)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=5)

# Forms and tables
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Production (DEBUG off) gets secure cookies and HSTS; `check --deploy` stays clean.
# Idle timeout: a session ends SESSION_IDLE_MINUTES after the last request, and the cookie ends
# with the browser. A request renews it when it was last renewed SESSION_RENEW_SECONDS ago or
# more (core.middleware.SessionRenewalMiddleware), not on every request: a page then writes no
# session row, and with Redis the session is read from the cache (cached_db: still kept in the
# database, so a restart of Redis logs nobody out).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=min(60, SESSION_IDLE_MINUTES * 6))
# A renewal at most every tenth of the idle time: a longer pause between renewals would log out
# someone who has been busy for the whole idle time (their last renewal counts, not their last
# request).
if not 0 <= SESSION_RENEW_SECONDS <= SESSION_IDLE_MINUTES * 60 // 10:
    raise ImproperlyConfigured(
        f"SESSION_RENEW_SECONDS must be from 0 to a tenth of SESSION_IDLE_MINUTES in seconds "
        f"({SESSION_IDLE_MINUTES * 60 // 10}), not {SESSION_RENEW_SECONDS}."
    )
SESSION_SAVE_EVERY_REQUEST = False
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline scripts or styles, no third parties: every asset is served from 'self'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Audit trail: the BSN never appears in change records unmasked.
AUDITLOG_INCLUDE_ALL_MODELS = False

# Product settings
CASELOAD_PAGE_SIZE = env.int("CASELOAD_PAGE_SIZE", default=25)
# A coach's maximum caseload, unless set per coach: this many clients for a full-time week of
# casework, in proportion to the coach's hours (clients.handover); a full-time week has this
# many hours.
CASELOAD_PER_FULL_TIME = env.int("CASELOAD_PER_FULL_TIME", default=60)
CASELOAD_FULL_TIME_HOURS = env.int("CASELOAD_FULL_TIME_HOURS", default=36)
# An intake is changed freely this many days after it was held or recorded, later only with a
# reason (clients.services.intake_correct); the dossier's timeline shows this many entries a page.
INTAKE_EDIT_DAYS = env.int("INTAKE_EDIT_DAYS", default=14)
TIMELINE_PAGE_SIZE = env.int("TIMELINE_PAGE_SIZE", default=25)
# Weekly report of unusual access: a user is flagged when their dossier reads in a week exceed
# FACTOR times their weekly average over the 8 weeks before AND number at least MINIMUM.
AUDIT_UNUSUAL_READS_FACTOR = env.float("AUDIT_UNUSUAL_READS_FACTOR", default=3.0)
AUDIT_UNUSUAL_READS_MINIMUM = env.int("AUDIT_UNUSUAL_READS_MINIMUM", default=20)
AUDIT_PAGE_SIZE = env.int("AUDIT_PAGE_SIZE", default=50)

# Signals on the coach's start page and the team view (trajectories.alerts): a client is flagged
# once this many days have passed since their last conversation; a route werknemer trajectory
# once its two-year deadline is this many weeks away (or passed).
SIGNAL_NO_CONVERSATION_DAYS = env.int("SIGNAL_NO_CONVERSATION_DAYS", default=30)
SIGNAL_DEADLINE_WEEKS = env.int("SIGNAL_DEADLINE_WEEKS", default=12)

# KPIs (spec/kpis.md): the target for the share of route werknemer trajectories that reached
# work within two years, shown next to the figure in `manage.py kpis` and the reports.
KPI_TWO_YEAR_OUTFLOW_TARGET = env.float("KPI_TWO_YEAR_OUTFLOW_TARGET", default=0.80)
# The dashboard keeps a year's figures and charts this long (they take about a second to compute
# at 100,000 clients); a manager can ask for them afresh. 0: compute on every visit.
KPI_DASHBOARD_CACHE_SECONDS = env.int("KPI_DASHBOARD_CACHE_SECONDS", default=600)
# Aftercare on the coach's start page (placements.aftercare): temporary contracts ending within
# this many weeks; retention checks and provision re-assessments coming up within it.
AFTERCARE_CONTRACT_END_WEEKS = env.int("AFTERCARE_CONTRACT_END_WEEKS", default=8)

# Years after deregistration before a client is proposed for anonymisation, unless the records
# manager set a retention period for client dossiers (privacy.RetentionPeriod; DOMAIN.md).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=7)

# The largest zip a functional administrator may upload for an import (interchange).
IMPORT_MAX_MEGABYTES = env.int("IMPORT_MAX_MEGABYTES", default=500)
# Every other request body, files included, stays under Django's 2.5 MB
# (core.middleware.RequestBodyLimitMiddleware answers 413); the import view allows the above.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A folder checked but not imported within this many hours: its zip (personal data) is deleted.
IMPORT_CHECKED_KEEP_HOURS = env.int("IMPORT_CHECKED_KEEP_HOURS", default=24)

# Documents in the dossier (issue 17): the largest upload, and how many weeks before its expiry
# date a document becomes a signal on the coach's start page and in the dossier.
DOCUMENT_MAX_MEGABYTES = env.int("DOCUMENT_MAX_MEGABYTES", default=20)
DOCUMENT_EXPIRY_WARNING_WEEKS = env.int("DOCUMENT_EXPIRY_WARNING_WEEKS", default=6)
# An open referral to diagnosis waiting longer than this many days is marked on the diagnosis
# team's start page and list; the team keeps opening a referred client this many days after the
# referral is answered (to follow the advice and plan a practical assessment).
DIAGNOSIS_REFERRAL_SIGNAL_DAYS = env.int("DIAGNOSIS_REFERRAL_SIGNAL_DAYS", default=10)
DIAGNOSIS_FOLLOW_UP_DAYS = env.int("DIAGNOSIS_FOLLOW_UP_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every layout step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Matching (employers.matching): the default weight of each criterion (an account manager
# re-weighs per ranking) and the distance bands: (up to km, share of the distance points).
MATCHING_WEIGHTS = {
    "sector": 25,
    "hours": 20,
    "skills": 25,
    "distance": 15,
    "availability": 10,
    "register": 5,
}
MATCHING_DISTANCE_BANDS = [(10, 1.0), (20, 0.75), (35, 0.5), (50, 0.25)]
# How long the link to an anonymous shortlist for an employer works.
SHORTLIST_VALID_DAYS = env.int("SHORTLIST_VALID_DAYS", default=14)
