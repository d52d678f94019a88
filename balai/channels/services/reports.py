"""Complaints by SMS/WhatsApp: LAPOR with a category, and free text or an unknown category filed in the
triage category so that nothing is lost (ADR 0042); the case is private until the sender says otherwise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from balai.agencies.selectors import region_mentioned
from balai.cases.models import Case, Confidentiality
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.cases.titles import title_from_text
from balai.catalog.selectors import fallback_complaint_category
from balai.channels import grammar, texts
from balai.channels.models import Conversation, Outcome
from balai.channels.replies import prepare_reply, reply_mode
from balai.channels.services.case_commands import _status_values
from balai.channels.services.conversation import _followup_question, _forget, _question, _resolve_category
from balai.channels.services.outcome import _Context, _Outcome
from balai.channels.signing import channel_config
from balai.notify.models import Message
from balai.people.selectors import citizen_by_phone


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
