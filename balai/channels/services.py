"""What an inbound SMS or WhatsApp message does (ADR 0011). Webhooks verify and parse, then call here.

`handle_inbound` is idempotent on (channel, gateway message id): a retried delivery returns the stored
reply and does nothing else. Every message gets a reply (never silence), written to the outbox in the same
transaction as what it caused: the engine's own message when the command changed a case (the receipt of
a new complaint, "reply received"), else a keyword reply (`balai.channels.texts`). A sender over the rate
limit gets one polite reply per window; further messages in that window are recorded and answered only
in the HTTP response (no paid message, no loop with an auto-responder).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.models import Case
from balai.cases.selectors import case_by_code, case_promise, latest_case_message, latest_event
from balai.cases.services import case_submit, case_transition, citizen_actions
from balai.cases.submission import Submission
from balai.cases.titles import title_from_text
from balai.cases.visibility import reveal_identity
from balai.cases.workflows import status_label
from balai.catalog.selectors import complaint_category_by_keyword, complaint_keywords
from balai.channels import grammar, texts
from balai.channels.models import InboundMessage, Outcome
from balai.channels.replies import queue_reply
from balai.channels.selectors import inbound_by_gateway_id
from balai.channels.signing import channel_config
from balai.notify.models import Message
from balai.people.phone import normalize_phone
from balai.people.selectors import citizen_accounts
from balai.survey.selectors import is_rated
from balai.survey.services import quick_rating

logger = logging.getLogger(__name__)

# (window in seconds, most messages per sender in it). settings.BALAI_CHANNELS_RATE_LIMITS overrides.
DEFAULT_RATE_LIMITS: tuple[tuple[int, int], ...] = ((600, 10), (86400, 60))
BODY_LIMIT = 5000  # longer texts are cut: a concatenated SMS is at most ~1,600 characters anyway
ANSWER_ACTIONS = ("answer", "answer_objection", "resolve")


@dataclass(frozen=True)
class InboundResult:
    inbound: InboundMessage
    reply: str  # the text the citizen gets (also returned to gateways that reply synchronously)
    queued: bool  # True when Balai sends `reply` itself through the outbox
    duplicate: bool = False


@dataclass
class _Outcome:
    outcome: str
    reply: str
    detail: str = ""
    case: Any = None
    message: Any = None  # an outbox row already written by the engine for this reply
    language: str = "id"


def rate_limits() -> tuple[tuple[int, int], ...]:
    return tuple(getattr(settings, "BALAI_CHANNELS_RATE_LIMITS", None) or DEFAULT_RATE_LIMITS)


def reply_mode(channel: str) -> str:
    """"outbox" (default: Balai queues the reply) or "sync" (the gateway sends the HTTP body itself)."""
    return "sync" if channel_config(channel).get("reply_mode") == "sync" else "outbox"


def normalize_sender(raw: str) -> str:
    """E.164 for anything that reads as a phone number (foreign ones too), else the trimmed text."""
    text = (raw or "").strip()[:254]
    try:
        return normalize_phone(text, allow_foreign=True)
    except ValueError:
        return text


# --------------------------------------------------------------------------------------------------
# the inbound messages' bookkeeping (the only writes of `InboundMessage`, ADR 0030)


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
                   reply: str, reply_message: Message | None, command: str | None = None) -> InboundMessage:
    """Store what a message caused and what it was answered."""
    if command is not None:
        inbound.command = command
    inbound.outcome = outcome
    inbound.detail = detail[:60]
    inbound.language = language
    inbound.case = case
    inbound.reply = reply
    inbound.reply_message = reply_message
    inbound.save()
    return inbound


def forget_inbound_before(cutoff: datetime, *, batch: int) -> int:
    """Delete the inbound messages received before `cutoff`, `batch` rows at a time; returns how many."""
    deleted = 0
    while True:
        ids = list(InboundMessage.objects.filter(received_at__lt=cutoff).order_by("received_at")
                   .values_list("pk", flat=True)[:batch])
        if not ids:
            return deleted
        deleted += InboundMessage.objects.filter(pk__in=ids).delete()[0]


# --------------------------------------------------------------------------------------------------
# entry point


def handle_inbound(*, channel: str, gateway_message_id: str, sender: str, text: str,
                   received_at: datetime | None = None) -> InboundResult:
    """Record, interpret and answer one inbound SMS / WhatsApp message, exactly once per gateway id."""
    if channel not in ("sms", "whatsapp"):
        raise ValueError(f"unknown channel {channel!r}")
    if not gateway_message_id or not sender:
        raise ValueError("gateway_message_id and sender are required")
    phone = normalize_sender(sender)
    now = received_at or timezone.now()
    with transaction.atomic():
        inbound, new = record_inbound(channel=channel, gateway_message_id=gateway_message_id, sender=phone,
                                      body=(text or "")[:BODY_LIMIT], received_at=now)
        if not new:
            return InboundResult(inbound=inbound, reply=inbound.reply,
                                 queued=inbound.reply_message_id is not None, duplicate=True)
        limited = _rate_limited(inbound)
        command_name = None
        if limited is not None:
            result = limited
        else:
            command = grammar.parse(inbound.body)
            command_name = type(command).__name__.lower()
            result = _execute(command, channel=channel, phone=phone)
        return _finish(inbound, result, channel=channel, recipient=phone, command=command_name)


def _finish(inbound: InboundMessage, result: _Outcome, *, channel: str, recipient: str,
            subject: str = "", command: str | None = None) -> InboundResult:
    message = result.message
    queued = message is not None
    if message is None and result.reply and result.outcome != "silent" and reply_mode(channel) == "outbox":
        message = queue_reply(channel=channel, recipient=recipient, language=result.language, body=result.reply,
                              subject=subject, case=result.case)
        queued = True
    finish_inbound(inbound, outcome=Outcome.RATE_LIMITED if result.outcome == "silent" else result.outcome,
                   detail=result.detail, language=result.language, case=result.case, reply=result.reply,
                   reply_message=message, command=command)
    return InboundResult(inbound=inbound, reply=result.reply, queued=queued)


# --------------------------------------------------------------------------------------------------
# rate limit


def _rate_limited(inbound: InboundMessage) -> _Outcome | None:
    """A polite refusal when the sender is over a limit; "silent" after the first one in the window."""
    for window, maximum in rate_limits():
        since = inbound.received_at - timedelta(seconds=window)
        recent = InboundMessage.objects.filter(sender=inbound.sender, received_at__gt=since).exclude(pk=inbound.pk)
        if recent.count() < maximum:
            continue
        language = grammar.guess_language(inbound.body)
        reply = texts.sms_text("rate_limited", language, minutes=max(1, math.ceil(window / 60)))
        already_told = recent.filter(outcome=Outcome.RATE_LIMITED, reply_message__isnull=False).exists()
        return _Outcome("silent" if already_told else Outcome.RATE_LIMITED, reply, detail=f"{window}s",
                        language=language)
    return None


# --------------------------------------------------------------------------------------------------
# commands


def _execute(command: grammar.Command, *, channel: str, phone: str) -> _Outcome:
    lang = command.language
    if isinstance(command, grammar.Help):
        return _Outcome(Outcome.HELP, texts.sms_text("help", lang), language=lang)
    if isinstance(command, grammar.Unknown):
        return _Outcome(Outcome.UNKNOWN, texts.sms_text("unknown", lang), language=lang)
    if isinstance(command, grammar.Invalid):
        return _invalid(command)
    if isinstance(command, grammar.Report):
        return _report(command, channel=channel, phone=phone)
    if isinstance(command, grammar.Status):
        return _status(command, phone=phone)
    if isinstance(command, grammar.Answer):
        return _answer(command, channel=channel, phone=phone)
    if isinstance(command, grammar.Rate):
        return _rate(command, channel=channel, phone=phone)
    raise TypeError(command)  # pragma: no cover


def _categories_reply(lang: str) -> str:
    keywords = complaint_keywords()
    return texts.sms_text("categories", lang, categories=texts.fit_list(keywords, texts.LIMITS["categories"]),
                          example=keywords[0] if keywords else "JALAN")


def _invalid(command: grammar.Invalid) -> _Outcome:
    lang, error = command.language, command.error
    if error == "missing_category":
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


def _citizen_for_phone(phone: str) -> Any:
    """The citizen's account with this number, if there is exactly one active (so the case shows there)."""
    if not phone.startswith("+"):
        return None
    users = citizen_accounts(phone=phone)
    return users[0] if len(users) == 1 else None


