"""`GET /metrics`: reachable only from the addresses in `BALAI_METRICS_ALLOWED` (CIDRs) or with the bearer
token `BALAI_METRICS_TOKEN`; anyone else gets the ordinary 404 page, as if nothing were there (ADR 0023).

An address is trusted only for a request that did not pass a proxy: behind nginx every visitor arrives
from the proxy's address, so a request carrying forwarding headers must bring the token.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from balai.ops import metrics

FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def token_ok(request: HttpRequest) -> bool:
    expected = getattr(settings, "BALAI_METRICS_TOKEN", "") or ""
    if not expected:
        return False
    scheme, _sep, offered = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not offered:
        return False
    return hmac.compare_digest(offered.strip().encode(), expected.encode())


def address_ok(request: HttpRequest) -> bool:
    allowed = tuple(getattr(settings, "BALAI_METRICS_ALLOWED", []) or [])
    if not allowed or any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(allowed))


def may_scrape(request: HttpRequest) -> bool:
    return token_ok(request) or address_ok(request)


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):  # checked first: a 405 would tell a stranger that something is here
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)
