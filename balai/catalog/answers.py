"""A request's form answers as people read them: the field's label, the chosen option's label, Yes/No.

One function for every page that shows answers (the portal's check page, the staff case page), so a
citizen and an officer read the same words for the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _

from balai.catalog.form_definition import _clean_boolean
from balai.i18n import pick


@dataclass(frozen=True)
class AnswerFile:
    """A file given as an answer: its name, and the case's attachment once the case stored it."""

    name: str
    attachment_id: int | None = None


@dataclass(frozen=True)
class AnswerRow:
    name: str  # the field's name in the definition (and the key in the answers)
    label: str  # the field's label in the language asked for; the raw name for an unknown field
    value: str  # the answer as text (file names joined with ", ")
    kind: str  # the field's type; "" for an unknown field
    known: bool  # False when the answer's field is no longer in the definition
    files: tuple[AnswerFile, ...] = ()


def answer_rows(definition: Iterable[Mapping[str, Any]] | None, answers: Mapping[str, Any] | None, *,
                lang: str) -> list[AnswerRow]:
    """One row per answer: the definition's fields in its order, then answers to fields it no longer has.

    A field of the definition gets a row only when `answers` has its name as a key (the value may be
    None), so answers a viewer may not see (left out of `answers`) leave no trace. Answers whose field
    was removed from the definition are kept, by name in alphabetical order (JSON columns do not keep
    the order of keys), with `known=False`. Texts are in `lang` ("id" or "en").
    """
    answers = answers or {}
    fields = [f for f in (definition or []) if isinstance(f, Mapping) and isinstance(f.get("name"), str)]
    names = {f["name"] for f in fields}
    rows: list[AnswerRow] = []
    with translation.override(lang):
        for field in fields:
            name = field["name"]
            if name in answers:
                rows.append(_row(name, pick(field.get("label"), lang) or name, str(field.get("type") or ""),
                                 field, answers[name], lang))
        for name in sorted(str(n) for n in answers if n not in names):
            rows.append(_row(name, name, "", None, answers[name], lang))
    return rows


def _row(name: str, label: str, kind: str, field: Mapping[str, Any] | None, value: Any, lang: str) -> AnswerRow:
    files = _files(value) if kind == "file" or (not kind and _looks_like_files(value)) else ()
    if files:
        text = ", ".join(f.name for f in files)
    elif kind == "boolean" or (not kind and isinstance(value, bool)):
        text = _yes_no(value)
    elif kind == "choice" and field is not None:
        text = _choice_label(field, value, lang)
    elif kind == "region" and isinstance(value, str) and value:
        text = _region_name(value)
    elif kind == "date" and isinstance(value, str) and value:
        text = _date_text(value)
    else:
        text = _text(value)
    return AnswerRow(name=name, label=label, value=text, kind=kind, known=field is not None, files=files)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _region_name(code: str) -> str:
    """"Kota Samarinda (64.72)": people know places by name, the code keeps it unambiguous."""
    from balai.agencies.models import Region

    name = Region.objects.filter(code=code).values_list("name", flat=True).first()
    return f"{name} ({code})" if name else code


def _date_text(raw: str) -> str:
    """An ISO date in the active language's long form (27 November 2026); anything else as given."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return raw
    return formats.date_format(day, "j F Y")


def _yes_no(value: Any) -> str:
    try:
        ticked = _clean_boolean(value)
    except ValidationError:
        return _text(value)
    return _("Yes") if ticked else _("No")


def _choice_label(field: Mapping[str, Any], value: Any, lang: str) -> str:
    labels = {str(c.get("value")): pick(c.get("label"), lang)
              for c in field.get("choices") or [] if isinstance(c, Mapping)}
    if isinstance(value, list | tuple):
        return ", ".join(labels.get(str(v)) or _text(v) for v in value)
    return "" if value is None else labels.get(str(value)) or _text(value)


def _looks_like_files(value: Any) -> bool:
    items = value if isinstance(value, list | tuple) else [value]
    return bool(items) and all(isinstance(v, Mapping) and "name" in v for v in items)


def _files(value: Any) -> tuple[AnswerFile, ...]:
    """A stored file answer is {"attachment": pk, "name": ...} (see case_submit); a list of them is accepted."""
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for item in items:
        if isinstance(item, Mapping) and item.get("name"):
            pk = item.get("attachment")
            out.append(AnswerFile(name=str(item["name"]), attachment_id=pk if isinstance(pk, int) else None))
        elif isinstance(item, str) and item:
            out.append(AnswerFile(name=item))
    return tuple(out)