def _first_error(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        for messages in exc.message_dict.values():
            if messages:
                return str(messages[0])
    return str(exc.messages[0]) if exc.messages else ""


def _engine_message(case: Case, event: str) -> Message | None:
    return latest_case_message(case, event=event)


def _report(command: grammar.Report, *, channel: str, phone: str) -> _Outcome:
    lang = command.language
    category = complaint_category_by_keyword(command.category)
    if category is None:
        return _Outcome(Outcome.INVALID, _categories_reply(lang), detail="report:unknown_category", language=lang)
    try:
        with translation.override(lang):
            case = case_submit(Submission(kind="complaint", channel=channel, title=title_from_text(command.text), description=command.text,
                complaint_category=category, citizen=_citizen_for_phone(phone), contact_phone=phone,
                contact_channel=channel, language=lang))
    except ValidationError as exc:
        with translation.override(lang):
            reason = _first_error(exc)
        return _Outcome(Outcome.REFUSED, texts.sms_text("report_failed", lang, reason=reason),
                        detail="report:invalid", language=lang)
    message = _engine_message(case, "received")
    reply = message.body if message is not None else texts.sms_text("status_open", lang, **_status_values(case, lang))
    return _Outcome(Outcome.FILED, reply, case=case, message=message, language=lang)


def case_phones(case: Any) -> set[str]:
    """The phone numbers that prove to be the case's citizen (anonymous cases: read through the engine)."""
    if case.confidentiality == "anonymous":
        contact = reveal_identity(case=case, purpose="channels: sender check")
        return {contact.get("phone") or ""} - {""}
    phones = {case.contact_phone or ""}
    if case.citizen_id and case.citizen.phone:
        phones.add(case.citizen.phone)
    return phones - {""}


def _status_values(case: Any, lang: str) -> dict[str, str]:
    with translation.override(lang):
        agency = case.agency
        promised = case_promise(case).due  # the one promise (balai.cases.promise), as on every face
        due = promised.strftime("%d-%m-%Y") if promised else "-"
        finished = case.closed_at or case.stopped_at
        closed = timezone.localtime(finished).strftime("%d-%m-%Y") if finished else "-"
        return {"code": case.tracking_code, "status": str(status_label(case.kind, case.status)),
                "agency": (agency.short_name or agency.name_id) if agency else "", "due_date": due,
                "closed_date": closed}


def _public_answer(case: Any) -> str:
    event = latest_event(case, actions=ANSWER_ACTIONS, public_only=True, with_body=True)
    return event.body if event is not None else ""


def _status(command: grammar.Status, *, phone: str) -> _Outcome:
    lang = command.language
    case = case_by_code(command.code)
    if case is None:
        return _Outcome(Outcome.INVALID, texts.sms_text("not_found", lang, code=command.code),
                        detail="status:not_found", language=lang)
    values = _status_values(case, lang)
    answer = _public_answer(case) if phone in case_phones(case) else ""
    if answer:
        reply = texts.sms_text("status_answer", lang, answer=answer, **values)
    elif case.is_open and case.clock_state != "stopped":  # answered/resolved: no deadline runs any more
        reply = texts.sms_text("status_open", lang, **values)
    else:
        reply = texts.sms_text("status_closed", lang, **values)
    return _Outcome(Outcome.STATUS, reply, case=case, language=lang)


def _owned_case(code: str, phone: str) -> Any:
    """The case, only when `phone` is its citizen's number; None for unknown code or another number alike,
    so the refusal says nothing about whether the code exists."""
    case = case_by_code(code)
    if case is None or phone not in case_phones(case):
        return None
    return case


def _answer(command: grammar.Answer, *, channel: str, phone: str) -> _Outcome:
    lang = command.language
    case = _owned_case(command.code, phone)
    if case is None:
        return _Outcome(Outcome.REFUSED, texts.sms_text("answer_refused", lang, code=command.code),
                        detail="answer:not_owner", language=lang)
    values = _status_values(case, lang)
    if "citizen_reply" not in {a.name for a in citizen_actions(case=case)}:
        return _Outcome(Outcome.REFUSED, texts.sms_text("not_waiting", lang, **values), case=case,
                        detail="answer:not_waiting", language=lang)
    try:
        case = case_transition(case, CaseCommand(action="citizen_reply", actor=None, channel=channel, body=command.text))
    except CaseError:
        logger.info("citizen_reply refused on %s", case.tracking_code, exc_info=True)
        return _Outcome(Outcome.REFUSED, texts.sms_text("not_waiting", lang, **values), case=case,
                        detail="answer:refused", language=lang)
    message = _engine_message(case, "reply_received")
    reply = message.body if message is not None else texts.sms_text("status_open", lang, **_status_values(case, lang))
    return _Outcome(Outcome.ANSWERED, reply, case=case, message=message, language=lang)


def _rate(command: grammar.Rate, *, channel: str, phone: str) -> _Outcome:
    lang = command.language
    case = _owned_case(command.code, phone)
    if case is None:
        return _Outcome(Outcome.REFUSED, texts.sms_text("rate_refused", lang, code=command.code),
                        detail="rate:not_owner", language=lang)
    values = _status_values(case, lang)
    try:
        quick_rating(case=case, score=command.score, channel=channel)
    except ValidationError:
        if is_rated(case):
            return _Outcome(Outcome.REFUSED, texts.sms_text("rate_already", lang, **values), case=case,
                            detail="rate:already", language=lang)
        return _Outcome(Outcome.REFUSED, texts.sms_text("rate_not_finished", lang, **values), case=case,
                        detail="rate:not_finished", language=lang)
    return _Outcome(Outcome.RATED, texts.sms_text("rate_thanks", lang, score=command.score, **values),
                    case=case, language=lang)
