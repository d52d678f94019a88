"""Sign-in lockout (django-axes): whose failures are counted together, from where, and the limits.

Failures are counted per *account*, not per spelling: "Operator@x", "OPERATOR@x" and the account's phone
number typed any usual way are one key (`lock_key`), so no spelling gets its own tries and no spelling
clears another's lock. A login that matches no account is counted under its normalised form (case-folded
e-mail, E.164 phone).

Three limits within the cool-off window (ADR 0015):
- the account from one source address: ``AXES_FAILURE_LIMIT`` (5), the ordinary lock;
- the account from any address: ``BALAI_LOGIN_ACCOUNT_FAILURE_LIMIT`` (20), against guessing spread over
  many addresses, high enough that a stranger cannot lock a colleague out with a few tries;
- one address for any account: ``BALAI_LOGIN_SOURCE_FAILURE_LIMIT`` (50), against password spraying.
Password and second-factor failures count alike; while locked, neither a right password nor a right code
gets in (`balai.office.auth`).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum
from django.http import HttpRequest

from balai.people.phone import PhoneError, normalize_phone

_MEMO_ATTR = "_balai_lock_keys"


def normalized_login(login: str) -> str:
    """An e-mail address case-folded, a phone number in E.164; anything else case-folded as typed."""
    text = (login or "").strip()
    if not text:
        return ""
    if "@" in text:
        return text.casefold()
    try:
        return normalize_phone(text, allow_foreign=True)
    except PhoneError:
        return text.casefold()


def lock_key(login: str) -> str:
    """The key failures are counted under: ``user:<id>`` for an existing account (whichever e-mail or
    phone spelling was typed), else the normalised login. Stores no e-mail or phone for known accounts."""
    from balai.people.backends import find_user_by_login

    normalized = normalized_login(login)
    if not normalized:
        return ""
    user = find_user_by_login(login)
    return f"user:{user.pk}" if user is not None else normalized


def username_for_axes(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the lock key of the login in ``credentials`` (or the POSTed form).

    Axes asks several times per request; the account look-up is remembered on the request.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    raw = (credentials or {}).get(field)
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get(field)
    if not raw:
        return None
    memo = getattr(request, _MEMO_ATTR, None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            setattr(request, _MEMO_ATTR, memo)
    if raw not in memo:
        memo[raw] = lock_key(str(raw))
    return memo[raw] or None


def credentials_for(user: Any) -> dict[str, str]:
    """Credentials naming ``user`` for axes (the second-factor step has no typed login)."""
    return {settings.AXES_USERNAME_FORM_FIELD: user.email or user.phone or ""}


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the account-wide and source-wide limits added (module docstring).

    ``AXES_LOCKOUT_PARAMETERS`` stays "account and source together", so axes' own bookkeeping (rows,
    resets) works per pair; `get_failures` reports the pair's count, or the limit itself when the
    account or the source as a whole is over its wider limit.
    """

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        key = get_client_username(request, credentials)
        address = request.axes_ip_address
        by_account = Q(username=key) if key else Q(pk__lt=0)  # no login typed: no account to count
        totals = (
            AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
            .filter(by_account | Q(ip_address=address))
            .aggregate(
                pair=Sum("failures_since_start", filter=by_account & Q(ip_address=address)),
                account=Sum("failures_since_start", filter=by_account),
                source=Sum("failures_since_start", filter=Q(ip_address=address)),
            )
        )
        pair, account, source = (totals[name] or 0 for name in ("pair", "account", "source"))
        if account >= settings.BALAI_LOGIN_ACCOUNT_FAILURE_LIMIT or source >= settings.BALAI_LOGIN_SOURCE_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def forget_failures(request: HttpRequest, user: Any) -> None:
    """After a complete sign-in (password AND second factor): forget this account's failures from this
    address. Not after the password alone, or guessing codes could go on forever between passwords."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.update_request(request)
    key = username_for_axes(request, credentials_for(user))
    if key:
        AxesProxyHandler.reset_attempts(username=key, ip_address=request.axes_ip_address)  # type: ignore[attr-defined]  # set by axes' middleware
