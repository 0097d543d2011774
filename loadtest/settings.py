"""The production settings (DEBUG off, PostgreSQL, Redis, whitenoise's manifest) for the load
test, with one difference: gunicorn is reached over plain HTTP on the loopback, with no TLS
proxy in front, so the session and CSRF cookies may travel without TLS (a client keeps a
`Secure` cookie only for https) and nothing redirects to https."""

from config.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
