"""What an inbound SMS or WhatsApp message does (ADR 0011). Webhooks verify and parse, then call here.

`handle_inbound` is idempotent on (channel, gateway message id): a retried delivery returns the stored
reply and does nothing else. Every message gets a reply (never silence), written to the outbox in the same
transaction as what it caused: the engine's own message when the command changed a case (the receipt of
a new complaint, "reply received"), else a keyword reply (`balai.channels.texts`). A sender over the rate
limit gets one polite reply per window; further messages in that window are recorded and answered only
in the HTTP response (no paid message, no loop with an auto-responder).

This module reads a message and dispatches it (`HANDLERS`); what the commands do lives beside it:
`reports` (LAPOR and free text, the triage queue), `conversation` (the category list and the questions
Balai asks), `case_commands` (CEK, BALAS, NILAI), `participation` (DUKUNG, USUL, PILIH), `rate_limit`,
and `bookkeeping` (the `InboundMessage` rows). The names other modules use are imported here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from balai.catalog.selectors import complaint_category_by_keyword, complaint_keywords
from balai.channels import grammar, texts
from balai.channels.models import Conversation, InboundMessage, Outcome
from balai.channels.replies import queue_reply, reply_mode
from balai.channels.selectors import conversation_for, inbound_by_gateway_id
from balai.channels.services.bookkeeping import finish_inbound, forget_inbound_before, record_inbound
from balai.channels.services.case_commands import _answer, _rate, _status, case_phones
from balai.channels.services.conversation import (
    _followup_answer,
    _menu,
    _question,
    category_by_number,
    menu_pages,
)
from balai.channels.services.outcome import InboundResult, _Context, _Outcome
from balai.channels.services.participation import PARTICIPATION_COMMANDS, _propose, _support, _vote
from balai.channels.services.rate_limit import _rate_limited, rate_limits
from balai.channels.services.reports import _file, _report, _unknown, needs_in, triage_category
from balai.people.phone import normalize_phone

__all__ = [
    "BODY_LIMIT", "HANDLERS", "InboundResult", "case_phones", "category_by_number", "finish_inbound",
    "forget_inbound_before", "handle_inbound", "menu_pages", "needs_in", "normalize_sender", "rate_limits",
    "record_inbound", "reply_mode", "triage_category",
]

BODY_LIMIT = 5000  # longer texts are cut: a concatenated SMS is at most ~1,600 characters anyway


def normalize_sender(raw: str) -> str:
    """E.164 for anything that reads as a phone number (foreign ones too), else the trimmed text."""
    text = (raw or "").strip()[:254]
    try:
        return normalize_phone(text, allow_foreign=True)
    except ValueError:
        return text


# --------------------------------------------------------------------------------------------------
# entry point


# How often a message's transaction is run again after a unique value drawn in it (a tracking code) collided.
ATTEMPTS = 3


def handle_inbound(*, channel: str, gateway_message_id: str, sender: str, text: str,
                   received_at: datetime | None = None) -> InboundResult:
    """Record, interpret and answer one inbound SMS / WhatsApp message, exactly once per gateway id.

    One transaction, without savepoints (ADR 0042, "One transaction"): the message's row is written last,
    with its outcome and reply, so a gateway's retry fails that INSERT on the unique message id, the whole
    transaction (a case it filed too) rolls back, and the stored answer is returned. Any other unique
    collision (a tracking code drawn twice) runs the transaction again."""
    if channel not in ("sms", "whatsapp"):
        raise ValueError(f"unknown channel {channel!r}")
    if not gateway_message_id or not sender:
        raise ValueError("gateway_message_id and sender are required")
    phone = normalize_sender(sender)
    now = received_at or timezone.now()
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                return _handle(channel=channel, gateway_message_id=gateway_message_id, phone=phone,
                               body=(text or "")[:BODY_LIMIT], now=now)
        except IntegrityError:
            stored = inbound_by_gateway_id(channel, gateway_message_id)
            if stored is not None:  # the gateway delivered this message before: nothing else is done
                return InboundResult(inbound=stored, reply=stored.reply,
                                     queued=stored.reply_message_id is not None, duplicate=True)
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _handle(*, channel: str, gateway_message_id: str, phone: str, body: str, now: datetime) -> InboundResult:
    inbound = InboundMessage(channel=channel, gateway_message_id=gateway_message_id[:190], sender=phone,
                             body=body, received_at=now)  # written by `_finish`, last
    limited = _rate_limited(inbound)
    command_name = None
    if limited is not None:
        result = limited
    else:
        command = grammar.parse(inbound.body)
        command_name = type(command).__name__.lower()
        if isinstance(command, grammar.Vote):  # the NIK is never kept in clear text (UU 27/2022)
            inbound.body = inbound.body.replace(command.nik, grammar.as_dict(command)["nik"])
        result = _execute(command, _Context(channel=channel, phone=phone, text=inbound.body, now=now))
    return _finish(inbound, result, channel=channel, recipient=phone, command=command_name)


def _finish(inbound: InboundMessage, result: _Outcome, *, channel: str, recipient: str,
            subject: str = "", command: str | None = None) -> InboundResult:
    message = result.message
    queued = message is not None
    outbox = reply_mode(channel) == "outbox"
    if message is None and result.reply and result.outcome != "silent" and outbox:
        message = queue_reply(channel=channel, recipient=recipient, language=result.language, body=result.reply,
                              subject=subject, case=result.case)
        queued = True
    if result.followup and not result.followup_written:
        if outbox:
            queue_reply(channel=channel, recipient=recipient, language=result.language, body=result.followup,
                        case=result.case)
        else:  # the gateway sends one text: the question follows the receipt in it
            result.reply = f"{result.reply}\n{result.followup}"
    finish_inbound(inbound, outcome=Outcome.RATE_LIMITED if result.outcome == "silent" else result.outcome,
                   detail=result.detail, language=result.language, case=result.case, reply=result.reply,
                   reply_message=message, command=command, question=result.question)
    return InboundResult(inbound=inbound, reply=result.reply, queued=queued)


# --------------------------------------------------------------------------------------------------
# dispatch: the answer to a question Balai asked, else the command's handler


def _execute(command: grammar.Command, ctx: _Context) -> _Outcome:
    """What a parsed message does: first the answer to a question Balai asked this sender (a number
    after the category list, a report's text, the place and publication answer), else the command's
    handler (`HANDLERS`)."""
    if isinstance(command, grammar.Unknown | grammar.Choice):
        conversation = conversation_for(ctx.channel, ctx.phone, now=ctx.now)
        if conversation is not None:
            answered = _continue(conversation, command, ctx)
            if answered is not None:
                return answered
    handler = HANDLERS.get(type(command))
    if handler is None:  # pragma: no cover - every command type has a handler
        raise TypeError(command)
    return handler(command, ctx)


def _help(command: grammar.Help, ctx: _Context) -> _Outcome:
    return _Outcome(Outcome.HELP, texts.sms_text("help", command.language), language=command.language)


def _continue(conversation: Conversation, command: grammar.Command, ctx: _Context) -> _Outcome | None:
    """The sender's answer to what Balai asked; None when the message is not an answer after all."""
    state = conversation.state
    if state == Conversation.State.MENU and isinstance(command, grammar.Choice):
        category = category_by_number(command.number)
        if category is None:
            return None
        if command.text:
            return _file(ctx, category=category, text=command.text, lang=command.language)
        lang = grammar.guess_language(ctx.text) if command.language == "en" else "id"
        return _Outcome(Outcome.HELP, texts.sms_text("ask_text", lang, category=category.keyword.upper()),
                        detail="menu:chosen", language=lang,
                        question=_question(ctx, Conversation.State.CATEGORY,
                                           data={"category": category.pk, "keyword": category.keyword}))
    if state == Conversation.State.CATEGORY and ctx.text.strip():
        category = complaint_category_by_keyword(str(conversation.data.get("keyword") or ""))
        if category is not None:
            return _file(ctx, category=category, text=ctx.text.strip(), lang=grammar.guess_language(ctx.text))
    if state == Conversation.State.FOLLOWUP and conversation.case_id:
        return _followup_answer(conversation, ctx)
    return None


# --------------------------------------------------------------------------------------------------
# usage replies for a command missing what it needs


def _categories_reply(lang: str) -> str:
    keywords = complaint_keywords()
    return texts.sms_text("categories", lang, categories=texts.fit_list(keywords, texts.LIMITS["categories"]),
                          example=keywords[0] if keywords else "JALAN")


def _invalid(command: grammar.Invalid, ctx: _Context) -> _Outcome:
    lang, error = command.language, command.error
    if error == "missing_category":  # pragma: no cover - the grammar answers a bare LAPOR with the list
        reply = _categories_reply(lang)
    elif error == "missing_text" and command.command == "report":
        keywords = complaint_keywords()
        reply = texts.sms_text("missing_text", lang, example=keywords[0] if keywords else "JALAN")
    elif error == "missing_text":
        reply = texts.sms_text("answer_missing_text", lang, code=command.code)
    elif error == "missing_code":
        reply = texts.sms_text("missing_code", lang, usage=texts.USAGE[command.command][lang])
    elif error == "invalid_code":
        reply = texts.sms_text("invalid_code", lang)
    else:  # missing_score, bad_score
        reply = texts.sms_text("rate_bad_score", lang, code=command.code)
    return _Outcome(Outcome.INVALID, reply, detail=f"{command.command}:{error}", language=lang)


def _any_invalid(command: grammar.Invalid, ctx: _Context) -> _Outcome:
    """Participation commands have their own usage texts; the others `_invalid`."""
    if command.command not in PARTICIPATION_COMMANDS:
        return _invalid(command, ctx)
    lang = command.language
    key = "vote_missing_nik" if command.error == "missing_nik" or command.command == "vote" else "proposal_usage"
    return _Outcome(Outcome.INVALID, texts.sms_text(key, lang), detail=f"{command.command}:{command.error}",
                    language=lang)


# The command table's other half (grammar.COMMANDS): what each parsed command does. A new command adds
# its dataclass here.
HANDLERS: dict[type, Callable[[Any, _Context], _Outcome]] = {
    grammar.Help: _help, grammar.Menu: _menu, grammar.Choice: _unknown, grammar.Unknown: _unknown,
    grammar.Invalid: _any_invalid, grammar.Report: _report, grammar.Status: _status, grammar.Answer: _answer,
    grammar.Rate: _rate, grammar.Support: _support, grammar.Propose: _propose, grammar.Vote: _vote,
}
