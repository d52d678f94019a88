"""DUKUNG (support), USUL (propose) and PILIH (vote) by SMS: participation (docs/regulations.md §12)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation

from balai.cases.titles import title_from_text
from balai.channels import grammar, texts
from balai.channels.models import Outcome
from balai.channels.services.outcome import _Context, _Outcome
from balai.participation import selectors as participation_selectors
from balai.participation import services as participation_services
from balai.participation.keys import phone_key

PARTICIPATION_COMMANDS = ("support", "propose", "vote")

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

