"""The Celery application. Broker and result store come from the settings (Redis or embedded)."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_without_secret_key(**kwargs):
    from django.core.exceptions import ImproperlyConfigured

    from core.startup import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as error:
        # Celery logs and ignores a receiver's exceptions; SystemExit really stops the process.
        raise SystemExit(str(error)) from None
