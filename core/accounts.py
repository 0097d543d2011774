"""How django-allauth behaves here: closed signup, axes owns password throttling, 2FA rules.

A functional administrator (anyone with `core.administer`) must log in with a second factor
(TOTP); `core.middleware.TwoFactorRequiredMiddleware` sends one without it to enrolment.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied

from core.net import client_ip

ADMINISTER = "core.administer"


def requires_two_factor(user) -> bool:
    """Whether this user may only work with a TOTP authenticator (functional administrators)."""
    return user.is_authenticated and user.has_perm(ADMINISTER)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts are made by a functional administrator, never by signing up."""
        return False

    def pre_authenticate(self, request, **credentials):
        """Leave failed passwords to django-axes (settings: throttling).

        allauth's own "login_failed" limit stays on for the second step (TOTP and recovery
        codes), which axes never sees.
        """

    def get_client_ip(self, request):
        """The address of core.net.client_ip, the one the audit log and axes use.

        allauth's own reading of ALLAUTH_TRUSTED_PROXY_COUNT raises ImproperlyConfigured (a 500
        on the login page) when a request carries fewer X-Forwarded-For entries than proxies.
        """
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator):
        """A functional administrator cannot switch their TOTP off; others may."""
        if authenticator.type == Authenticator.Type.TOTP:
            return not requires_two_factor(authenticator.user)
        return True
