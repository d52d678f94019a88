"""Small template helpers for the staff workspace."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def split_words(value: str) -> list[str]:
    return str(value).split()


@register.filter
def minutes(value: timedelta) -> int:
    return max(int(value.total_seconds() // 60), 1) if isinstance(value, timedelta) else 0


@register.filter
def from_now(value: timedelta) -> str:
    """The local time (HH:MM) `value` from now."""
    if not isinstance(value, timedelta):
        return ""
    return date_format(timezone.localtime(timezone.now() + value), "H:i")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current GET query with `changes` applied (None/"" removes a key), for pagination links."""
    request = context["request"]
    params = {k: v for k, v in request.GET.items() if k not in ("after", "before")}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params)
