"""Gateway webhooks (signed, CSRF-exempt machine endpoints) and the development message page.

The webhooks only verify, parse and call `balai.channels.services` / `email_inbound`; the answer is JSON:
``{"ok": true, "reply": "...", "queued": true, "duplicate": false}``. `queued` says whether Balai sends
the reply itself through the outbox; a gateway configured with ``"reply_mode": "sync"`` sends `reply`
when `queued` is false (ADR 0011). 403 for an unsigned, wrongly signed or stale request; 400 for a body
that is not a message; 503 (the gateway retries) when something unexpected failed and nothing was kept.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from balai.channels import signing
from balai.channels.email_inbound import BadEmail, handle_inbound_email
from balai.channels.forms import SimulateForm
from balai.channels.selectors import inbound_by_gateway_id, inbound_message
from balai.channels.services import handle_inbound
from balai.notify.gateways import gateway_config, parse_receipt
from balai.notify.gateways.dev import simulate_inbound
from balai.notify.outbox import record_receipt
from balai.notify.selectors import recent_dev_messages

logger = logging.getLogger(__name__)

DEFAULT_INBOUND_FORMAT = {"id_field": "message_id", "from_field": "from", "text_field": "text"}
MAX_BODY = 256 * 1024


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def _decode(body: bytes, content_type: str) -> Any:
    """JSON or form-encoded payload; None when it is neither."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        try:
            return {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8"), strict_parsing=False).items()}
        except UnicodeDecodeError:
            return None
    try:
        return json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        return None


def _error(status: int, code: str) -> JsonResponse:
    return JsonResponse({"ok": False, "error": code}, status=status)


def _verified(channel: str, headers: Mapping[str, str], body: bytes, path: str,
              purpose: str = "inbound") -> JsonResponse | None:
    if len(body) > MAX_BODY:
        return _error(413, "too_large")
    reason = signing.verify(channel, headers, body, purpose=purpose)
    if reason:
        logger.warning("refused %s webhook %s: %s", channel, path, reason)
        return _error(403, "forbidden")
    return None


def sessionless(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A gateway's call is no visitor's: its session is never written. With `SESSION_SAVE_EVERY_REQUEST`
    a gateway whose HTTP client keeps cookies would otherwise have its session row rewritten on every
    message; without its `session` attribute `SessionMiddleware` writes nothing."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        request.__dict__.pop("session", None)
        return response

    return wrapped


def process_message(channel: str, headers: Mapping[str, str], body: bytes, content_type: str) -> JsonResponse:
    """The SMS / WhatsApp webhook without the HTTP request object (the development page calls it too)."""
    refused = _verified(channel, headers, body, "message")
    if refused is not None:
        return refused
    payload = _decode(body, content_type)
    if not isinstance(payload, Mapping):
        return _error(400, "bad_payload")
    fmt = {**DEFAULT_INBOUND_FORMAT, **(signing.channel_config(channel).get("inbound_format") or {})}
    gateway_id, sender, text = (_dig(payload, fmt[k]) for k in ("id_field", "from_field", "text_field"))
    if gateway_id in (None, "") or sender in (None, ""):
        return _error(400, "missing_fields")
    try:
        result = handle_inbound(channel=channel, gateway_message_id=str(gateway_id), sender=str(sender),
                                text="" if text is None else str(text))
    except Exception:  # nothing was kept (one transaction): the gateway's retry will try again
        logger.exception("inbound %s message %s failed", channel, gateway_id)
        return _error(503, "try_again")
    return JsonResponse({"ok": True, "reply": result.reply, "queued": result.queued,
                         "duplicate": result.duplicate})


@csrf_exempt
@require_POST
@sessionless
def sms_webhook(request: HttpRequest) -> HttpResponse:
    return process_message("sms", request.headers, request.body, request.content_type or "")


@csrf_exempt
@require_POST
@sessionless
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    return process_message("whatsapp", request.headers, request.body, request.content_type or "")


@csrf_exempt
@require_POST
@sessionless
def email_webhook(request: HttpRequest) -> HttpResponse:
    """The raw RFC 822 message as the request body (any content type), signed like the SMS webhook."""
    refused = _verified("email", request.headers, request.body, "email")
    if refused is not None:
        return refused
    try:
        result = handle_inbound_email(raw=request.body)
    except BadEmail:
        return _error(400, "bad_email")
    except Exception:
        logger.exception("inbound e-mail failed")
        return _error(503, "try_again")
    return JsonResponse({"ok": True, "queued": result.queued, "duplicate": result.duplicate,
                         "case": result.inbound.case.tracking_code if result.inbound.case_id else None})


def _receipts(request: HttpRequest, channel: str) -> HttpResponse:
    refused = _verified(channel, request.headers, request.body, "receipt", purpose="receipt")
    if refused is not None:
        return refused
    payload = _decode(request.body, request.content_type or "")
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, Mapping) for item in items):
        return _error(400, "bad_payload")
    config = gateway_config(channel)
    known = ignored = 0
    for item in items[:1000]:
        receipt = parse_receipt(config, item)
        if receipt is None:
            ignored += 1
            continue
        message = record_receipt(gateway_message_id=receipt.gateway_message_id, status=receipt.status,
                                 at=receipt.at, error=receipt.error)
        known += message is not None
    return JsonResponse({"ok": True, "recorded": known, "ignored": ignored})


