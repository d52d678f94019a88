"""One middleware, first in the chain: a request id, one log line and the request metrics (ADR 0023).

It sits first so its timing covers every other middleware and so the request id is set before anything
logs. The route is the URL pattern's *name* (`portal:case_status`), never the path: paths hold tracking
codes, and a label per path would also explode the number of time series.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import resolve

from balai.ops import metrics
from balai.ops.logs import REQUEST_ID, new_request_id, valid_request_id

logger = logging.getLogger("balai.request")

UNMATCHED = "<unmatched>"  # no URL pattern matched (404 before any view)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(request: HttpRequest) -> str:
    """The matched URL pattern's namespaced name, or its pattern text when it has no name."""
    named = getattr(request, "route_name", None)
    if named:
        return str(named)  # answered before URL resolution by a middleware that knows the route (page cache)
    match = getattr(request, "resolver_match", None)
    if match is None:
        # Answered before URL resolution (a redirect): resolve here.
        try:
            match = resolve(request.path_info)
        except Http404:
            return UNMATCHED
    if match.url_name:
        return match.view_name
    return match.route or UNMATCHED


def request_id_for(request: HttpRequest) -> str:
    """The proxy's X-Request-ID when trusted and well-formed (one id across proxy and app logs), else new."""
    if getattr(settings, "BALAI_REQUEST_ID_FROM_PROXY", False):
        offered = request.headers.get("X-Request-ID", "")
        if valid_request_id(offered):
            return offered
    return new_request_id()


class RequestObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            duration = time.perf_counter() - started
            route = route_of(request)
            method = request.method if request.method in METHODS else "OTHER"
            metrics.observe_request(route=route, method=method, status=status, seconds=duration)
            logger.info(
                "request",
                extra={"fields": {"method": method, "route": route, "status": status,
                                  "duration_ms": round(duration * 1000, 1)}},
            )
            REQUEST_ID.reset(token)
