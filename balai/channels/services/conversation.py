"""The questions Balai asks a sender (`Conversation`): the numbered category list (LAPOR, LAPOR 2), the
category chosen by its number, and the place and publication question after a report (ADR 0042)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from balai.agencies.selectors import region_mentioned
from balai.cases.models import Case, Confidentiality
from balai.cases.services import case_add_place, case_set_publication
from balai.catalog.selectors import complaint_category_by_keyword, complaint_keywords
from balai.channels import grammar, texts
from balai.channels.models import Conversation, Outcome
from balai.channels.services.outcome import _Context, _Outcome


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
