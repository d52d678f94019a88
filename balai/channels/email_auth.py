"""Is an inbound e-mail really from the domain in its `From:`? The mail gateway's verdict (ADR 0018).

Balai does not check SPF, DKIM or DMARC itself: the mail gateway that receives the message from the
internet does, and records the outcome in an `Authentication-Results` header (RFC 8601) under its own
name, the authserv-id, before it POSTs the message to /kanal/email/. The contract:

- `BALAI_EMAIL_INBOUND["authserv_id"]` names the gateway (a string, or a list of them). Without it no
  header is believed, and only replies to a keyed reply address are accepted as a citizen's reply.
- The gateway adds its header at the top and removes (or renames) any header carrying its authserv-id
  that came with the message (RFC 8601 section 5). Balai reads only the top-most header with a trusted
  authserv-id; one the sender wrote further down is never reached.
- The message passes when that header says `dmarc=pass` (for the From domain, if `header.from` is
  given), or `dkim=pass` with `header.d`, or `spf=pass` with `smtp.mailfrom`, aligned with the From
  domain (the same domain or a parent of it: DMARC's relaxed alignment, read strictly). An unaligned pass
  proves only that someone controls *some* domain, not the citizen's.

Parsing uses `authres`, the RFC 8601 parser maintained with dkimpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import authres
from django.conf import settings

HEADER = "Authentication-Results"


@dataclass(frozen=True)
class Verdict:
    passed: bool
    method: str = ""  # what passed: "dmarc" | "dkim" | "spf"
    reason: str = ""  # why not (short, for the log and the inbound message's detail)


def trusted_authserv_ids() -> set[str]:
    value = (getattr(settings, "BALAI_EMAIL_INBOUND", None) or {}).get("authserv_id") or []
    values = [value] if isinstance(value, str) else list(value)
    return {str(v).strip().lower() for v in values if str(v).strip()}


def _domain(value: str) -> str:
    return (value or "").strip().strip("<>").rpartition("@")[2].strip().rstrip(".").lower()


def aligned(domain: str, from_domain: str) -> bool:
    """The authenticated domain is the From domain or a parent of it (mail.example.id → example.id)."""
    domain, from_domain = _domain(domain), _domain(from_domain)
    return bool(domain) and "." in domain and (from_domain == domain or from_domain.endswith("." + domain))


def _authserv_id(value: str) -> str:
    """The authserv-id of a header we could not parse: enough to know whether it was our gateway's."""
    return value.split(";", 1)[0].strip().split(" ", 1)[0].lower()


def _property(result, ptype: str, name: str) -> str:
    for prop in result.properties or []:
        if (prop.type or "").lower() == ptype and (prop.name or "").lower() == name:
            return str(prop.value or "")
    return ""


def verdict(*, header_values: list[str], from_address: str) -> Verdict:
    """The verdict of the trusted gateway on a message with these `Authentication-Results` values (in
    message order: the top-most first) and this From address."""
    trusted = trusted_authserv_ids()
    if not trusted:
        return Verdict(False, reason="no authserv_id configured")
    from_domain = _domain(from_address)
    for raw in header_values:
        value = " ".join(str(raw).split())
        try:
            parsed = authres.AuthenticationResultsHeader.parse_value(value)
        except (authres.AuthResError, ValueError, IndexError):
            if _authserv_id(value) in trusted:
                return Verdict(False, reason="unreadable gateway header")
            continue
        if str(parsed.authserv_id or "").lower() not in trusted:
            continue
        return _judge(parsed.results or [], from_domain)
    return Verdict(False, reason="no gateway header")


def _judge(results, from_domain: str) -> Verdict:
    for result in results:
        if (result.result or "").lower() != "pass":
            continue
        method = (result.method or "").lower()
        if method == "dmarc":
            header_from = _property(result, "header", "from")
            if not header_from or _domain(header_from) == from_domain:
                return Verdict(True, "dmarc")
        elif method == "dkim":
            signer = _property(result, "header", "d") or _property(result, "header", "i")
            if aligned(signer, from_domain):
                return Verdict(True, "dkim")
        elif method == "spf":
            if aligned(_property(result, "smtp", "mailfrom"), from_domain):
                return Verdict(True, "spf")
    return Verdict(False, reason="not authenticated")
