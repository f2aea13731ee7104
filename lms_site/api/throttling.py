"""DRF's throttles, identifying anonymous callers as allauth's rate limits do.

DRF reads X-Forwarded-For whenever REST_FRAMEWORK["NUM_PROXIES"] is unset, so a forged header earned a
fresh budget. allauth decides the client address from TRUSTED_PROXY_COUNT (ALLAUTH_TRUSTED_PROXY_COUNT):
0 trusts only the socket, N takes the N-th address from the right of X-Forwarded-For. The API uses
the same function, so one client is one client for both.
"""

from allauth.core.internal.ratelimit import get_ip
from rest_framework import throttling


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return get_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
