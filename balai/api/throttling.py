"""Rate limits for the API and Open311: fixed one-minute windows counted in the shared cache.

Limits: a client application its own `rate_limit_per_minute`; a staff token
`settings.BALAI_API_STAFF_RATE` (default 120/min); anonymous callers `settings.BALAI_API_ANON_RATE`
per IP address (default 60/min). Over the limit: 429 with `Retry-After` (seconds to the next window).
Counts live in the cache (Redis in production, the database cache otherwise) so every worker shares
them. A fixed window may let up to twice the limit through around a window boundary; for protecting
the server from a runaway script that is enough, and it costs one cache increment per request.

Plain Django views (Open311) call `check_request(request, client=...)` and, when `.allowed` is false,
answer 429 with `Retry-After: result.retry_after`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from balai.net import client_ip, rate_limit_key

WINDOW = 60


@dataclass(frozen=True)
class RateResult:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until the window resets (0 when allowed)


def hit(*, bucket: str, limit: int, window: int = WINDOW, now: float | None = None) -> RateResult:
    """Count one request in `bucket`'s current window; refuse above `limit` (0 = unlimited)."""
    if limit <= 0:
        return RateResult(True, 0, 0, 0)
    now = time.time() if now is None else now
    start = int(now // window) * window
    key = f"api:rate:{bucket}:{start}"
    # Count first: only a window's first request also creates its key (an add before every count cost
    # five more statements with the database cache, one more round trip with Redis).
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request
        if cache.add(key, 1, timeout=window + 5):
            count = 1
        else:  # another process created it meanwhile
            try:
                count = cache.incr(key)
            except ValueError:  # and it expired at once
                cache.set(key, 1, timeout=window + 5)
                count = 1
    reset = max(1, int(start + window - now + 0.999))
    if count > limit:
        return RateResult(False, limit, 0, reset)
    return RateResult(True, limit, limit - count, 0)


def _ip(request) -> str:
    """The caller's address as a limit counts it (behind a trusted proxy, IPv6 per /64; `balai.net`)."""
    return hashlib.sha256(rate_limit_key(client_ip(request)).encode()).hexdigest()[:24]


def check_request(request, *, client: Any = None, staff_token: Any = None) -> RateResult:
    """Count this request against the caller's limit (client, staff token's user, or IP address)."""
    if client is not None:
        return hit(bucket=f"client:{client.pk}", limit=client.rate_limit_per_minute)
    if staff_token is not None:
        return hit(bucket=f"staff:{staff_token.user_id}", limit=getattr(settings, "BALAI_API_STAFF_RATE", 120))
    return hit(bucket=f"ip:{_ip(request)}", limit=getattr(settings, "BALAI_API_ANON_RATE", 60))


class ApiRateThrottle(BaseThrottle):
    """DRF throttle: DRF turns a refusal into 429 with `Retry-After` from `wait()`."""

    def allow_request(self, request, view) -> bool:
        from balai.api.auth import request_client, request_staff_token

        self.result = check_request(
            request, client=request_client(request), staff_token=request_staff_token(request)
        )
        request.rate_result = self.result
        return self.result.allowed

    def wait(self) -> float | None:
        return float(self.result.retry_after) if getattr(self, "result", None) else None
