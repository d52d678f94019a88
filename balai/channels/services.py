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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balai.agencies.selectors import region_mentioned
from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.models import Case, Confidentiality
from balai.cases.selectors import case_by_code, case_promise, latest_case_message, latest_event
from balai.cases.services import (
    case_add_place,
    case_set_publication,
    case_submit,
    case_transition,
    citizen_actions,
)
from balai.cases.submission import Submission
from balai.cases.titles import title_from_text
from balai.cases.visibility import reveal_identity
from balai.cases.workflows import status_label
from balai.catalog.selectors import (
    complaint_category_by_keyword,
    complaint_keywords,
    fallback_complaint_category,
)
from balai.channels import grammar, texts
from balai.channels.models import Conversation, InboundMessage, Outcome
from balai.channels.replies import prepare_reply, queue_reply
from balai.channels.selectors import conversation_for, inbound_by_gateway_id, inbound_counts_since
from balai.channels.signing import channel_config
from balai.notify.models import Message
from balai.participation import selectors as participation_selectors
from balai.participation import services as participation_services
from balai.participation.keys import phone_key
from balai.people.phone import normalize_phone
from balai.people.selectors import citizen_by_phone
from balai.rows import insert_statement, inserted
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
    followup: str = ""  # a second message (the place and publication question) after `reply`
    followup_written: bool = False  # `followup` is already in the outbox (written with the receipt)
    question: Conversation | None = None  # what Balai now asks the sender (`_question`), written by `_finish`


@dataclass(frozen=True)
class _Context:
    channel: str
    phone: str
    text: str  # the message as received
    now: datetime


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
# rate limit


def _rate_limited(inbound: InboundMessage) -> _Outcome | None:
    """A polite refusal when the sender is over a limit; "silent" after the first one in the window.
    `inbound` may be unsaved (the SMS webhook writes it last); a saved one is not counted."""
    limits = [(window, maximum, inbound.received_at - timedelta(seconds=window)) for window, maximum in rate_limits()]
    if not limits:
        return None
    counts = inbound_counts_since(inbound.sender, [since for _w, _m, since in limits], excluding=inbound.pk)
    for (window, maximum, since), count in zip(limits, counts, strict=True):
        if count < maximum:
            continue
        others = InboundMessage.objects.filter(sender=inbound.sender, received_at__gt=since)
        if inbound.pk is not None:
            others = others.exclude(pk=inbound.pk)
        language = grammar.guess_language(inbound.body)
        reply = texts.sms_text("rate_limited", language, minutes=max(1, math.ceil(window / 60)))
        # One polite reply per window, then silence: the later ones are stored with an empty reply, so a
        # gateway that sends the HTTP answer itself ("sync") sends nothing either.
        already_told = others.filter(outcome=Outcome.RATE_LIMITED).exclude(reply="").exists()
        if already_told:
            return _Outcome("silent", "", detail=f"{window}s:silent", language=language)
        return _Outcome(Outcome.RATE_LIMITED, reply, detail=f"{window}s", language=language)
    return None


# --------------------------------------------------------------------------------------------------
# commands


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


# --------------------------------------------------------------------------------------------------
# the numbered category list and the questions Balai asks (`Conversation`)


def _question_expiry(now: datetime) -> datetime:
    return now + timedelta(hours=int(getattr(settings, "BALAI_CHANNELS_QUESTION_HOURS", 72) or 72))


def _question(ctx: _Context, state: str, *, case: Any = None, data: dict | None = None) -> Conversation:
    """What Balai now asks the sender: written with the message's row, replacing what it asked before
    (one upsert on the (channel, sender) constraint: no read, no savepoint, ADR 0042 "One transaction")."""
    return Conversation(channel=ctx.channel, sender=ctx.phone, state=state, case=case, data=data or {},
                        expires_at=_question_expiry(ctx.now))


def _forget(ctx: _Context) -> None:
    Conversation.objects.filter(channel=ctx.channel, sender=ctx.phone).delete()


