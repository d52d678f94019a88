"""One-time codes for the portal: proving that a person holds a case's contact, or signing in.

Rules (docs/security.md):
- a code has 6 digits, lives 10 minutes and allows 5 wrong tries; a new request replaces the old code;
- only an HMAC of the code is stored (a `OneTimeCode` row), keyed with SECRET_KEY, the purpose and the target;
- requests are rate-limited per target (case or contact) and per client address (`balai.net`: behind a
  trusted proxy the real client, IPv6 per /64), with the time to wait;
- every count is updated atomically under a row lock (`balai.portal.models`), so parallel requests get no
  more tries between them than one request after the other would;
- the answer to a request never says whether the case or the contact exists: an unknown target gets
  the same work done (a code is drawn, hashed and stored) and the same response, only no message
  leaves. Verification of an unknown target always fails like a wrong code.

After a successful check for a case, the session holds a proof for that case
(`prove_case` / `is_proven`) that lasts `PROOF_SECONDS`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from balai.net import rate_limit_key
from balai.notify.outbox import queue_direct_message
from balai.portal.models import OneTimeCode, RateCounter

CODE_DIGITS = 6
CODE_TTL_SECONDS = 10 * 60
MAX_ATTEMPTS = 5
# Sending: at most 3 codes per target in 15 minutes, and 10 per IP address in an hour.
TARGET_LIMIT = (3, 15 * 60)
IP_LIMIT = (10, 60 * 60)
# Verifying: at most 20 tries per IP address in 15 minutes, whatever the target (guessing across cases).
VERIFY_IP_LIMIT = (20, 15 * 60)
PROOF_SECONDS = 30 * 60
SESSION_KEY = "balai_proven_cases"


def _settings_limit(name: str, default: tuple[int, int]) -> tuple[int, int]:
    value = (getattr(settings, "BALAI_OTP_LIMITS", None) or {}).get(name)
    return tuple(value) if value else default  # type: ignore[return-value]


def _digest(*parts: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def _key(kind: str, *parts: str) -> str:
    # Targets (phone numbers, e-mails) never appear in stored keys in clear text either.
    return f"balai:otp:{kind}:{_digest(kind, *parts)[:40]}"


# --- rate limits ------------------------------------------------------------------------------------

def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _locked_counter(key: str, *, window: int, now: float) -> RateCounter:
    """The counter row of `key`, locked until the caller's transaction ends, in its current window."""
    row = RateCounter.objects.select_for_update().filter(key=key).first()
    if row is None:
        try:
            with transaction.atomic():  # a savepoint: a parallel insert of the same key fails only this
                row = RateCounter.objects.create(key=key, count=0, window_start=now, expires_at=_at(now + window + 1))
        except IntegrityError:
            row = RateCounter.objects.select_for_update().get(key=key)
    if now - row.window_start >= window:
        row.count, row.window_start = 0, now
    return row


def _hit_all(limits: list[tuple[str, str, int, int]], *, now: float) -> int:
    """Count one hit in every (name, subject, limit, window), all or none: 0 when allowed, else the
    seconds until the longest-waiting limit allows again. Rows are locked in key order (no deadlocks)."""
    wanted = {_key("rate", name, subject): (limit, int(window)) for name, subject, limit, window in limits}
    with transaction.atomic():
        rows = [(_locked_counter(k, window=w, now=now), limit, w) for k, (limit, w) in sorted(wanted.items())]
        wait = max((max(1, int(row.window_start + w - now + 0.999)) for row, limit, w in rows
                    if row.count >= limit), default=0)
        if wait:
            return wait
        for row, _limit, w in rows:
            row.count += 1
            row.expires_at = _at(row.window_start + w + 1)
            row.save(update_fields=["count", "window_start", "expires_at"])
    return 0


def rate_limit_hit(*, name: str, key: str, limit: int, window: int, now: float | None = None) -> int:
    """Count one hit in a fixed window; 0 when allowed, else the seconds until the window ends."""
    return _hit_all([(name, key, limit, window)], now=time.time() if now is None else now)


def forget_expired(*, now: float | None = None) -> int:
    """Delete codes and counters whose time is over (hourly, `balai.portal.tasks`)."""
    moment = _at(time.time() if now is None else now)
    return (OneTimeCode.objects.filter(expires_at__lt=moment).delete()[0]
            + RateCounter.objects.filter(expires_at__lt=moment).delete()[0])


