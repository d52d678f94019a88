"""Reads of the open-data face's own bookkeeping: the published heads of the audit chain (ADR 0030 §2)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from balai.opendata.models import AuditHead


def latest_audit_head() -> AuditHead | None:
    """The newest published head, or None before the first one."""
    return AuditHead.objects.order_by("-recorded_on").first()


def latest_audit_head_moment() -> datetime | None:
    return AuditHead.objects.order_by("-recorded_on").values_list("recorded_at", flat=True).first()


def audit_heads(*, chunk_size: int) -> Iterator[tuple[date, int, str]]:
    """(day, count, hash) of every published head, oldest first, read in chunks."""
    return AuditHead.objects.order_by("recorded_on").values_list(
        "recorded_on", "count", "last_hash").iterator(chunk_size=chunk_size)
