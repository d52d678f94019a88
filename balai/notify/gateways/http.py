"""A configurable HTTP gateway for SMS and WhatsApp providers, described by settings.

    BALAI_SMS_GATEWAY = {                      # the same shape for BALAI_WHATSAPP_GATEWAY
        "url": "https://provider.example/api/send",
        "token": "...",                        # sent as "<auth_scheme> <token>" in <auth_header>
        "auth_header": "Authorization", "auth_scheme": "Bearer",
        "request_format": "json",              # or "form" (application/x-www-form-urlencoded)
        "field_map": {"to": "to", "text": "text", "reference": "reference", "sender": "from"},
        "sender": "BALAI",                     # optional sender id
        "static_fields": {},                   # extra constant fields the provider requires
        "response_id_field": "message_id",     # dotted path of the provider's id in its JSON answer
        "timeout": 10,
        "receipt_format": {"id_field": "message_id", "status_field": "status",
                           "delivered_values": ["delivered", "DELIVRD"],
                           "failed_values": ["failed", "undelivered", "UNDELIV", "REJECTD", "EXPIRED"],
                           "error_field": "error"},
    }

The reference is the outbox row's idempotency key: providers deduplicate on it, so a resend after a
crash does not reach the citizen twice. 4xx answers are permanent (except 408/429), 5xx and timeouts
temporary. Only the standard library is used (urllib), with a timeout on every call.

The token never travels anywhere but the configured URL: redirects are not followed (urllib would resend
the Authorization header to wherever a 30x points, another host included; a redirect is answered as a
permanent configuration error), and in production a plain http:// URL off this machine is refused
before anything is sent (settings refuse to start with one too; ADR 0017).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.dateparse import parse_datetime

from balai.net import insecure_url
from balai.notify.gateways.base import GatewayResult
from balai.notify.models import Message

DEFAULT_FIELD_MAP = {"to": "to", "text": "text", "reference": "reference", "sender": "from"}
DEFAULT_RECEIPT_FORMAT = {
    "id_field": "message_id", "status_field": "status", "time_field": "", "error_field": "error",
    "delivered_values": ["delivered", "DELIVRD"],
    "failed_values": ["failed", "undelivered", "UNDELIV", "REJECTD", "EXPIRED", "rejected"],
}
TEMPORARY_4XX = {408, 425, 429}
AUTH_4XX = {401, 403}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Answer every 30x as the HTTPError it is, instead of repeating the request (and its token) elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _dig(data: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


class HttpGateway:
    def __init__(self, config: Mapping[str, Any], *, channel: str = "sms") -> None:
        if not config.get("url"):
            raise ValueError("HTTP gateway needs a url")
        if urllib.parse.urlsplit(config["url"]).scheme not in ("http", "https"):
            raise ValueError("HTTP gateway url must be http or https")
        self.config = config
        self.channel = channel
        self.field_map = {**DEFAULT_FIELD_MAP, **(config.get("field_map") or {})}
        self.timeout = float(config.get("timeout", 10))

    def build_request(self, message: Message) -> urllib.request.Request:
        fields: dict[str, Any] = dict(self.config.get("static_fields") or {})
        values = {"to": message.recipient, "text": message.body, "reference": str(message.idempotency_key),
                  "sender": self.config.get("sender", ""), "channel": self.channel}
        for key, value in values.items():
            name = self.field_map.get(key)
            if name and (value or key != "sender"):
                fields[name] = value
        headers = {"Accept": "application/json", "User-Agent": "Balai-notify/1"}
        if self.config.get("request_format", "json") == "form":
            data = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(fields).encode()
            headers["Content-Type"] = "application/json"
        if self.config.get("token"):
            scheme = self.config.get("auth_scheme", "Bearer")
            headers[self.config.get("auth_header", "Authorization")] = (
                f"{scheme} {self.config['token']}" if scheme else str(self.config["token"])
            )
        # The scheme is checked in __init__ (http/https only).
        return urllib.request.Request(self.config["url"], data=data, headers=headers, method="POST")  # noqa: S310

    def _message_id(self, raw: bytes) -> str:
        try:
            payload = json.loads(raw.decode() or "null")
        except (ValueError, UnicodeDecodeError):
            return ""
        value = _dig(payload, self.config.get("response_id_field", "message_id"))
        return "" if value is None else str(value)

    def send(self, message: Message) -> GatewayResult:
        if getattr(settings, "PRODUCTION", False) and insecure_url(str(self.config["url"])):
            return GatewayResult(accepted=False, permanent_error=True, recipient_fault=False,
                                 error="refused: plain http:// gateway URL in production (use https://)")
        request = self.build_request(message)
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                raw = response.read(65536)
        except urllib.error.HTTPError as exc:
            body = exc.read(2000)
            detail = f"HTTP {exc.code}: {body[:200].decode(errors='replace')}"
            if 300 <= exc.code < 400:  # not followed: the token stays with the configured URL
                return GatewayResult(accepted=False, permanent_error=True, recipient_fault=False,
                                     error=f"HTTP {exc.code}: redirect not followed (configure the final URL)")
            if exc.code == 409:  # the provider already has this reference: it was sent before the crash
                return GatewayResult(accepted=True, gateway_message_id=self._message_id(body))
            if 400 <= exc.code < 500 and exc.code not in TEMPORARY_4XX:
                return GatewayResult(accepted=False, permanent_error=True, error=detail,
                                     recipient_fault=exc.code not in AUTH_4XX)
            return GatewayResult(accepted=False, error=detail)
        except TimeoutError as exc:
            return GatewayResult(accepted=False, error=f"timeout: {exc}")
        except (urllib.error.URLError, OSError) as exc:
            return GatewayResult(accepted=False, error=f"connection: {exc}")
        return GatewayResult(accepted=True, gateway_message_id=self._message_id(raw))


@dataclass(frozen=True)
class Receipt:
    gateway_message_id: str
    status: str  # "delivered" | "failed"
    at: datetime | None = None
    error: str = ""


def parse_receipt(config: Mapping[str, Any], payload: Mapping[str, Any]) -> Receipt | None:
    """Read a provider's delivery receipt (already decoded from JSON or a form) as described by
    `config["receipt_format"]`; None when it is not a final delivered/failed receipt."""
    fmt = {**DEFAULT_RECEIPT_FORMAT, **(config.get("receipt_format") or {})}
    gid = _dig(payload, fmt["id_field"])
    raw_status = _dig(payload, fmt["status_field"])
    if gid in (None, "") or raw_status is None:
        return None
    raw_status = str(raw_status).strip()
    lowered = raw_status.lower()
    if lowered in {v.lower() for v in fmt["delivered_values"]}:
        status = "delivered"
    elif lowered in {v.lower() for v in fmt["failed_values"]}:
        status = "failed"
    else:
        return None
    at = parse_datetime(str(_dig(payload, fmt["time_field"]) or "")) if fmt.get("time_field") else None
    error = str(_dig(payload, fmt.get("error_field") or "") or "") if fmt.get("error_field") else ""
    return Receipt(gateway_message_id=str(gid), status=status, at=at, error=error)
