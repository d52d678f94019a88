"""HTTP probes of the registry's applications for the status page (docs/regulations.md §13).

An ordinary GET from the worker with a strict timeout. Every address a host name resolves to must be
public unless allow-listed in `BALAI_PROBE_ALLOWED_HOSTS`; redirects are followed for at most
`MAX_HOPS` hops, each hop vetted again (`balai.outbound`, ADR 0020), so a public address cannot bounce the
probe into the data centre. For https the certificate is checked and its expiry recorded. The body is read
up to `MAX_BODY` bytes to look for the optional keyword.
"""

from __future__ import annotations

import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from balai.outbound import ForbiddenTarget, probe_opener, vetted_addresses

MAX_HOPS = 3
MAX_BODY = 256 * 1024
USER_AGENT = "Balai-status-probe/1"


@dataclass(frozen=True)
class Outcome:
    is_up: bool
    status_code: int | None
    response_ms: int | None
    error: str = ""
    cert_expires_at: datetime | None = None


def _cert_expiry(host: str, port: int, *, allowed: Sequence[str], timeout: float) -> datetime | None:
    """notAfter of the verified certificate of host:port (raises ssl.SSLError for a bad certificate)."""
    family, sockaddr = vetted_addresses(host, port, allowed)[0]
    context = ssl.create_default_context()
    with socket.create_connection(sockaddr[:2], timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            cert = tls.getpeercert() or {}
    not_after = cert.get("notAfter")
    if not isinstance(not_after, str) or not not_after:
        return None
    return datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), tz=UTC)


def probe(url: str, *, keyword: str = "", timeout: float = 5.0, allowed: Sequence[str] = (),
          slow_ms: int | None = None) -> Outcome:
    """Check `url` once. Up: a 2xx answer (after at most MAX_HOPS vetted redirects) holding `keyword`
    when one is given, within `timeout` seconds."""
    opener = probe_opener(allowed)
    started = time.monotonic()
    current = url
    cert: datetime | None = None
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Outcome(False, None, None, "not an http(s) address")
        if parts.scheme == "https":
            cert = _cert_expiry(parts.hostname, parts.port or 443, allowed=allowed, timeout=timeout)
        for _hop in range(MAX_HOPS + 1):
            request = urllib.request.Request(current, headers={"User-Agent": USER_AGENT})  # noqa: S310
            try:
                with opener.open(request, timeout=timeout) as response:  # nosec B310
                    body = response.read(MAX_BODY) if keyword else b""
                    code = response.status
            except urllib.error.HTTPError as exc:
                if 300 <= exc.code < 400 and exc.headers.get("Location"):
                    nxt = urllib.parse.urljoin(current, exc.headers["Location"])
                    if urllib.parse.urlsplit(nxt).scheme not in ("http", "https"):
                        return Outcome(False, exc.code, _ms(started), "redirect to a non-http address", cert)
                    current = nxt
                    continue
                return Outcome(False, exc.code, _ms(started), f"HTTP {exc.code}", cert)
            elapsed = _ms(started)
            if keyword and keyword.lower().encode() not in body.lower():
                return Outcome(False, code, elapsed, "keyword not found", cert)
            return Outcome(True, code, elapsed, "", cert)
        return Outcome(False, None, _ms(started), "too many redirects", cert)
    except ForbiddenTarget as exc:
        return Outcome(False, None, None, f"refused: {exc}"[:200], cert)
    except ssl.SSLError as exc:
        return Outcome(False, None, _ms(started), f"certificate not valid: {exc.reason or exc}"[:200], cert)
    except TimeoutError:
        return Outcome(False, None, _ms(started), "timed out", cert)
    except (OSError, urllib.error.URLError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError | socket.timeout):
            return Outcome(False, None, _ms(started), "timed out", cert)
        if isinstance(reason, ssl.SSLError):
            return Outcome(False, None, _ms(started), f"certificate not valid: {reason}"[:200], cert)
        return Outcome(False, None, _ms(started), f"no connection: {reason}"[:200], cert)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
