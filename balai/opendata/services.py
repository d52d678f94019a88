"""Writes of the open-data face: the daily published head of the audit chain."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from balai.audit.selectors import chain_head
from balai.opendata.models import AuditHead


def record_audit_head(*, today: date | None = None) -> AuditHead:
    """Record today's head of the audit chain once (a later run the same day keeps the published row:
    a head, once published, never changes). The task runs hourly so a day is not missed when the worker was
    down at midnight.

    Published on /data/ and in /data/audit-heads.csv so that anyone can later check that the chain was not
    rewritten (ADR 0005).
    """
    now = timezone.now()
    day = today or timezone.localdate(now)
    count, last_hash = chain_head()
    head, _created = AuditHead.objects.get_or_create(
        recorded_on=day, defaults={"count": count, "last_hash": last_hash, "recorded_at": now})
    return head
