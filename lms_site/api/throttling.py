"""DRF's throttles, identifying anonymous callers as allauth's rate limits do.

DRF reads X-Forwarded-For whenever REST_FRAMEWORK["NUM_PROXIES"] is unset, so a forged header earned a
fresh budget. allauth decides the client address from TRUSTED_PROXY_COUNT (ALLAUTH_TRUSTED_PROXY_COUNT):
0 trusts only the socket, N takes the N-th address from the right of X-Forwarded-For. The API uses
the same function, so one client is one client for both.

Each request costs one cache round trip: a counter per client and fixed window (INCR and EXPIRE in one
Redis pipeline), where DRF reads and rewrites the client's whole list of request times (two trips, and
a pickled list that grows with the rate). A client may send up to twice its rate across the boundary
of two windows; within any one window the rate holds.
"""

from allauth.core.internal.ratelimit import get_ip
from rest_framework import throttling

from lms_site.cache import count_hit


class CountingThrottleMixin:
    def get_ident(self, request) -> str:
        return get_ip(request)

    def allow_request(self, request, view) -> bool:
        if self.rate is None or (key := self.get_cache_key(request, view)) is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        return count_hit(self.cache, f"{key}:{window}", self.duration) <= self.num_requests

    def wait(self) -> float:
        """Seconds until the current window ends (the Retry-After of a refusal)."""
        return self.duration - self.now % self.duration


class AnonRateThrottle(CountingThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(CountingThrottleMixin, throttling.UserRateThrottle):
    pass
