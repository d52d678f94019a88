"""SMS length: GSM 03.38 (GSM-7) with its extension table, and the UCS-2 fallback.

One SMS carries 160 GSM-7 units or 70 UTF-16 units; a concatenated message loses room to the user data
header, leaving 153 and 67 per segment. Extension-table characters (€ [ ] { } ~ ^ \\ |, form feed) take
two units (escape + char). In UCS-2, characters outside the BMP (emoji) take two UTF-16 units.
"""

from __future__ import annotations

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67

# Typographic characters that push a text into UCS-2 (and cost 2-3x) for no gain on a basic phone.
_GSM_FRIENDLY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-", "\t": " ",
})


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def gsm_friendly(text: str) -> str:
    """Replace curly quotes, dashes and ellipses with their GSM-7 equivalents."""
    return text.translate(_GSM_FRIENDLY)


def sms_segments(text: str) -> tuple[str, int, int]:
    """(encoding "gsm7" | "ucs2", units, segments) for `text`; an empty text is one segment."""
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, multi, encoding = GSM7_SINGLE, GSM7_MULTI, "gsm7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = UCS2_SINGLE, UCS2_MULTI, "ucs2"
    if units <= single:
        return encoding, units, 1
    return encoding, units, -(-units // multi)


def fits_one_segment(text: str) -> bool:
    """True when `text` is GSM-7 and fits one 160-unit SMS (the rule for every SMS template)."""
    encoding, _units, segments = sms_segments(text)
    return encoding == "gsm7" and segments == 1