@csrf_exempt
@require_POST
@sessionless
def sms_receipts(request: HttpRequest) -> HttpResponse:
    return _receipts(request, "sms")


@csrf_exempt
@require_POST
@sessionless
def whatsapp_receipts(request: HttpRequest) -> HttpResponse:
    return _receipts(request, "whatsapp")


# --------------------------------------------------------------------------------------------------
# development gateway page


# Headers a reverse proxy adds: a request carrying one was relayed, so its loopback REMOTE_ADDR is the proxy's.
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP", "HTTP_X_FORWARDED_HOST")


def dev_enabled() -> bool:
    """The development page exists in demo mode only, never in production (ADR 0017)."""
    return bool(getattr(settings, "DEMO_MODE", False) and not getattr(settings, "PRODUCTION", False))


def from_this_machine(request: HttpRequest) -> bool:
    """True for a request that came straight from a loopback address. Deliberately not `balai.net`:
    no proxy header is believed here, and a request relayed by a proxy on this machine is refused."""
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR") or "").is_loopback
    except ValueError:
        return False
    return loopback and not any(request.META.get(header) for header in _PROXY_HEADERS)


@require_http_methods(["GET", "POST"])
def dev_messages(request: HttpRequest) -> HttpResponse:
    """/dev/pesan/: what the development gateway "sent", and a form to simulate a citizen's reply.

    It lists one-time codes and full phone numbers: demo mode and this machine only.
    """
    if not dev_enabled() or not from_this_machine(request):
        raise Http404
    form = SimulateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        inbound_id = simulate(channel=form.cleaned_data["channel"], phone=form.cleaned_data["phone"],
                              text=form.cleaned_data["text"])
        return redirect(f"{request.path}?masuk={inbound_id}" if inbound_id else request.path)
    last = None
    if (request.GET.get("masuk") or "").isdigit():
        last = inbound_message(int(request.GET["masuk"]))
    rows = recent_dev_messages(limit=100)
    return render(request, "channels/dev_messages.html", {"form": form, "rows": rows, "last": last},
                  status=400 if form.errors else 200)


def simulate(*, channel: str, phone: str, text: str) -> int | None:
    """Record a simulated citizen message and feed it, signed, to the real webhook handler."""
    dev = simulate_inbound(channel=channel, address=phone, body=text)
    fmt = {**DEFAULT_INBOUND_FORMAT, **(signing.channel_config(channel).get("inbound_format") or {})}
    payload: dict[str, Any] = {}
    for key, value in ((fmt["id_field"], f"dev-in-{dev.pk}"), (fmt["from_field"], phone), (fmt["text_field"], text)):
        node = payload
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    body = json.dumps(payload).encode()
    response = process_message(channel, signing.signed_headers(channel, body), body, "application/json")
    if response.status_code != 200:
        logger.warning("simulated %s message refused: %s", channel, response.content[:200])
        return None
    inbound = inbound_by_gateway_id(channel, f"dev-in-{dev.pk}")
    return inbound.pk if inbound else None
