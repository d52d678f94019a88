"""Writes of the operations layer: the recorded verification of the audit chain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from balai.audit.services import ChainReport, audit_record, verify_chain
from balai.ops.selectors import AUDIT_VERIFIED, last_audit_verification


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    chain: ChainReport
    published_heads_ok: bool  # the newest published head is still a prefix of the chain


def published_head_holds() -> bool:
    """The newest head published on /data/ must still be in the chain: the record at position `count`
    (in id order) carries the published hash. False means history was rewritten or cut short."""
    from balai.audit.models import AuditRecord
    from balai.opendata.models import AuditHead

    head = AuditHead.objects.order_by("-recorded_on").values_list("count", "last_hash").first()
    if head is None or head[0] == 0:
        return True
    count, last_hash = head
    found = AuditRecord.objects.order_by("id").values_list("hash", flat=True)[count - 1:count]
    return list(found) == [last_hash]


def verify_audit_chain(*, actor_label: str = "system") -> VerificationResult:
    """Verify the whole chain (`balai.audit.services.verify_chain`) and the newest published head, and
    append the outcome to the chain itself (action `audit.chain_verified`), so the time and result of
    the last verification are evidence too and `/metrics` can report them."""
    report = verify_chain()
    heads_ok = published_head_holds()
    ok = report.ok and heads_ok
    with transaction.atomic():
        audit_record(
            action=AUDIT_VERIFIED,
            actor_label=actor_label,
            data={"ok": ok, "checked": report.checked, "head": report.head,
                  "first_bad_id": report.first_bad_id, "reason": report.reason,
                  "published_head_ok": heads_ok},
        )
    return VerificationResult(ok=ok, chain=report, published_heads_ok=heads_ok)


def verify_audit_chain_if_due(*, every: timedelta) -> VerificationResult | None:
    """Run `verify_audit_chain` unless a verification was recorded less than `every` ago (several
    workers and restarts then still verify about once per period)."""
    last = last_audit_verification()
    if last is not None and timezone.now() - last.at < every:
        return None
    return verify_audit_chain()
