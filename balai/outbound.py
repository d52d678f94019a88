"""Outbound HTTP safe against server-side request forgery (ADR 0020): Open311 forwarding, status probes.

A forwarding target is typed in by an administrator, and a compromised or mistaken one could point Balai
at the machines behind it (the database, a cloud metadata service at 169.254.169.254, an intranet). So:

- every address the host name resolves to must be public (``ipaddress``: not private, loopback,
  link-local, shared, reserved, multicast or unspecified; IPv4 inside IPv6 is unwrapped and checked
  too), unless the operator allow-listed the host or its network in ``BALAI_FORWARD_ALLOWED_HOSTS``;
- the connection goes to the address that was checked, never to a second resolution of the name, so a
  DNS answer that changes between check and connect (rebinding) gains nothing; TLS still checks the
  certificate against the host name;
- no redirect is followed (a public endpoint could otherwise bounce the request inward), no proxy from
  the environment is used, and only http and https exist.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from collections.abc import Callable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class ForbiddenTarget(Exception):  # noqa: N818 - reads as what it is: a target Balai must not reach
    """The endpoint resolves to an address Balai may not reach, or answered with a redirect."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str) -> bool:
    """True for an address on the public internet (and, for IPv6, whatever IPv4 address it carries)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a zone id ("fe80::1%eth0") is no part of it
    for candidate in (ip, _embedded_ipv4(ip)):
        if candidate is None:
            continue
        if not candidate.is_global or candidate.is_multicast or candidate.is_reserved:
            return False
    return True


def is_allow_listed(host: str, address: str, allowed: Sequence[str]) -> bool:
    """True when the operator allow-listed the host name, the address or a network holding it."""
    name = host.lower().rstrip(".")
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    for entry in allowed:
        entry = entry.strip().lower().rstrip(".")
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            if name == entry:
                return True
            continue
        if ip.version == network.version and ip in network:
            return True
    return False


def vetted_addresses(host: str, port: int, allowed: Sequence[str]) -> list[tuple[int, tuple]]:
    """(family, socket address) for each address of `host`; raises ForbiddenTarget if ANY of them is
    not public and not allow-listed (one bad answer among good ones is how rebinding attacks start)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}: {exc}") from exc
    if not infos:
        raise ForbiddenTarget(f"{host} has no address")
    out: list[tuple[int, tuple]] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0])
        if not (is_public_address(address) or is_allow_listed(host, address, allowed)):
            raise ForbiddenTarget(f"{host} resolves to {address}, which is not a public address")
        out.append((int(family), tuple(sockaddr)))
    return out


def _connector(allowed: Sequence[str]) -> Callable[..., socket.socket]:
    def create_connection(address: tuple[str, int], timeout: float | None = None, source_address=None,
                          *args, **kwargs) -> socket.socket:
        host, port = address
        last: OSError | None = None
        for _family, sockaddr in vetted_addresses(host, port, allowed):
            try:
                # The literal address checked above: no second look-up between the check and the connect.
                return socket.create_connection(sockaddr[:2], timeout, source_address)
            except OSError as exc:
                last = exc
        raise last or OSError(f"cannot connect to {host}")

    return create_connection


def _connection_class(base: type[http.client.HTTPConnection], allowed: Sequence[str]):
    def factory(host: str, **kwargs) -> http.client.HTTPConnection:
        connection = base(host, **kwargs)
        connection._create_connection = _connector(allowed)  # type: ignore[attr-defined]
        return connection

    return factory


class _VettedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__()
        self.allowed = tuple(allowed)

    def http_open(self, req):
        return self.do_open(_connection_class(http.client.HTTPConnection, self.allowed), req)


class _VettedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allowed: Sequence[str]) -> None:
        super().__init__()
        self.allowed = tuple(allowed)

    def https_open(self, req):
        return self.do_open(_connection_class(http.client.HTTPSConnection, self.allowed), req,
                            context=self._context)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise ForbiddenTarget(f"the endpoint answered with a redirect ({code}); redirects are not followed")


def opener(allowed: Sequence[str]) -> urllib.request.OpenerDirector:
    """An opener for http(s) only: vetted addresses, no redirects, no proxies, errors as HTTPError."""
    director = urllib.request.OpenerDirector()
    for handler in (_VettedHTTPHandler(allowed), _VettedHTTPSHandler(allowed), _NoRedirects(),
                    urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.UnknownHandler()):
        director.add_handler(handler)
    return director


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # not followed here: the caller sees the 3xx and vets the next hop itself


def probe_opener(allowed: Sequence[str]) -> urllib.request.OpenerDirector:
    """Like `opener`, but a redirect comes back as an HTTPError with its Location (status probes follow a
    few hops themselves, each one vetted again)."""
    director = urllib.request.OpenerDirector()
    for handler in (_VettedHTTPHandler(allowed), _VettedHTTPSHandler(allowed), _KeepRedirects(),
                    urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler(),
                    urllib.request.UnknownHandler()):
        director.add_handler(handler)
    return director
