"""Inbound e-mail (a mail gateway POSTs the raw RFC 822 message to /kanal/email/; ADR 0011).

Threading: a message belongs to an existing case when it is addressed to the reply address of that case
(`BALAI_EMAIL_INBOUND["reply_address"]`, default ``balas+{code}@<any domain>``) or its subject carries
a tracking code ("Re: [KT-7M4Q-2X9P] …"). A `From:` is easy to forge, so the text (without the quoted
history) becomes the citizen's reply to a case that waits for them only when it comes from the case's
own e-mail address AND that is proven (ADR 0018): the reply address carries the key our e-mail to that
address gave it (``balas+KT-7M4Q-2X9P.<key>@…``, `balai.notify.gateways.email.reply_address_for`), or
the mail gateway's Authentication-Results header says the From domain passed DMARC, or aligned DKIM or
SPF (`balai.channels.email_auth`). An unproven reply is not lost: it becomes a new confidential complaint
in the default category (anonymous when the case is anonymous), titled as an unverified e-mail about
the case, in the intake unit's queue for an officer to check with the citizen ("triage").
Any other message files a new complaint in the default category (`BALAI_EMAIL_INBOUND["default_category"]`,
keyword or slug), linked to a citizen's account with that address only when the sender is authenticated.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from balai.cases.attachments import store_upload
from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.models import Confidentiality
from balai.cases.selectors import case_by_code, latest_case_message, latest_event
from balai.cases.services import case_submit, case_transition, citizen_actions
from balai.cases.submission import Submission
from balai.cases.titles import title_from_text
from balai.cases.tracking import normalize_code
from balai.cases.visibility import reveal_identity
from balai.catalog.selectors import fallback_complaint_category
from balai.channels import email_auth, grammar, texts
from balai.channels.models import InboundMessage, Outcome
from balai.channels.services import BODY_LIMIT, InboundResult, finish_inbound, record_inbound
from balai.channels.services.case_commands import _status_values
from balai.channels.services.rate_limit import _rate_limited
from balai.channels.services.reports import _first_error
from balai.notify.gateways.email import reply_token_matches
from balai.people.selectors import citizen_accounts

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS = 5
DEFAULT_REPLY_ADDRESS = "balas+{code}@"
DEFAULT_CATEGORY = "layanan"
_CODE_IN_TEXT = re.compile(r"\b[A-Z]{1,6}[-\s]?[0-9A-Z]{4}[-\s]?[0-9A-Z]{4}\b", re.IGNORECASE)
# Where the quoted history of a reply starts (Gmail, Outlook, Thunderbird, in both languages).
_QUOTE_START = re.compile(
    r"^(On .{4,200} wrote:|Pada .{4,200} menulis:|-{2,} ?(Original Message|Pesan Asli) ?-{2,}|"
    r"From: .+|Dari: .+|_{10,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)


class BadEmail(ValueError):
    """The request body is not an e-mail we can answer (no valid sender)."""


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    sender: str
    sender_name: str
    recipients: list[str]
    subject: str
    text: str
    language: str
    attachments: list[tuple[str, bytes]]
    auth_results: tuple[str, ...] = ()  # Authentication-Results values, top-most first
    single_sender: bool = True  # exactly one address in exactly one From header


def authenticated(parsed: ParsedEmail) -> email_auth.Verdict:
    """The mail gateway's verdict on the From domain (`balai.channels.email_auth`)."""
    if not parsed.single_sender:
        return email_auth.Verdict(False, reason="several senders")
    return email_auth.verdict(header_values=list(parsed.auth_results), from_address=parsed.sender)


def _config() -> dict:
    return dict(getattr(settings, "BALAI_EMAIL_INBOUND", None) or {})


