"""The per-sender rate limit on inbound messages: one polite reply per window, then silence (ADR 0042)."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings

from balai.channels import grammar, texts
from balai.channels.models import InboundMessage, Outcome
from balai.channels.selectors import inbound_counts_since
from balai.channels.services.outcome import _Outcome

# (window in seconds, most messages per sender in it). settings.BALAI_CHANNELS_RATE_LIMITS overrides.
DEFAULT_RATE_LIMITS: tuple[tuple[int, int], ...] = ((600, 10), (86400, 60))


def rate_limits() -> tuple[tuple[int, int], ...]:
    return tuple(getattr(settings, "BALAI_CHANNELS_RATE_LIMITS", None) or DEFAULT_RATE_LIMITS)


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