def menu_pages(keywords: list[str], lang: str) -> list[list[tuple[int, str]]]:
    """The categories as numbered pages, each page one SMS (numbers run on across pages)."""
    pages: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, keyword in enumerate(keywords, 1):
        trial = [*current, (number, keyword)]
        if current and texts.segments(_menu_text(trial, lang, page=len(pages) + 1, more=True)) > 1:
            pages.append(current)
            current = [(number, keyword)]
        else:
            current = trial
    if current:
        pages.append(current)
    return pages


def _menu_text(items: list[tuple[int, str]], lang: str, *, page: int, more: bool) -> str:
    listing = " ".join(f"{n} {k}" for n, k in items)
    key = "menu_more" if more else "menu_last"
    return texts.sms_text(key, lang, items=listing, next=page + 1, example=items[0][0] if items else 1)


def _menu(command: grammar.Menu, ctx: _Context) -> _Outcome:
    lang = command.language
    pages = menu_pages(complaint_keywords(), lang)
    if not pages:
        return _Outcome(Outcome.HELP, texts.sms_text("help", lang), language=lang)
    page = min(max(command.page, 1), len(pages))
    reply = _menu_text(pages[page - 1], lang, page=page, more=page < len(pages))
    return _Outcome(Outcome.HELP, reply, detail=f"menu:{page}", language=lang,
                    question=_question(ctx, Conversation.State.MENU, data={"page": page}))


def category_by_number(number: int) -> Any:
    keywords = complaint_keywords()
    return complaint_category_by_keyword(keywords[number - 1]) if 1 <= number <= len(keywords) else None


def _resolve_category(word: str) -> Any:
    if word.isdigit():
        return category_by_number(int(word))
    return complaint_category_by_keyword(word)


_YES = frozenset("ya iya iyaa yes y ok oke okay boleh setuju silakan silahkan sure yup yap".split())
_NO = frozenset("tidak tdk tak ga gak nggak ngga enggak engga jangan no nope n t private rahasia".split())
_FILLERS = frozenset("usah pak bu bapak ibu saja aja deh kok silakan silahkan".split())
MAX_PLACE_WORDS = 8  # a longer text without a yes/no and without a known place is a new message


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


def _followup_answer(conversation: Conversation, ctx: _Context) -> _Outcome | None:
    words = "".join(ch if ch.isalnum() else " " for ch in ctx.text.casefold()).split()
    public = None
    while words and words[0] in _YES | _NO | _FILLERS:  # "ya boleh", "tidak usah", "ok pak"
        if words[0] in _YES | _NO and public is None:
            public = words[0] in _YES
        words = words[1:]
    place_text = " ".join(words)
    region = region_mentioned(place_text, within=settings.BALAI_GOVERNMENT_CODE) if place_text else None
    if public is None and region is None and len(words) > MAX_PLACE_WORDS:
        _forget(ctx)
        return None  # a new message, not an answer
    case = conversation.case
    lang = str(conversation.data.get("language") or "id")
    if public is not None:
        case_set_publication(case=case, public=public, channel=ctx.channel)
    if place_text and conversation.data.get("ask_place", True):
        case_add_place(case=case, channel=ctx.channel, region=region, text=place_text)
    _forget(ctx)
    key = "followup_public" if case.confidentiality == Confidentiality.PUBLIC else "followup_private"
    return _Outcome(Outcome.ANSWERED, texts.sms_text(key, lang, code=case.tracking_code), case=case,
                    detail=f"followup:{'yes' if public else 'no' if public is False else '-'}"
                           f":{'place' if place_text else '-'}", language=lang)


def _followup_question(case: Case, lang: str) -> str:
    """Ask for the place (when the report names none) and whether it may be published, in one SMS."""
    return texts.sms_text("ask_place_publication" if case.region_id is None else "ask_publication", lang,
                          code=case.tracking_code)


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


