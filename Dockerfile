# Production image: the web app under gunicorn; the same image runs the Celery worker and beat
# (see docker-compose.yml). Static files are collected at build time and served by whitenoise.
FROM python:3.11-slim-bookworm

# gunicorn reads its worker count from WEB_CONCURRENCY (default here 3); override it per deployment.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=config.settings \
    WEB_CONCURRENCY=3

# WeasyPrint renders through the system Pango and HarfBuzz (PDF reports); gettext provides
# msgfmt for compilemessages below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-dejavu-core \
        fonts-noto-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

# The processes run as an unprivileged user; the code stays owned by root and read-only to it.
RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. constraints.txt pins the whole
# tree CI tested (it also lists the dev packages; pip only applies constraints to packages it
# actually installs).
COPY requirements/ requirements/
RUN pip install -r requirements/base.txt -c requirements/constraints.txt

COPY . .

# Build the translations and collect the static files into STATIC_ROOT (var/staticfiles), where
# whitenoise serves them with hashed names. Settings refuse to load without SECRET_KEY, so these
# two commands get a throwaway value; it is not part of the image's environment. var/ stays
# writable for the app user (settings create it on start; var/media is the uploads volume of
# docker-compose.yml; nothing else in it is written when
# REDIS_URL and DATABASE_URL are set).
RUN SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv --ignore=var -v0 \
    && SECRET_KEY=build-only python manage.py collectstatic --no-input -v0 \
    && mkdir -p var/media && chown -R app:app var/media && chown app:app var

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
