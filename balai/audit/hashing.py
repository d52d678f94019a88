"""Canonical serialisation and hashing of audit records (ADR 0005).

The hash of a record is sha256 over canonical JSON (sorted keys, no whitespace, UTF-8) of the previous
record's hash and the record's own fields. Datetimes are written in UTC ISO 8601 with microseconds, so
the same record hashes the same on SQLite and PostgreSQL. The row id is NOT hashed (it is unknown until
the row is inserted); order is proven by each record carrying the previous hash instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

# prev_hash of the first record of the chain.
GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace; refuses NaN/Infinity (not valid JSON, not stable)."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        cls=DjangoJSONEncoder,
    )


def normalize_data(data: Mapping[str, object] | None) -> dict:
    """The JSON value as it will be read back from the database (dates become strings, tuples lists)."""
    return json.loads(canonical_json(data or {}))


def utc_iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def record_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    data: dict,
) -> str:
    payload = {
        "prev_hash": prev_hash,
        "at": utc_iso(at),
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": data,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
