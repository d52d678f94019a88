"""Reads of public figures and open data from a streaming replica, everything else from the primary
(ADR 0022). Active only when `DATABASE_REPLICA_URL` is set (settings add the alias, this router and
`ReplicaRoutingMiddleware`).

The rule is opt-in and per request: a GET or HEAD of a path in `settings.BALAI_REPLICA_PATHS` reads from
the replica, unless
- the same request has written anything (from then on it reads its own writes on the primary), or
- the visitor wrote something in the last `BALAI_REPLICA_PIN_SECONDS` (a cookie set on the response of
  any request that wrote), so nobody sees a page older than what they just did.
Jobs, commands and every other page read from the primary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "balai_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass
class _Route:
    replica_allowed: bool
    wrote: bool = False


_route: ContextVar[_Route | None] = ContextVar("balai_db_route", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reads_from_replica(request: HttpRequest) -> bool:
    """Whether this request may read from the replica (before it writes anything)."""
    return (replica_configured() and request.method in ("GET", "HEAD") and PIN_COOKIE not in request.COOKIES
            and request.path.startswith(tuple(getattr(settings, "BALAI_REPLICA_PATHS", ()))))


@contextmanager
def on_primary() -> Iterator[None]:
    """Reads and writes inside go to the primary and do not count as this request's writes (the page
    cache's table, ADR 0044: keeping a page is not something the visitor did)."""
    token = _route.set(None)
    try:
        yield
    finally:
        _route.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        route = _route.get()
        if route is not None and route.replica_allowed and not route.wrote:
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints) -> str:
        route = _route.get()
        if route is not None:
            route.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY  # the replica follows the primary's schema by replication


def _streamed(content: Iterable[bytes], route: _Route) -> Iterator[bytes]:
    # A streamed response (the open-data CSV) runs its queries after the view returned.
    token = _route.set(route)
    try:
        yield from content
    finally:
        _route.reset(token)


class ReplicaRoutingMiddleware:
    """Decides per request where reads go; pins a visitor who wrote to the primary for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        route = _Route(replica_allowed=reads_from_replica(request))
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if getattr(response, "streaming", False):
            response.streaming_content = _streamed(response.streaming_content, route)  # type: ignore[attr-defined]  # a StreamingHttpResponse
        if route.wrote or request.method not in SAFE_METHODS:
            response.set_cookie(PIN_COOKIE, "1", max_age=settings.BALAI_REPLICA_PIN_SECONDS, httponly=True,
                                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
