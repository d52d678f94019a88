"""Template helpers for the layout: language-prefixed paths, the other language, bilingual texts, forms."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings
from django.forms import BoundField, CheckboxSelectMultiple, RadioSelect
from django.utils.translation import get_language_info

from balai.i18n import current_language, pick

register = template.Library()


def _prefix(lang: str) -> str:
    return "" if lang == settings.LANGUAGE_CODE else f"/{lang}"


def _strip_prefix(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and (path.startswith(prefix) or path == prefix[:-1]):
            return path[len(prefix) - 1 :] or "/"
    return path


@register.simple_tag
def lang_path(path: str) -> str:
    """A path of a page built elsewhere (e.g. "/lapor/") in the current language, without reversing."""
    return _prefix(current_language()) + path


@register.simple_tag(takes_context=True)
def other_language(context) -> dict:
    """The language to offer in the switch: code, its own name, and this page's address in it."""
    current = current_language()
    code = next(c for c, _n in settings.LANGUAGES if c != current)
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    return {
        "code": code,
        "name": get_language_info(code)["name_local"] if code != "id" else "Bahasa Indonesia",
        "url": _prefix(code) + _strip_prefix(path),
    }


@register.filter
def bilingual(texts) -> str:
    """Pick the current language from a {"id": ..., "en": ...} dict (Indonesian as fallback)."""
    if isinstance(texts, str):
        return texts
    return pick(texts)


@register.filter
def rupiah(amount) -> str:
    value = int(Decimal(amount or 0))
    return "Rp " + f"{value:,}".replace(",", ".")


def _describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def field_widget(field: BoundField):
    """Render a widget linked to its hint and error (aria-describedby) and marked invalid on error."""
    attrs = {}
    described = _describedby(field)
    if described:
        attrs["aria-describedby"] = described
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(field: BoundField) -> bool:
    return isinstance(field.field.widget, RadioSelect | CheckboxSelectMultiple)


@register.filter
def error_anchor(field: BoundField) -> str:
    """The element the error summary links to: the input, or the first option of a group."""
    if is_choice_group(field):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def dotted(value) -> str:
    """A whole number with dots between thousands, as written in Indonesia: 2.000.000.000 (no "Rp")."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