def _citizen_for_phone(phone: str) -> Any:
    """The citizen's account with this number, if there is one active (so the case shows there)."""
    if not phone.startswith("+"):
        return None
    return citizen_by_phone(phone)


def _first_error(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        for messages in exc.message_dict.values():
            if messages:
                return str(messages[0])
    return str(exc.messages[0]) if exc.messages else ""


def _engine_message(case: Case, event: str) -> Message | None:
    return latest_case_message(case, event=event)


def _report(command: grammar.Report, ctx: _Context) -> _Outcome:
    category = _resolve_category(command.category)
    if category is None:  # "LAPOR lampu jalan mati ...": no category, kept whole for the triage queue
        start = _fold_lower(ctx.text).find(command.category)
        text = ctx.text[start:].strip() if start >= 0 else f"{command.category} {command.text}"
        return _triage(ctx, text=text, lang=command.language, reason="no_category")
    return _file(ctx, category=category, text=command.text, lang=command.language)


def _fold_lower(text: str) -> str:
    """Lower case of the NFKC-folded text, when that keeps the length (so indexes match `text`)."""
    folded = grammar._fold(text).lower()
    return folded if len(folded) == len(text) else text.lower()


def triage_category() -> Any:
    """Where a message that names no category goes: the complaints unit's category
    (`BALAI_SMS_GATEWAY["default_category"]`, LAYANAN by default), for staff to sort."""
    wanted = str(channel_config("sms").get("default_category") or "LAYANAN")
    return fallback_complaint_category(wanted)


def _substantive(text: str) -> bool:
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()]
    if len(words) < MIN_TRIAGE_WORDS:
        return False
    return not set(words) <= COURTESY_WORDS


MIN_TRIAGE_WORDS = 3
COURTESY_WORDS = frozenset("ok oke terima kasih makasih trims tq thanks thank you pak bu ya baik siap sip "
                           "halo hallo hai hi selamat pagi siang sore malam".split())


def _unknown(command: grammar.Unknown | grammar.Choice, ctx: _Context) -> _Outcome:
    """Free text is never lost: a real message becomes a case in the triage queue; a greeting or an
    empty message gets the help text."""
    if _substantive(ctx.text):
        return _triage(ctx, text=ctx.text.strip(), lang=command.language, reason="free_text")
    return _Outcome(Outcome.UNKNOWN, texts.sms_text("unknown", command.language), language=command.language)


def _triage(ctx: _Context, *, text: str, lang: str, reason: str) -> _Outcome:
    category = triage_category()
    if category is None:
        return _Outcome(Outcome.UNKNOWN, texts.sms_text("unknown", lang), language=lang)
    with translation.override(lang):
        title = title_from_text(_("%(channel)s message without a category: %(text)s")
                                %  {"channel": "WhatsApp" if ctx.channel == "whatsapp" else "SMS", "text": text})
    outcome = _file(ctx, category=category, text=text, lang=lang, title=title,
                    extra={"triage": {"reason": reason, "channel": ctx.channel}})
    if outcome.outcome == Outcome.FILED:
        outcome.outcome, outcome.detail = Outcome.TRIAGE, f"triage:{reason}"
    return outcome


# Words in an SMS that tell an accommodation need (optional: nobody has to learn a keyword for it). Both
# languages; matched as whole words. They count in the inclusion figures like the web form's checkboxes.
NEED_WORDS: tuple[tuple[str, str], ...] = (
    ("tuli", "sign_language"), ("tunarungu", "sign_language"), ("bisindo", "sign_language"),
    ("bahasa isyarat", "sign_language"), ("deaf", "sign_language"), ("sign language", "sign_language"),
    ("kursi roda", "wheelchair"), ("wheelchair", "wheelchair"),
    ("tunanetra", "audio"), ("buta", "audio"), ("blind", "audio"),
    ("buta huruf", "reading_help"), ("tidak bisa membaca", "reading_help"), ("cannot read", "reading_help"),
    ("kunjungan rumah", "home_visit"), ("home visit", "home_visit"),
)


