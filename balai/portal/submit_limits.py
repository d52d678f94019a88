"""Rate limits on sending cases from the portal: per client address (`balai.net`) and per session.

Fixed windows counted in `RateCounter` rows (the table the one-time codes' limits use), so every web
worker shares the counts whatever the cache is, and a full cache cannot evict a count. Only cases actually
sent count: a citizen correcting typing mistakes is never slowed down. The limits are generous for people
(a family filing a few requests) and tight for scripts.
`settings.BALAI_SUBMIT_LIMITS` may override them: {"ip": (count, seconds), "session": (count, seconds)}.

Cost (docs/adr/0047-portal-submit-limits-counted-in-the-submission.md): `check_submit` is one SELECT of
both counters; `count_submit` one INSERT … ON CONFLICT DO UPDATE for both (`services.rate_counters`), run
by `counting` inside the submission's own transaction. Its row lock makes parallel submissions of one
client count one after the other, and a submission that would go over a limit is rolled back (`Limited`)
instead of slipping through between the check and the count.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from balai.net import client_ip, rate_limit_key
from balai.portal.services import rate_counters

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "ip": (20, 60 * 60),  # 20 cases an hour from one address (an office or a kiosk shares one)
    "session": (5, 10 * 60),  # 5 cases in 10 minutes from one browser
}


@dataclass(frozen=True)
class Limit:
    allowed: bool
    retry_after: int  # seconds until the next case may be sent; 0 when allowed

    @property
    def retry_at(self) -> datetime:
        return timezone.now() + timedelta(seconds=self.retry_after)

    @property
    def retry_minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


class Limited(Exception):  # noqa: N818 - a refusal, not an error of the program
    """Raised inside the submission's transaction when this case would go over a limit: it is undone."""

    def __init__(self, limit: Limit) -> None:
        super().__init__(f"submit limit reached, retry after {limit.retry_after} s")
        self.limit = limit


@dataclass(frozen=True)
class _Window:
    key: str  # an HMAC of the limit's kind and subject: the table names no address and no session
    limit: int
    start: int  # Unix time the current fixed window started
    seconds: int


def _limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **(getattr(settings, "BALAI_SUBMIT_LIMITS", None) or {})}


def _subjects(request: HttpRequest) -> dict[str, str]:
    if not request.session.session_key:
        request.session.save()
    return {kind: value for kind, value in (("ip", rate_limit_key(client_ip(request))),
                                            ("session", request.session.session_key or "")) if value}


def _keys(request: HttpRequest) -> list[tuple[str, str]]:
    """(kind, row key) of the client's limits. The final step checks and then counts: the HMACs are made
    once per request (for its session key: a new session would be another subject)."""
    made = getattr(request, "_balai_submit_keys", None)
    if made is not None and made[0] == request.session.session_key:
        return made[1]
    subjects = _subjects(request)
    secret = settings.SECRET_KEY.encode()
    keys = [(kind, "submit:{}:{}".format(kind, hmac.new(secret, f"portal-submit\x1f{kind}\x1f{subject}".encode(),
                                                      hashlib.sha256).hexdigest()[:40]))
            for kind, subject in subjects.items()]
    request._balai_submit_keys = (request.session.session_key, keys)  # type: ignore[attr-defined]
    return keys


def _windows(request: HttpRequest, now: int) -> list[_Window]:
    """The client's current windows, in key order (rows are always locked in that order: no deadlocks)."""
    limits = _limits()
    windows = []
    for kind, key in _keys(request):
        count, seconds = limits[kind]
        windows.append(_Window(key, count, now - now % seconds, seconds))
    return sorted(windows, key=lambda w: w.key)


def _verdict(windows: list[_Window], used: dict[str, int], now: int, *, over: int) -> Limit:
    """Allowed unless a window's count reaches `limit + over` (0 before sending, 1 after counting)."""
    wait = max((w.start + w.seconds - now for w in windows if used.get(w.key, 0) >= w.limit + over), default=0)
    return Limit(allowed=wait == 0, retry_after=wait)


def check_submit(request: HttpRequest) -> Limit:
    """May this client send a case now? (Does not count: `counting` does, in the submission.)"""
    now = int(time.time())
    windows = _windows(request, now)
    return _verdict(windows, rate_counters.counts({w.key: w.start for w in windows}), now, over=0)


def _count(windows: list[_Window]) -> dict[str, int]:
    return rate_counters.count_hits([(w.key, w.start, w.seconds) for w in windows])


def count_submit(request: HttpRequest) -> Limit:
    """Count one case sent by this client; not allowed when that went over a limit (the caller undoes it)."""
    now = int(time.time())
    windows = _windows(request, now)
    return _verdict(windows, _count(windows), now, over=1)


def counting(request: HttpRequest) -> Callable[[object], None]:
    """`case_submit(..., also=counting(request))`: count the case in its own transaction (no commit of its
    own), and undo the submission with `Limited` when a parallel one took the last place."""
    now = int(time.time())
    windows = _windows(request, now)  # before the transaction: `_subjects` may save a new session

    def count(_case: object) -> None:
        limit = _verdict(windows, _count(windows), now, over=1)
        if not limit.allowed:
            raise Limited(limit)

    return count