def strip_quoted(text: str) -> str:
    """The new part of a reply: cut at the quoted history and drop "> " lines."""
    m = _QUOTE_START.search(text)
    if m:
        text = text[: m.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def _body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown charset: keep what decodes
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if part.get_content_subtype() == "html":
        content = strip_tags(re.sub(r"(?i)<br\s*/?>|</p>", "\n", content))
    return str(content)


def parse_email(raw: bytes) -> ParsedEmail:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    from_headers = [str(v) for v in (msg.get_all("From") or [])]
    single_sender = len(from_headers) == 1 and len([a for _n, a in getaddresses(from_headers) if a]) == 1
    name, address = parseaddr(str(msg.get("From", "")))
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise BadEmail("no valid From address") from exc
    recipients = [a.strip().lower() for _n, a in getaddresses(
        [str(v) for h in ("To", "Cc", "Delivered-To", "X-Original-To") for v in (msg.get_all(h) or [])]) if a]
    subject = " ".join(str(msg.get("Subject", "")).split())
    text = strip_quoted(_body_text(msg))[:BODY_LIMIT]
    lang_header = str(msg.get("Content-Language", "")).lower()
    language = "en" if lang_header.startswith("en") else (
        "id" if lang_header.startswith("id") else grammar.guess_language(f"{subject} {text}"))
    attachments: list[tuple[str, bytes]] = []
    for part in msg.iter_attachments():
        if len(attachments) >= MAX_ATTACHMENTS:
            break
        data = part.get_payload(decode=True)
        if data:
            attachments.append((part.get_filename() or "lampiran", data))
    message_id = str(msg.get("Message-ID", "")).strip() or "sha256:" + hashlib.sha256(raw).hexdigest()
    auth_results = tuple(str(v) for v in (msg.get_all(email_auth.HEADER) or []))
    return ParsedEmail(message_id=message_id[:190], sender=address, sender_name=" ".join(name.split())[:200],
                       recipients=recipients, subject=subject, text=text, language=language,
                       attachments=attachments, auth_results=auth_results, single_sender=single_sender)


def address_from_recipients(recipients: list[str]) -> tuple[str, str] | None:
    """(tracking code, reply key or "") from a reply address such as
    ``balas+KT-7M4Q-2X9P.3f9c…@balai.kaltimprov.go.id``; None when no recipient is one."""
    pattern = str(_config().get("reply_address") or DEFAULT_REPLY_ADDRESS).lower()
    pattern_local, _at, pattern_domain = pattern.partition("@")
    prefix, _sep, suffix = pattern_local.partition("{code}")
    for address in recipients:
        local, _at, domain = address.rpartition("@")
        if (pattern_domain and domain != pattern_domain) or len(local) <= len(prefix) + len(suffix):
            continue
        if local.startswith(prefix) and local.endswith(suffix):
            middle = local[len(prefix): len(local) - len(suffix)]
            code_part, _dot, key = middle.partition(".")
            code = normalize_code(code_part)
            if code:
                return code, key
    return None


def code_from_recipients(recipients: list[str]) -> str | None:
    """The tracking code in a reply address (with or without its key)."""
    found = address_from_recipients(recipients)
    return found[0] if found else None


def code_from_subject(subject: str) -> str | None:
    for m in _CODE_IN_TEXT.finditer(subject or ""):
        code = normalize_code(m.group(0))
        if code:
            return code
    return None


def _default_category() -> Any:
    return fallback_complaint_category(str(_config().get("default_category") or DEFAULT_CATEGORY))


def case_emails(case: Any) -> set[str]:
    if case.confidentiality == "anonymous":
        contact = reveal_identity(case=case, purpose="channels: sender check")
        return {(contact.get("email") or "").lower()} - {""}
    emails = {(case.contact_email or "").lower()}
    if case.citizen_id and case.citizen.email:
        emails.add(case.citizen.email.lower())
    return emails - {""}


def _store_attachments(case: Any, attachments: list[tuple[str, bytes]], event: Any, *,
                       is_public: bool = True) -> int:
    """Store what the engine accepts; a file it refuses (type, size) is skipped, not fatal."""
    stored = 0
    for name, data in attachments:
        try:
            with transaction.atomic():
                store_upload(case=case, uploaded=SimpleUploadedFile(name, data), actor=None,
                             is_public=is_public, event=event)
            stored += 1
        except ValidationError as exc:
            logger.info("e-mail attachment %r refused on %s: %s", name, case.tracking_code, exc.messages)
    return stored


@dataclass
class _Mail:
    outcome: str
    language: str
    case: Any = None
    message: Any = None  # the engine's outbox row
    key: str = ""  # texts.EMAIL key for our own reply
    values: dict | None = None
    detail: str = ""


def handle_inbound_email(*, raw: bytes, received_at: datetime | None = None) -> InboundResult:
    """Record and act on one inbound e-mail, once per Message-ID. Raises `BadEmail` without a sender."""
    parsed = parse_email(raw)
    now = received_at or timezone.now()
    with transaction.atomic():
        inbound, new = record_inbound(channel="email", gateway_message_id=parsed.message_id, sender=parsed.sender,
                                      subject=parsed.subject, body=parsed.text, received_at=now,
                                      language=parsed.language)
        if not new:
            return InboundResult(inbound=inbound, reply=inbound.reply,
                                 queued=inbound.reply_message_id is not None, duplicate=True)
        limited = _rate_limited(inbound)
        if limited is not None:
            # The rate-limit reply is an SMS text; by e-mail it is sent once per window like SMS.
            result = _Mail(Outcome.RATE_LIMITED if limited.outcome != "silent" else "silent", parsed.language,
                           detail=limited.detail)
            reply_body, subject = limited.reply, limited.reply[:80]
        else:
            result = _act(parsed)
            subject, reply_body = ("", "")
            if result.key:
                subject, reply_body = texts.email_text(result.key, result.language, **(result.values or {}))
        return _finish_email(inbound, parsed, result, subject=subject, body=reply_body)


def _finish_email(inbound: InboundMessage, parsed: ParsedEmail, result: _Mail, *, subject: str,
                  body: str) -> InboundResult:
    from balai.channels.replies import queue_reply

    message = result.message
    reply = message.body if message is not None else body
    if message is None and body and result.outcome != "silent":
        message = queue_reply(channel="email", recipient=parsed.sender, language=result.language, body=body,
                              subject=subject, case=result.case)
    finish_inbound(inbound, command="email",
                   outcome=Outcome.RATE_LIMITED if result.outcome == "silent" else result.outcome,
                   detail=result.detail, language=result.language, case=result.case, reply=reply,
                   reply_message=message)
    return InboundResult(inbound=inbound, reply=reply, queued=message is not None)


def _act(parsed: ParsedEmail) -> _Mail:
    found = address_from_recipients(parsed.recipients)
    code, key = found if found else (code_from_subject(parsed.subject), "")
    if code is None:
        return _new_complaint(parsed)
    case = case_by_code(code)
    lang = case.language if case is not None and case.language in ("id", "en") else parsed.language
    if case is None or parsed.sender not in case_emails(case):
        return _Mail(Outcome.REFUSED, lang, key="not_owner", values={"code": code}, detail="email:not_owner")
    keyed = bool(key) and reply_token_matches(code=case.tracking_code, email=parsed.sender, token=key)
    if not keyed and not authenticated(parsed).passed:
        return _triage(parsed, case)
    return _thread_reply(parsed, case, lang)


def _triage(parsed: ParsedEmail, claimed: Any) -> _Mail:
    """An unproven reply to `claimed`: a new confidential complaint in the default category for staff to
    check with the citizen; never added to the case, never linked to an account. ADR 0018."""
    lang = parsed.language
    category = _default_category()
    anonymous = claimed.confidentiality == Confidentiality.ANONYMOUS
    with translation.override(lang):
        title = title_from_text(_("Unverified e-mail about %(code)s: %(subject)s")
                                % {"code": claimed.tracking_code, "subject": parsed.subject or "-"})
        note = _("This e-mail names case %(code)s and comes from an address of that case, but nothing proves "
                 "who sent it: the reply address carried no valid case key and the mail gateway did not "
                 "confirm the sender's domain (SPF, DKIM, DMARC). It was therefore not added to that case. "
                 "Check with the citizen through the case's own contact before acting on it."
                 ) % {"code": claimed.tracking_code}
    try:
        if category is None:
            raise ValidationError({"complaint_category": ["no complaint category is configured"]})
        with translation.override(lang):
            case = case_submit(Submission(kind="complaint", channel="email", title=title,
                description=f"{note}\n\n---\n{parsed.text or parsed.subject}", complaint_category=category,
                citizen=None, contact_name="" if anonymous else parsed.sender_name, contact_email=parsed.sender,
                contact_channel="email", language=lang,
                confidentiality=Confidentiality.ANONYMOUS if anonymous else Confidentiality.CONFIDENTIAL,
                extra={"email_triage": {"claimed_case": claimed.pk, "reason": "sender not verified"}}))
    except ValidationError as exc:
        with translation.override(lang):
            reason = _first_error(exc)
        return _Mail(Outcome.REFUSED, lang, key="failed", values={"reason": reason}, detail="email:invalid")
    event = latest_event(case, actions=("submit",))
    stored = _store_attachments(case, parsed.attachments, event, is_public=False)
    message = latest_case_message(case, event="received")
    return _Mail(Outcome.TRIAGE, lang, case=case, message=message,
                 detail=f"email:unverified attachments:{stored}/{len(parsed.attachments)}")


def _thread_reply(parsed: ParsedEmail, case: Any, lang: str) -> _Mail:
    values = {**_status_values(case, lang),
              "link": f"{settings.SITE_URL.rstrip('/')}/lacak/{case.tracking_code}/"}
    if "citizen_reply" not in {a.name for a in citizen_actions(case=case)}:
        return _Mail(Outcome.REFUSED, lang, case=case, key="not_waiting", values=values, detail="email:not_waiting")
    body = parsed.text or parsed.subject or "-"
    try:
        case = case_transition(case, CaseCommand(action="citizen_reply", actor=None, channel="email", body=body))
    except CaseError:
        logger.info("e-mail citizen_reply refused on %s", case.tracking_code, exc_info=True)
        return _Mail(Outcome.REFUSED, lang, case=case, key="not_waiting", values=values, detail="email:refused")
    event = latest_event(case, actions=("citizen_reply",))
    stored = _store_attachments(case, parsed.attachments, event)
    message = latest_case_message(case, event="reply_received")
    return _Mail(Outcome.ANSWERED, lang, case=case, message=message,
                 detail=f"attachments:{stored}/{len(parsed.attachments)}")


def _new_complaint(parsed: ParsedEmail) -> _Mail:
    lang = parsed.language
    category = _default_category()
    title = title_from_text(parsed.subject or parsed.text.split("\n", 1)[0])
    # A forged From must not put a complaint into someone's account: link only an authenticated sender.
    users = citizen_accounts(email=parsed.sender) if authenticated(parsed).passed else []
    try:
        if category is None:
            raise ValidationError({"complaint_category": ["no complaint category is configured"]})
        with translation.override(lang):
            case = case_submit(Submission(kind="complaint", channel="email", title=title, description=parsed.text or parsed.subject,
                complaint_category=category, citizen=users[0] if len(users) == 1 else None,
                contact_name=parsed.sender_name, contact_email=parsed.sender, contact_channel="email",
                language=lang,
                # Publication only with consent (docs/regulations.md §4): an e-mail never said "publish".
                confidentiality=Confidentiality.CONFIDENTIAL))
    except ValidationError as exc:
        with translation.override(lang):
            reason = _first_error(exc)
        return _Mail(Outcome.REFUSED, lang, key="failed", values={"reason": reason}, detail="email:invalid")
    event = latest_event(case, actions=("submit",))
    stored = _store_attachments(case, parsed.attachments, event)
    message = latest_case_message(case, event="received")
    return _Mail(Outcome.FILED, lang, case=case, message=message,
                 detail=f"attachments:{stored}/{len(parsed.attachments)}")