def needs_in(text: str) -> list[str]:
    """The accommodation needs an SMS names ("saya tuli", "pakai kursi roda"), in a stable order."""
    words = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in (text or "").casefold()).split()) + " "
    found = [need for phrase, need in NEED_WORDS if f" {phrase} " in words]
    if "reading_help" in found and "audio" in found and " buta huruf " in words and " tunanetra " not in words \
            and " blind " not in words:
        found.remove("audio")  # "buta huruf" (cannot read) is not "buta" (blind)
    return list(dict.fromkeys(found))


def _file(ctx: _Context, *, category: Any, text: str, lang: str, title: str = "",
          extra: dict | None = None) -> _Outcome:
    """A complaint from an SMS/WhatsApp message, private until the citizen says it may be published.

    The receipt the engine writes is the reply; the follow-up question goes into the outbox in the same
    INSERT (`case_submit(replies=...)`), and the case is written in the message's own transaction."""
    region = region_mentioned(text, within=settings.BALAI_GOVERNMENT_CODE)
    written: dict[str, Any] = {}

    def replies(case: Case, receipt: Message | None) -> list[Message]:
        written["receipt"] = receipt
        written["question"] = question = _followup_question(case, lang)
        if receipt is None or reply_mode(ctx.channel) != "outbox":
            return []  # `_finish` writes the replies in their order, or the gateway sends one text
        written["followup_written"] = True
        return [prepare_reply(channel=ctx.channel, recipient=ctx.phone, language=lang, body=question, case=case)]

    try:
        with translation.override(lang):
            case = case_submit(Submission(
                kind="complaint", channel=ctx.channel, title=title or title_from_text(text), description=text,
                complaint_category=category, citizen=_citizen_for_phone(ctx.phone), contact_phone=ctx.phone,
                contact_channel=ctx.channel, language=lang, region=region,
                confidentiality=Confidentiality.CONFIDENTIAL, extra=extra or {}, accommodations=needs_in(text),
            ), replies=replies, in_caller_transaction=True)
    except ValidationError as exc:
        _forget(ctx)
        with translation.override(lang):
            reason = _first_error(exc)
        return _Outcome(Outcome.REFUSED, texts.sms_text("report_failed", lang, reason=reason),
                        detail="report:invalid", language=lang)
    message = written["receipt"]
    reply = message.body if message is not None else texts.sms_text("status_open", lang, **_status_values(case, lang))
    return _Outcome(Outcome.FILED, reply, case=case, message=message, language=lang,
                    followup=written["question"], followup_written=bool(written.get("followup_written")),
                    question=_question(ctx, Conversation.State.FOLLOWUP, case=case,
                                       data={"language": lang, "ask_place": case.region_id is None}))


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


def _status(command: grammar.Status, ctx: _Context) -> _Outcome:
    lang, phone = command.language, ctx.phone
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


def _answer(command: grammar.Answer, ctx: _Context) -> _Outcome:
    lang, channel, phone = command.language, ctx.channel, ctx.phone
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


def _rate(command: grammar.Rate, ctx: _Context) -> _Outcome:
    lang, channel, phone = command.language, ctx.channel, ctx.phone
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


# --------------------------------------------------------------------------------------------------
# community participation: DUKUNG / USUL / PILIH (docs/regulations.md §12)

PARTICIPATION_COMMANDS = ("support", "propose", "vote")


def _any_invalid(command: grammar.Invalid, ctx: _Context) -> _Outcome:
    """Participation commands have their own usage texts; the others `_invalid`."""
    if command.command not in PARTICIPATION_COMMANDS:
        return _invalid(command, ctx)
    lang = command.language
    key = "vote_missing_nik" if command.error == "missing_nik" or command.command == "vote" else "proposal_usage"
    return _Outcome(Outcome.INVALID, texts.sms_text(key, lang), detail=f"{command.command}:{command.error}",
                    language=lang)


