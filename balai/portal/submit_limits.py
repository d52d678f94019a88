"""Rate limits on sending cases from the portal: per client address (`balai.net`) and per session.

Fixed windows counted in the cache (Redis in production, the database cache otherwise), so every web
worker shares the counts. Only cases actually sent count: a citizen correcting typing mistakes is never
slowed down. The limits are generous for people (a family filing a few requests) and tight for scripts.
`settings.BALAI_SUBMIT_LIMITS` may override them: {"ip": (count, seconds), "session": (count, seconds)}.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from balai.net import client_ip, rate_limit_key

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


def _limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **(getattr(settings, "BALAI_SUBMIT_LIMITS", None) or {})}


def _subjects(request: HttpRequest) -> dict[str, str]:
    if not request.session.session_key:
        request.session.save()
    subjects = {"ip": rate_limit_key(client_ip(request)), "session": request.session.session_key or ""}
    return {kind: hashlib.sha256(value.encode()).hexdigest()[:32] for kind, value in subjects.items() if value}


def _key(kind: str, subject: str, window_start: int) -> str:
    return f"portal:submit:{kind}:{subject}:{window_start}"


def check_submit(request: HttpRequest) -> Limit:
    """May this client send a case now? (Does not count; call `count_submit` after sending.)"""
    now = int(time.time())
    wait = 0
    for kind, subject in _subjects(request).items():
        count, seconds = _limits()[kind]
        start = now - now % seconds
        used = cache.get(_key(kind, subject, start), 0)
        if used >= count:
            wait = max(wait, start + seconds - now)
    return Limit(allowed=wait == 0, retry_after=wait)


def count_submit(request: HttpRequest) -> None:
    now = int(time.time())
    for kind, subject in _subjects(request).items():
        _count, seconds = _limits()[kind]
        start = now - now % seconds
        key = _key(kind, subject, start)
        cache.add(key, 0, timeout=seconds + 60)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 60)
