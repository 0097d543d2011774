"""The client's address behind the reverse proxies we trust (settings: TRUSTED_PROXY_COUNT).

One answer for the audit log, django-auditlog's change history and django-axes (through
AXES_CLIENT_IP_CALLABLE) and allauth's rate limits (core.accounts.AccountAdapter.get_client_ip),
so a lockout, a rate limit and an audit row all name the same address.
"""

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from python_ipware import IpWare


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind N trusted proxies the X-Forwarded-For entry the outermost wrote.

    Each proxy appends the address it saw, so the client's address is the N-th entry from the
    right; what a client writes into the header itself sits left of it and never counts.
    Without a trusted proxy the header is never read. Only X-Forwarded-For is consulted:
    python-ipware's default list ranks a public address in any header above a private one,
    which would give the proxy's address for staff on the organisation's network.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        # python-ipware counts the proxies listed in the header: all but the one REMOTE_ADDR
        # names. Not strict, so a header the client began itself still counts from the right.
        ipware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=trusted - 1)
        address, _trusted_route = ipware.get_client_ip(request.META, strict=False)
        if address is not None:
            return str(address)
    # No header (a request that did not come through the proxy, say the health check).
    return request.META.get("REMOTE_ADDR") or None


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware with our client address.

    Its own takes the first X-Forwarded-For entry whenever the header is there, which is
    whatever the client sent: anyone could write any address into the change history.
    """

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        # X-Forwarded-Port is the client's word too unless a trusted proxy sets it.
        if not settings.TRUSTED_PROXY_COUNT:
            return None
        return BaseAuditlogMiddleware._get_remote_port(request)
