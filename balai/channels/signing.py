"""Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with a per-gateway secret (ADR 0011).

Headers: `X-Balai-Timestamp` (Unix seconds) and `X-Balai-Signature` (`sha256=<hex>`, or the bare hex).
A request is refused when unsigned, when the signature does not match, or when the timestamp is more than
`MAX_SKEW_SECONDS` away from now (a captured request cannot be replayed later; within the window the
gateway's message id makes a replay harmless).

Secrets: `BALAI_SMS_GATEWAY["inbound_secret"]`, `BALAI_WHATSAPP_GATEWAY["inbound_secret"]`,
`BALAI_EMAIL_INBOUND["inbound_secret"]`; delivery reports `"receipt_secret"` of the gateway when given.
A channel without a secret refuses every request, except in demo mode (see `secret_for`); production
refuses to start when an enabled channel has none (`balai.env.channel_problems`, ADR 0017).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from collections.abc import Mapping

from django.conf import settings

SIGNATURE_HEADER = "X-Balai-Signature"
TIMESTAMP_HEADER = "X-Balai-Timestamp"
MAX_SKEW_SECONDS = 300

_SETTING = {"sms": "BALAI_SMS_GATEWAY", "whatsapp": "BALAI_WHATSAPP_GATEWAY", "email": "BALAI_EMAIL_INBOUND"}


def channel_config(channel: str) -> dict:
    return dict(getattr(settings, _SETTING[channel], None) or {})


def secret_for(channel: str, *, purpose: str = "inbound") -> str:
    """The webhook secret of `channel` ("" when there is none: every request is then refused).

    `purpose` "receipt" (delivery reports) uses the gateway's "receipt_secret" when it has one. Only in
    demo mode may a channel without a secret use one derived from SECRET_KEY (so /dev/pesan/ can sign its
    simulated replies); anywhere else that would make anyone who learns SECRET_KEY a gateway. ADR 0017.
    """
    config = channel_config(channel)
    configured = str((config.get("receipt_secret") if purpose == "receipt" else "") or "")
    configured = configured or str(config.get("inbound_secret") or "")
    if configured:
        return configured
    if not getattr(settings, "DEMO_MODE", False) or getattr(settings, "PRODUCTION", False):
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"balai.channels.dev:{channel}".encode(),
                    hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signed_headers(channel: str, body: bytes, *, timestamp: int | None = None,
                   purpose: str = "inbound") -> dict[str, str]:
    """Headers a gateway (or the development page, tests, the benchmark) sends with `body`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    secret = secret_for(channel, purpose=purpose)
    return {TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: "sha256=" + signature(secret, ts, body)}


_SIGNATURE = re.compile(r"(?:sha256=)?([0-9a-fA-F]{64})", re.ASCII)
_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)


def verify(channel: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None,
           purpose: str = "inbound") -> str:
    """"" when the request is authentic, else a short reason (for the log, never for the caller).

    Headers are parsed strictly (ASCII digits, 64 hex digits) before anything is compared: a header
    with other characters, an empty or an over-long one is "malformed", never an error.
    """
    secret = secret_for(channel, purpose=purpose)
    if not secret:
        return "no webhook secret configured"
    ts = str(headers.get(TIMESTAMP_HEADER) or "").strip()
    sig = str(headers.get(SIGNATURE_HEADER) or "").strip()
    if not ts or not sig:
        return "unsigned"
    ts_match, sig_match = _TIMESTAMP.fullmatch(ts), _SIGNATURE.fullmatch(sig)
    if ts_match is None:
        return "malformed timestamp"
    if sig_match is None:
        return "malformed signature"
    if abs((time.time() if now is None else now) - int(ts)) > MAX_SKEW_SECONDS:
        return "stale"
    expected = signature(secret, ts, body).encode("ascii")
    if not hmac.compare_digest(sig_match.group(1).lower().encode("ascii"), expected):
        return "bad signature"
    return ""
