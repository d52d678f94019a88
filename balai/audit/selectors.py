"""Reads of the audit chain."""

from __future__ import annotations

from django.db.models import Count, Max

from balai.audit.hashing import GENESIS_HASH
from balai.audit.models import AuditRecord


def chain_head() -> tuple[int, str]:
    """(number of records, hash of the newest record); (0, GENESIS_HASH) for an empty chain.

    Published daily so anyone can later check that history was not rewritten (ADR 0005).
    Count and newest id come from one statement, so the pair is consistent under concurrent appends.
    """
    head = AuditRecord.objects.aggregate(count=Count("id"), last_id=Max("id"))
    if not head["last_id"]:
        return 0, GENESIS_HASH
    last_hash = AuditRecord.objects.filter(pk=head["last_id"]).values_list("hash", flat=True).get()
    return head["count"], last_hash
