"""The commands about one case, named by its tracking code: CEK (status), BALAS (the citizen's answer) and
NILAI (a rating). Only the case's own citizen, proved by the sender's number, may answer or rate it."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from balai.cases.commands import CaseCommand
from balai.cases.errors import CaseError
from balai.cases.models import Case
from balai.cases.selectors import case_by_code, case_promise, latest_case_message, latest_event
from balai.cases.services import case_transition, citizen_actions
from balai.cases.visibility import reveal_identity
from balai.cases.workflows import status_label
from balai.channels import grammar, texts
from balai.channels.models import Outcome
from balai.channels.services.outcome import _Context, _Outcome
from balai.notify.models import Message
from balai.survey.selectors import is_rated
from balai.survey.services import quick_rating

logger = logging.getLogger(__name__)

ANSWER_ACTIONS = ("answer", "answer_objection", "resolve")


def _engine_message(case: Case, event: str) -> Message | None:
    return latest_case_message(case, event=event)


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


def _owned_or_refused(command: grammar.Answer | grammar.Rate, ctx: _Context, action: str) -> Any:
    """The sender's own case named by `command`, or the refusal of `action` ("answer", "rate") that says
    nothing about whether the code exists."""
    case = _owned_case(command.code, ctx.phone)
    if case is None:
        return _Outcome(Outcome.REFUSED, texts.sms_text(f"{action}_refused", command.language, code=command.code),
                        detail=f"{action}:not_owner", language=command.language)
    return case


def _answer(command: grammar.Answer, ctx: _Context) -> _Outcome:
    lang, channel = command.language, ctx.channel
    case = _owned_or_refused(command, ctx, "answer")
    if isinstance(case, _Outcome):
        return case
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
    lang, channel = command.language, ctx.channel
    case = _owned_or_refused(command, ctx, "rate")
    if isinstance(case, _Outcome):
        return case
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

