"""Gateways per channel, chosen by settings.

- SMS / WhatsApp: `BALAI_SMS_GATEWAY` / `BALAI_WHATSAPP_GATEWAY` dicts (see `http.py`) → `HttpGateway`;
  `None` or `{"backend": "dev"}` → `DevGateway` outside production, `UnconfiguredGateway` in production.
- E-mail: `BALAI_EMAIL_GATEWAY` = "django" (Django's e-mail backend) or "dev"; default "dev" in demo
  mode so e-mails show at /dev/pesan/, "django" otherwise.
"""

from __future__ import annotations

from django.conf import settings

from balai.notify.gateways.base import Gateway, GatewayResult, UnconfiguredGateway
from balai.notify.gateways.dev import DevGateway
from balai.notify.gateways.email import EmailGateway
from balai.notify.gateways.http import HttpGateway, Receipt, parse_receipt

__all__ = ["Gateway", "GatewayResult", "DevGateway", "EmailGateway", "HttpGateway", "Receipt",
           "gateway_config", "get_gateway", "parse_receipt"]

_SETTING = {"sms": "BALAI_SMS_GATEWAY", "whatsapp": "BALAI_WHATSAPP_GATEWAY"}


def gateway_config(channel: str) -> dict:
    """The settings dict for an HTTP channel ({} when none), e.g. for reading its receipts."""
    return dict(getattr(settings, _SETTING.get(channel, ""), None) or {})


def get_gateway(channel: str) -> Gateway:
    production = getattr(settings, "PRODUCTION", False)
    if channel == "email":
        default = "dev" if getattr(settings, "DEMO_MODE", False) else "django"
        kind = getattr(settings, "BALAI_EMAIL_GATEWAY", None) or default
        if kind == "dev" and not production:
            return DevGateway()
        return EmailGateway()
    config = gateway_config(channel)
    if config.get("url"):
        return HttpGateway(config, channel=channel)
    if not production:
        return DevGateway()
    return UnconfiguredGateway(channel)
