"""How long inbound SMS, WhatsApp and e-mail messages are kept (UU PDP: no longer than needed).

An `InboundMessage` holds the sender's number or address and the raw text. It is needed for a short
while: to answer a gateway's retry with the same reply (idempotency), for the per-sender rate limit (at
most a day back) and for staff looking into a delivery problem. What a message caused lives on in the
case itself (its description, timeline and channel). So after `settings.BALAI_INBOUND_RETENTION_DAYS`
(default 90) the message is deleted, by the hourly job `balai.channels.tasks.forget_inbound_messages`.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from balai.channels.services import forget_inbound_before, rate_limits

DEFAULT_RETENTION_DAYS = 90
BATCH = 5000


def retention_days() -> int:
    """The configured period, but never shorter than the rate limit's longest window plus a day (the
    limit counts these rows; gateways retry for hours)."""
    longest = max((window for window, _count in rate_limits()), default=0)
    floor = math.ceil(longest / 86400) + 1
    return max(floor, int(getattr(settings, "BALAI_INBOUND_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)))


def forget_old_messages(*, now: datetime | None = None) -> int:
    """Delete inbound messages received before the retention period; returns how many (in batches)."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    return forget_inbound_before(cutoff, batch=BATCH)
