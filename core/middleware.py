from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Dutch unless the user chose another language with the switch (a cookie).

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: staff share
    computers with English browsers, and the product's working language is Dutch.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class HealthCheckMiddleware:
    """Answer /health before the host check and the HTTPS redirect.

    A load balancer probes by IP address over plain HTTP; that must not need an entry in
    ALLOWED_HOSTS. The answer holds no data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/health":
            from core.views import health

            return health(request)
        return self.get_response(request)
