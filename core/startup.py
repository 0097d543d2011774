from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key(**_signal_kwargs) -> None:
    """Refuse to serve or run jobs without a SECRET_KEY (a development default needs DEBUG)."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:
        key = ""
    if not key:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (a development default exists "
            "only with DJANGO_DEBUG=1)."
        )
