"""The client's network address, for every per-address limit (one-time codes, look-ups, submissions,
sign-in lockout, API throttling).

Behind a reverse proxy every request arrives from the proxy's address, so a limit keyed on
`REMOTE_ADDR` would count all citizens together. `settings.BALAI_TRUSTED_PROXIES` (from the environment
variable of the same name: addresses or CIDR networks, comma-separated) names the proxies whose
`X-Forwarded-For` Balai believes. The client is the right-most address in that header that is not a
trusted proxy, and the header is read only when the request itself comes from a trusted proxy: a client
talking to Balai directly cannot choose its address by sending the header. Without the setting,
`REMOTE_ADDR` is the client, as it always was. ADR 0017.

Limits count IPv4 clients per address and IPv6 clients per /64 (`rate_limit_key`): one IPv6 subscriber
usually holds a whole /64 and could otherwise draw a fresh address for every try.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

UNKNOWN = "unknown"
FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
# Nobody needs more hops than this; a longer header is read from the right up to this many entries.
MAX_HOPS = 20
IPV6_LIMIT_PREFIX = 64


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Addresses and CIDR networks ("127.0.0.1", "10.0.0.0/8", "fd00::/8"); ValueError on a bad entry."""
    networks = []
    for raw in values:
        text = raw.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {text!r}") from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(values)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "BALAI_TRUSTED_PROXIES", None) or ()))


def parse_address(text: str) -> IPAddress | None:
    """An address as proxies write it ("203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443",
    "2001:db8::1"); IPv4-mapped IPv6 becomes IPv4. None for anything else."""
    value = text.strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # IPv4 with a port (IPv6 has at least two colons)
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request` (see the module's docstring), "unknown" when the
    server gave none."""
    remote_raw = request.META.get("REMOTE_ADDR") or ""
    remote = parse_address(remote_raw)
    if remote is None:
        return remote_raw.strip() or UNKNOWN
    proxies = trusted_proxies()
    if not proxies or not _is_trusted(remote, proxies):
        return str(remote)
    hops = [part for part in str(request.META.get(FORWARDED_FOR, "")).split(",") if part.strip()]
    nearest = remote
    for raw in reversed(hops[-MAX_HOPS:]):
        address = parse_address(raw)
        if address is None:
            # A trusted proxy writes addresses only: what is left of here came from the client.
            break
        if not _is_trusted(address, proxies):
            return str(address)
        nearest = address
    # Only trusted proxies (an internal caller), or garbage next to them: the furthest proxy we believe.
    return str(nearest)


def rate_limit_key(ip: str) -> str:
    """What a per-address limit counts: the IPv4 address itself, the /64 network of an IPv6 address;
    anything that is not an address ("unknown") unchanged."""
    address = parse_address(ip)
    if address is None:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_LIMIT_PREFIX}", strict=False))
    return str(address)


def lockout_address(request: HttpRequest) -> str | None:
    """The sign-in lockout's address (django-axes' `AXES_CLIENT_IP_CALLABLE`): like `rate_limit_key`, but
    an IPv6 /64 is given as its first address and no address as None, because axes stores the value in an
    IP-address column."""
    key = rate_limit_key(client_ip(request))
    if parse_address(key.partition("/")[0]) is None:
        return None
    return key.partition("/")[0]


def insecure_url(url: str) -> bool:
    """True for a URL that would carry credentials in clear text over a network: plain http:// to
    anything but this machine (a local gateway daemon on 127.0.0.1 is fine), or no http(s) at all."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme == "https":
        return False
    if parts.scheme != "http":
        return True
    host = (parts.hostname or "").lower()
    if host == "localhost":
        return False
    address = parse_address(host)
    return address is None or not address.is_loopback