# --- codes --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeRequest:
    """The outcome of asking for a code: `retry_after` > 0 means "too many, wait this many seconds"."""

    retry_after: int = 0
    code: str = ""  # the code drawn (for the caller to send); empty when limited

    @property
    def limited(self) -> bool:
        return self.retry_after > 0


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    reason: str = ""  # "", "wrong", "expired", "too_many", "limited"
    retry_after: int = 0
    attempts_left: int = 0


def _code_hash(purpose: str, target: str, code: str) -> str:
    return _digest("code", purpose, target, code)


def issue_code(*, purpose: str, target: str, ip: str, now: float | None = None) -> CodeRequest:
    """Draw and store (hashed) a new code for `target`, unless a rate limit says to wait.

    `target` identifies what the code proves (a case's tracking code, a normalised contact). The caller
    sends the code only if the target is real; it must respond the same way either way.
    """
    now = time.time() if now is None else now
    t_limit, t_window = _settings_limit("target", TARGET_LIMIT)
    i_limit, i_window = _settings_limit("ip", IP_LIMIT)
    # Both limits are checked and counted together, so a refused request uses up neither allowance.
    wait = _hit_all([(f"send:{purpose}", target, t_limit, t_window),
                     ("send-ip", rate_limit_key(ip), i_limit, i_window)], now=now)
    if wait:
        return CodeRequest(retry_after=wait)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    OneTimeCode.objects.update_or_create(
        key=_key("code", purpose, target),
        defaults={"code_hash": _code_hash(purpose, target, code), "attempts": 0,
                  "expires_at": _at(now + CODE_TTL_SECONDS)},
    )
    return CodeRequest(code=code)


def check_code(*, purpose: str, target: str, code: str, ip: str, now: float | None = None) -> CodeCheck:
    """Check a code typed by the person. A correct code is used up; wrong tries are counted.

    The code's row stays locked from reading the count to writing it, so of parallel tries at most
    MAX_ATTEMPTS are ever compared, and a correct code is accepted once.
    """
    now = time.time() if now is None else now
    v_limit, v_window = _settings_limit("verify_ip", VERIFY_IP_LIMIT)
    wait = rate_limit_hit(name="verify-ip", key=rate_limit_key(ip), limit=v_limit, window=v_window, now=now)
    if wait:
        return CodeCheck(ok=False, reason="limited", retry_after=wait)
    typed = "".join(ch for ch in (code or "") if ch.isdigit())
    with transaction.atomic():
        entry = OneTimeCode.objects.select_for_update().filter(key=_key("code", purpose, target)).first()
        if entry is None:
            return CodeCheck(ok=False, reason="expired")
        if entry.expires_at <= _at(now):
            entry.delete()
            return CodeCheck(ok=False, reason="expired")
        if entry.attempts >= MAX_ATTEMPTS:
            return CodeCheck(ok=False, reason="too_many")
        if hmac.compare_digest(entry.code_hash, _code_hash(purpose, target, typed)):
            entry.delete()
            return CodeCheck(ok=True)
        entry.attempts += 1
        entry.save(update_fields=["attempts"])
    left = MAX_ATTEMPTS - entry.attempts
    return CodeCheck(ok=False, reason="too_many" if left <= 0 else "wrong", attempts_left=max(left, 0))


def send_code(*, channel: str, recipient: str, language: str, code: str) -> None:
    """Queue the code through the outbox (event "otp"); it is delivered even to a failing number."""
    with transaction.atomic():
        queue_direct_message(channel=channel, recipient=recipient, language=language, event="otp",
                             context={"otp": code})


def wait_minutes(seconds: int) -> int:
    """Whole minutes to show in "try again in N minutes" (at least 1)."""
    return max(1, (int(seconds) + 59) // 60)


# --- proof held in the session --------------------------------------------------------------------------

def prove_case(request, case, *, now: float | None = None) -> None:
    """Remember in the session that this person proved they are the citizen of `case`."""
    now = time.time() if now is None else now
    proofs = {k: v for k, v in (request.session.get(SESSION_KEY) or {}).items() if v > now}
    proofs[str(case.pk)] = now + PROOF_SECONDS
    request.session[SESSION_KEY] = proofs
    request.session.cycle_key()  # a new session id after proving something (session fixation)


def is_proven(request, case, *, now: float | None = None) -> bool:
    """True after a one-time code for this case in this session, or for the signed-in owner."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and case.citizen_id and case.citizen_id == user.pk:
        return True
    now = time.time() if now is None else now
    return (request.session.get(SESSION_KEY) or {}).get(str(case.pk), 0) > now


def proven_case_ids(request, *, now: float | None = None) -> list[int]:
    now = time.time() if now is None else now
    return [int(k) for k, v in (request.session.get(SESSION_KEY) or {}).items() if v > now and k.isdigit()]
