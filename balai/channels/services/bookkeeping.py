"""The inbound messages' bookkeeping: the only writes of `InboundMessage` (ADR 0030), each message once per
gateway id, its row written last with the question it leaves open (ADR 0042, "One transaction")."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, connections, router, transaction

from balai.cases.models import Case
from balai.channels.models import Conversation, InboundMessage
from balai.channels.selectors import inbound_by_gateway_id
from balai.notify.models import Message
from balai.rows import insert_statement, inserted


def record_inbound(*, channel: str, gateway_message_id: str, sender: str, body: str, received_at: datetime,
                   subject: str = "", language: str | None = None) -> tuple[InboundMessage, bool]:
    """(the row, True) for a message not seen before; (the stored row, False) when the gateway delivers the
    same message id again. Call inside a transaction: the row and what the message causes commit together."""
    fields = {"sender": sender, "subject": subject[:200], "body": body, "received_at": received_at}
    if language is not None:
        fields["language"] = language
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(channel=channel, gateway_message_id=gateway_message_id[:190],
                                                 **fields), True
    except IntegrityError:
        existing = inbound_by_gateway_id(channel, gateway_message_id)
        if existing is None:  # pragma: no cover - the unique constraint names exactly this row
            raise
        return existing, False


def finish_inbound(inbound: InboundMessage, *, outcome: str, detail: str, language: str, case: Case | None,
                   reply: str, reply_message: Message | None, command: str | None = None,
                   question: Conversation | None = None) -> InboundMessage:
    """Store what a message caused and what it was answered. An unsaved `inbound` (the SMS webhook's) is
    inserted, with `question` (what Balai now asks the sender, replacing an older question) in the same
    statement on PostgreSQL; a saved one (an e-mail's, recorded first) is updated."""
    if command is not None:
        inbound.command = command
    inbound.outcome = outcome
    inbound.detail = detail[:60]
    inbound.language = language
    inbound.case = case
    inbound.reply = reply
    inbound.reply_message = reply_message
    if inbound.pk is None:
        _insert_inbound(inbound, question)
    else:
        if question is not None:  # pragma: no cover - only the SMS webhook asks questions
            raise ValueError("a question is written with a new message's row only")
        inbound.save()
    return inbound


# The columns a new question replaces in the sender's older one on that channel (`conversation_once`).
_QUESTION_UPSERT = (("channel", "sender"), ("state", "data", "case", "expires_at"))


def _insert_inbound(inbound: InboundMessage, question: Conversation | None) -> None:
    """Write the message's row and the question it leaves open, the row last (ADR 0042, "One
    transaction": a gateway's retry fails here, on the unique message id, and everything is undone). On
    PostgreSQL both are one statement (the question's upsert in a WITH); elsewhere two. The statements are
    `balai.rows`' (built once per process, ADR 0048)."""
    alias = router.db_for_write(InboundMessage)
    connection = connections[alias]
    sql, params = insert_statement(inbound, using=alias)
    with connection.cursor() as cursor:
        if question is not None:
            asked, asked_params = insert_statement(question, using=alias, returning=False, upsert=_QUESTION_UPSERT)
            if connection.vendor == "postgresql":
                sql, params = f"WITH question AS ({asked}) {sql}", asked_params + params
            else:
                cursor.execute(asked, asked_params)
        cursor.execute(sql, params)
        inserted(inbound, cursor.fetchone()[0], using=alias)


def forget_inbound_before(cutoff: datetime, *, batch: int) -> int:
    """Delete the inbound messages received before `cutoff`, `batch` rows at a time; returns how many."""
    deleted = 0
    while True:
        ids = list(InboundMessage.objects.filter(received_at__lt=cutoff).order_by("received_at")
                   .values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += InboundMessage.objects.filter(pk__in=ids).delete()[0]
