"""Bilingual content fields: every public text has an Indonesian (`_id`) and an English (`_en`) column."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def current_language() -> str:
    """The active language code reduced to the ones Balai speaks ("id" or "en")."""
    lang = (get_language() or "id")[:2]
    return "en" if lang == "en" else "id"


def localized(obj: Any, field: str, lang: str | None = None) -> str:
    """Value of `<field>_<lang>`, falling back to Indonesian when the English text is empty."""
    lang = lang or current_language()
    value = getattr(obj, f"{field}_{lang}", "") or ""
    return value or getattr(obj, f"{field}_id", "") or ""


def pick(texts: dict[str, str] | None, lang: str | None = None) -> str:
    """Pick from a {"id": ..., "en": ...} dict with the same fallback as `localized`."""
    if not texts:
        return ""
    lang = lang or current_language()
    return texts.get(lang) or texts.get("id") or ""
