"""Reads of the API face's own bookkeeping: staff tokens (ADR 0030 §2)."""

from __future__ import annotations

import hmac

from balai.api.models import StaffToken
from balai.api.services import STAFF_TOKEN_PREFIX
from balai.people.services import hash_api_key


def staff_token_for_key(key: str) -> StaffToken | None:
    """The active token holding `key` whose user is an active staff member, or None."""
    parts = (key or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != STAFF_TOKEN_PREFIX:
        return None
    token = (
        StaffToken.objects.select_related("user")
        .filter(key_prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_api_key(key.strip())):
        return None
    if not token.is_active or not token.user.is_active or not token.user.is_staff:
        return None
    return token