def _reason(lang: str, message: object) -> str:
    with translation.override(lang):
        return str(message)


def _support(command: grammar.Support, ctx: _Context) -> _Outcome:
    """One support per person: the key of the sender's number is the same as a web supporter's who
    proved that number with a one-time code."""
    lang = command.language
    proposal = participation_selectors.proposal_by_code(command.code)
    if proposal is None or not proposal.process.is_published:
        return _Outcome(Outcome.REFUSED, texts.sms_text("proposal_not_found", lang, pcode=command.code),
                        detail="support:not_found", language=lang)
    result = participation_services.proposal_support(proposal=proposal, person_key=phone_key(ctx.phone),
                                                     channel=ctx.channel)
    if not result.ok:
        return _Outcome(Outcome.REFUSED, texts.sms_text("support_refused", lang, pcode=command.code,
                                                        vreason=_reason(lang, result.message)),
                        detail=f"support:{result.error}", language=lang)
    target = result.proposal or proposal
    return _Outcome(Outcome.SUPPORTED, texts.sms_text("support_ok", lang, pcode=target.code,
                                                      supports=target.support_count), language=lang)


def _propose(command: grammar.Propose, ctx: _Context) -> _Outcome:
    lang = command.language
    process = participation_selectors.sms_proposal_process()
    if process is None:
        return _Outcome(Outcome.REFUSED, texts.sms_text("propose_closed", lang), detail="propose:closed",
                        language=lang)
    try:
        proposal = participation_services.proposal_submit(
            process=process, title=title_from_text(command.text), description=command.text, region=process.region,
            channel=ctx.channel, author_key=phone_key(ctx.phone))
    except ValidationError:
        return _Outcome(Outcome.REFUSED, texts.sms_text("propose_closed", lang), detail="propose:closed",
                        language=lang)
    return _Outcome(Outcome.PROPOSED, texts.sms_text("propose_ok", lang, pcode=proposal.code), language=lang)


def _vote(command: grammar.Vote, ctx: _Context) -> _Outcome:
    """A budget vote by SMS: NIK and the sender's number, both checked against every other channel."""
    lang = command.language
    process = participation_selectors.process_of_codes(list(command.codes))
    if process is None:
        return _Outcome(Outcome.REFUSED, texts.sms_text("proposal_not_found", lang, pcode=command.codes[0]),
                        detail="vote:not_found", language=lang)
    with translation.override(lang):
        result = participation_services.ballot_cast(process=process, nik=command.nik, phone=ctx.phone,
                                                    codes=list(command.codes), channel=ctx.channel)
        reason = participation_services.ballot_error_message(result)
    if result.error == "already_voted":
        with translation.override(lang):
            channel_label = str(participation_services.channel_label(result.previous_channel))
        return _Outcome(Outcome.REFUSED, texts.sms_text("vote_already", lang, channel=channel_label,
                                                        date=result.previous_date.strftime("%d-%m-%Y")
                                                        if result.previous_date else ""),
                        detail="vote:already_voted", language=lang)
    if not result.ok:
        return _Outcome(Outcome.REFUSED, texts.sms_text("vote_refused", lang, vreason=reason),
                        detail=f"vote:{result.error}", language=lang)
    return _Outcome(Outcome.VOTED, texts.sms_text("vote_ok", lang, codes=", ".join(result.codes)), language=lang)


# The command table's other half (grammar.COMMANDS): what each parsed command does. A new command adds
# its dataclass here.
HANDLERS: dict[type, Callable[[Any, _Context], _Outcome]] = {
    grammar.Help: _help, grammar.Menu: _menu, grammar.Choice: _unknown, grammar.Unknown: _unknown,
    grammar.Invalid: _any_invalid, grammar.Report: _report, grammar.Status: _status, grammar.Answer: _answer,
    grammar.Rate: _rate, grammar.Support: _support, grammar.Propose: _propose, grammar.Vote: _vote,
}
