"""A case's title when the citizen gave none: the first words of what they wrote. One rule for every face
(portal complaint form, SMS and WhatsApp, e-mail, Open311)."""

from __future__ import annotations

TITLE_LENGTH = 80  # characters; the engine accepts up to 200, a queue row shows about 80
ELLIPSIS = "..."  # plain ASCII: a title can travel in an SMS (GSM 03.38 has no "…")


def title_from_text(text: str, *, fallback: str = "") -> str:
    """`text` on one line, at most `TITLE_LENGTH` characters, cut after a whole word and marked with
    `ELLIPSIS`; `fallback` (e.g. the service's name) when `text` is blank."""
    flat = " ".join((text or "").split())
    if not flat:
        return " ".join(fallback.split())[:TITLE_LENGTH]
    if len(flat) <= TITLE_LENGTH:
        return flat
    room = TITLE_LENGTH - len(ELLIPSIS)
    cut = flat[:room + 1].rsplit(" ", 1)[0] if " " in flat[:room + 1] else flat[:room]
    return cut[:room].rstrip() + ELLIPSIS
