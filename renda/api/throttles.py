"""Rate limits for the API, kept in the Django cache (Redis at scale) so they hold across workers.

Rates come from settings.RENDA_API_THROTTLE_RATES (defaults below) and are read on every request,
so a deployment or a test can change them without a restart. A rate of None turns a scope off
(the test settings do, so that thousands of test requests from 127.0.0.1 do not count against
each other; the throttle tests switch it back on).
"""

import threading

from django.conf import settings
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

DEFAULT_RATES = {
    # Per client address: citizens behind one government NAT share an address, and the 找代表
    # flow costs three requests, so this is generous for people and tight for scrapers.
    "anon": "120/min",
    # Per user, whether signed in by session or by token.
    "auth": "1200/min",
}


def rate_for(scope: str) -> str | None:
    return {**DEFAULT_RATES, **getattr(settings, "RENDA_API_THROTTLE_RATES", {})}[scope]


class _SlidingWindow:
    """ninja's sliding window, without ninja's per-instance request state.

    ninja shares one throttle instance between all requests and stores the current key, history
    and time on it: under a threaded server two requests would mix their counts. Here the only
    per-request state (the wait hint) is thread-local, and the rate is read per request.
    """

    cache_format = "renda_api_throttle_%(scope)s_%(ident)s"

    def __init__(self):
        super().__init__(rate=rate_for(self.scope) or DEFAULT_RATES[self.scope])  # fails fast if malformed
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        self._local.wait = None
        rate = rate_for(self.scope)
        key = self.get_cache_key(request) if rate else None
        if key is None:
            return True
        num_requests, duration = self.parse_rate(rate)
        now = self.timer()
        history = [t for t in self.cache.get(key, []) if t > now - duration]  # newest first
        if len(history) >= num_requests:
            self._local.wait = duration - (now - history[-1])
            return False
        history.insert(0, now)
        self.cache.set(key, history, duration)
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


class AnonThrottle(_SlidingWindow, AnonRateThrottle):
    """Requests without credentials, per client address (set NINJA_NUM_PROXIES behind a proxy)."""


class UserThrottle(_SlidingWindow, AuthRateThrottle):
    """Authenticated requests, per user id (ninja's AuthRateThrottle keys on str(user), which is a
    display name and not unique)."""

    def get_cache_key(self, request):
        user = getattr(request, "auth", None)
        if user is None or not getattr(user, "pk", None):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
