"""Reads of the channels' own bookkeeping, the inbound messages. ADR 0030: a face's own models are queried
only here and in `services.py`, and written only in `services.py`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

from django.db import connections, router

from balai.channels.models import Conversation, InboundMessage


def inbound_message(pk: int) -> InboundMessage | None:
    return InboundMessage.objects.filter(pk=pk).first()


def inbound_by_gateway_id(channel: str, gateway_message_id: str) -> InboundMessage | None:
    """The message a gateway delivered under this id on `channel`, or None."""
    return InboundMessage.objects.filter(channel=channel, gateway_message_id=gateway_message_id[:190]).first()


@cache
def _count_sql(alias: str, windows: int, excluding: bool) -> str:
    quote = connections[alias].ops.quote_name
    meta = InboundMessage._meta
    table, pk, sender, received = (quote(meta.db_table), *(quote(meta.get_field(f).column)
                                                         for f in ("id", "sender", "received_at")))
    counts = ", ".join([f"COUNT(CASE WHEN {received} > %s THEN 1 END)"] * windows)
    where = f"{sender} = %s AND {received} > %s" + (f" AND {pk} <> %s" if excluding else "")
    return f"SELECT {counts} FROM {table} WHERE {where}"  # noqa: S608 # nosec B608 # model names, placeholders


def inbound_counts_since(sender: str, since: Sequence[datetime], *, excluding: int | None = None) -> list[int]:
    """For each time in `since`: how many messages from `sender` came after it (leaving out the row
    `excluding`), all in one statement. It runs before every SMS is interpreted (the rate limit), so it is
    plain SQL built once per process: no queryset to compile."""
    if not since:
        return []
    alias = router.db_for_read(InboundMessage)
    connection = connections[alias]
    adapt = connection.ops.adapt_datetimefield_value
    params: list[object] = [adapt(moment) for moment in since]
    params += [sender, adapt(min(since))]
    if excluding is not None:
        params.append(excluding)
    with connection.cursor() as cursor:
        cursor.execute(_count_sql(alias, len(since), excluding is not None), params)
        return [int(count or 0) for count in cursor.fetchone()]


def conversation_for(channel: str, sender: str, *, now: datetime) -> Conversation | None:
    """The question Balai asked this sender on `channel` and still waits for, or None."""
    return (Conversation.objects.filter(channel=channel, sender=sender, expires_at__gt=now)
            .select_related("case").first())
