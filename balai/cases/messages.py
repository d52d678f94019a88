"""What the case engine tells the citizen about their case, through the case-agnostic outbox (ADR 0027).

`balai.notify` delivers messages about any subject and knows nothing of cases. This module holds the
case-specific part: to whom (the contact the citizen chose, an anonymous citizen's read through the audited
`reveal_identity`), the placeholder values (tracking code, translated status label, deadline, agency,
service, link) and the case as the message's subject, with its tracking code as the reference an e-mail
reply quotes (ADR 0018).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from balai.cases.models import Case, Confidentiality
from balai.notify.models import Message, MessageChannel
from balai.notify.outbox import prepare_message, queue_message

NO_MESSAGES = "none"


def case_recipient(case: Case) -> tuple[str, str] | None:
    """(channel, address) the citizen chose for this case, or None ("no messages" / no contact).

    If the chosen channel has no address but another contact exists, that one is used: a citizen who
    ticked WhatsApp but only gave an e-mail still hears back.
    """
    chosen = case.contact_channel
    if chosen == NO_MESSAGES:
        return None
    if case.confidentiality == Confidentiality.ANONYMOUS:
        # An anonymous citizen's contact is read only through the case engine, which audits the read.
        from balai.cases.visibility import reveal_identity

        contact = reveal_identity(case=case, purpose="notify")
        phone, email = contact.get("phone") or "", contact.get("email") or ""
    else:
        citizen = case.citizen if case.citizen_id else None
        phone = case.contact_phone or (citizen.phone if citizen else "") or ""
        email = case.contact_email or (citizen.email if citizen else "") or ""
    if chosen in (MessageChannel.SMS, MessageChannel.WHATSAPP) and phone:
        return chosen, phone
    if chosen == MessageChannel.EMAIL and email:
        return chosen, email
    if phone:
        return MessageChannel.SMS, phone
    if email:
        return MessageChannel.EMAIL, email
    return None


# What a case is called in a message ("Laporan {code} …", "Permohonan informasi {code} …").
NOUNS = {
    "complaint": pgettext_lazy("message noun", "Complaint"), "aspiration": pgettext_lazy("message noun", "Aspiration"),
    "service_request": pgettext_lazy("message noun", "Application"),
    "information_request": pgettext_lazy("message noun", "Information request"),
    "ict_request": pgettext_lazy("message noun", "ICT request"),
}


def case_context(case: Case, *, language: str, extra: Mapping[str, object] | None = None) -> dict[str, str]:
    """Placeholder values for a case (`balai.notify.rendering.PLACEHOLDERS`), in the citizen's language."""
    from balai.cases.workflows import status_label

    with translation.override(language):
        agency = case.agency if case.agency_id else None
        service = case.service if case.service_id else None
        from balai.cases.promise import promise_of

        promise = promise_of(case)  # the one promise every face gives (ADR 0041)
        due = promise.due.strftime("%d-%m-%Y") if promise.due else _("not set")
        noun = str(NOUNS.get(case.kind, NOUNS["complaint"]))
        service_name = ""
        if service is not None:
            service_name = (getattr(service, "name_en", "") if language == "en" else "") or service.name_id
        context = {
            "code": case.tracking_code,
            "status": str(status_label(case.kind, case.status)),
            "due_date": due,
            "agency": (agency.short_name or agency.name_id) if agency else "",
            "service": service_name,
            "title": case.title,
            "link": f"{settings.SITE_URL.rstrip('/')}/lacak/{case.tracking_code}/",
            "answer_excerpt": "",
            "otp": "",
            "reason": "",
            "noun": noun,
            "noun_lower": noun[:1].lower() + noun[1:],
            "step": promise.step or _("Answer"),
            "promise": promise.summary,
            "service_line": (_("Service: %(name)s") % {"name": service_name} + "\n") if service_name else "",
        }
    for key, value in (extra or {}).items():
        if value is not None:
            context[key] = str(value)
    # The engine passes the public text of a transition (an answer, a question) as "body".
    if not context["answer_excerpt"] and context.get("body"):
        context["answer_excerpt"] = context["body"]
    return context


def case_language(case: Case) -> str:
    return case.language if case.language in ("id", "en") else "id"


def queue_case_message(*, case: Case, event: str, extra: Mapping[str, object] | None = None) -> list[Message]:
    """Write the message for `event` on `case` in the CURRENT transaction; delivered once it commits.

    Empty when the citizen chose "no messages" or left no contact. The text is rendered now, in the
    case's language, so the outbox keeps exactly what the citizen was sent.
    """
    message = case_message(case=case, event=event, extra=extra)
    if message is None:
        return []
    return [queue_message(**message)]


class CaseMessage(TypedDict):
    """The arguments of `queue_message` / `prepare_message` for a message about a case."""

    channel: str
    recipient: str
    language: str
    event: str
    context: dict[str, str]
    about: Case
    reference: str
    variant: str


def case_message(*, case: Case, event: str, extra: Mapping[str, object] | None = None) -> CaseMessage | None:
    """The arguments of the outbox message for `event` on `case` (`queue_message`, `prepare_message`), or
    None when the citizen chose "no messages" or left no contact."""
    target = case_recipient(case)
    if target is None:
        return None
    channel, recipient = target
    language = case_language(case)
    return CaseMessage(channel=channel, recipient=recipient, language=language, event=event,
                       context=case_context(case, language=language, extra=extra), about=case,
                       reference=case.tracking_code, variant=case.kind)


def queue_case_text(*, channel: str, recipient: str, language: str, body: str, subject: str = "",
                    case: Case | None = None, template_version: str = "") -> Message:
    """A free text (a keyword reply composed by a channel) to `recipient`, about `case` if any, through
    the same outbox; never suppressed (the citizen has just written from that address)."""
    return queue_message(**_case_text(channel=channel, recipient=recipient, language=language, body=body,
                                      subject=subject, case=case, template_version=template_version))


def prepare_case_text(*, channel: str, recipient: str, language: str, body: str, case: Case,
                      template_version: str = "") -> Message:
    """The message `queue_case_text` writes, not saved: for `case_submit(replies=...)`, which writes it
    with the new case's acknowledgement."""
    return prepare_message(**_case_text(channel=channel, recipient=recipient, language=language, body=body,
                                        subject="", case=case, template_version=template_version))


class CaseText(TypedDict):
    channel: str
    recipient: str
    language: str
    event: str
    body: str
    subject: str
    about: Case | None
    reference: str
    template_version: str
    suppressible: bool


def _case_text(*, channel: str, recipient: str, language: str, body: str, subject: str, case: Case | None,
               template_version: str) -> CaseText:
    return CaseText(channel=channel, recipient=recipient, language=language, event="keyword_reply",
                    body=body, subject=subject, about=case,
                    reference=case.tracking_code if case is not None else "",
                    template_version=template_version, suppressible=False)
