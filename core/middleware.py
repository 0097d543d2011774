import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


class SessionRenewalMiddleware:
    """Renew a logged-in user's session (its idle timeout) at most once per
    SESSION_RENEW_SECONDS, not on every request: a page then writes no session.

    The session's expiry moves on when it is saved; marking it once a minute keeps the idle
    timeout within a minute of SESSION_IDLE_MINUTES. With SESSION_SAVE_EVERY_REQUEST (the test
    settings) every request saves it anyway and this does nothing.
    """

    RENEWED = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is None
            or settings.SESSION_SAVE_EVERY_REQUEST
            or session.session_key is None  # none yet, or flushed by logging out
            or SESSION_KEY not in session
        ):
            return response
        now = int(time.time())
        if session.modified or now - session.get(self.RENEWED, 0) >= settings.SESSION_RENEW_SECONDS:
            session[self.RENEWED] = now
        return response


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


class NoStoreForUsersMiddleware:
    """Every page a logged-in user gets is `Cache-Control: no-store, private`.

    Pages show personal data (names, BSNs, contact notes); without this the browser's Back
    button after logging out shows them again from its cache, on a computer staff share. A
    response that set its own Cache-Control keeps it; static files (served by WhiteNoise
    before this middleware) and /health never reach it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


def allow_request_body(max_bytes):
    """Let a view take a request body up to `max_bytes()` (a callable, so a changed setting
    applies) instead of the site-wide DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def decorate(view):
        view.max_request_body = max_bytes
        return view

    return decorate


class RequestBodyLimitMiddleware:
    """Refuse a request body above DATA_UPLOAD_MAX_MEMORY_SIZE with 413, before anything reads it.

    Django caps the form fields at that size but streams a file of any size to a temporary
    file, so without this any form URL would take a gigabyte. The import upload raises its
    limit with `allow_request_body`. Runs before the CSRF check, which reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.utils.translation import gettext as _

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then either
        allowed = getattr(view_func, "max_request_body", None)
        limit = allowed() if allowed else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return HttpResponse(
                _("This request is too large."), status=413, content_type="text/plain"
            )
        return None


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


class AuthorisationMiddleware:
    """Enforce the authorisation matrix (`core.roles.PAGES`) for every resolved URL.

    An anonymous visitor of a page that needs a login is sent to the login page (also for
    views that opted out of LoginRequiredMiddleware, such as allauth's logout). A URL without
    a rule is refused: a new page is closed until it is in the matrix. Which objects a user
    may see is still decided by the view's scoped QuerySet.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from core import roles

        page = roles.page_for(request.resolver_match.view_name)
        if page is None:
            raise PermissionDenied
        if page.requires != roles.PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.user_may(request.user, page):
            raise PermissionDenied
        return None


class TwoFactorRequiredMiddleware:
    """Send a functional administrator without a TOTP authenticator to TOTP activation.

    Until they have enrolled they may only use the two-factor pages, reauthenticate, log out,
    switch the language and load static files. Runs before the authorisation matrix, so every
    other page sends them to enrolment, with a message saying why.
    """

    ALLOWED = {
        "account_logout",
        "account_reauthenticate",
        "set_language",
        "health",
        "django.contrib.staticfiles.views.serve",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from core.accounts import has_totp, requires_two_factor

        name = request.resolver_match.view_name
        if name in self.ALLOWED or name.startswith("mfa_"):
            return None
        if not requires_two_factor(request.user) or has_totp(request.user):
            return None
        messages.warning(
            request,
            _(
                "As a functional administrator you can change users and their rights, so you "
                "must log in with two-factor authentication. Activate an authenticator app "
                "first; until then the other pages are closed to you."
            ),
        )
        return redirect("mfa_activate_totp")
