"""Form definitions: the typed fields of a service's application form.

A definition is a list of field objects (docs/architecture.md, form definitions):
    {"name": "snake_case", "type": "text", "label": {"id": ..., "en": ...}, "help": {...},
     "required": true, "choices": [{"value": ..., "label": {...}}], "min": 0, "max": 10,
     "max_length": 200, "step": 1}

Three functions share one per-field cleaner (`clean_field`), so the portal form, the counter form and
the API accept and reject exactly the same input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from balai.i18n import pick

FIELD_TYPES: tuple[str, ...] = (
    "text", "textarea", "number", "date", "choice", "boolean", "file", "nik", "phone", "region", "location",
)
COMMON_KEYS = frozenset({"name", "type", "label", "help", "required", "step"})
TYPE_KEYS: dict[str, frozenset[str]] = {
    "text": frozenset({"max_length"}),
    "textarea": frozenset({"max_length"}),
    "number": frozenset({"min", "max"}),
    "choice": frozenset({"choices"}),
}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
MAX_FIELDS = 60
DEFAULT_MAX_LENGTH = {"text": 255, "textarea": 5000}
# Plausible coordinates: the bounding box of Indonesia (Sabang to Merauke, Rote to Miangas).
LAT_RANGE = (-11.5, 6.5)
LNG_RANGE = (94.5, 141.5)
TRUE_WORDS = frozenset({"1", "true", "on", "yes", "ya", "y"})
FALSE_WORDS = frozenset({"", "0", "false", "off", "no", "tidak", "n"})


# --- validating a definition ---------------------------------------------------------------------

def _is_bilingual(value: Any) -> bool:
    return (isinstance(value, dict) and set(value) <= {"id", "en"}
            and all(isinstance(value.get(k), str) and str(value.get(k)).strip() for k in ("id", "en")))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_form_definition(definition: Any) -> list[str]:
    """Messages describing what is wrong with `definition` (empty when valid), in the active language."""
    if not isinstance(definition, list):
        return [_("The form definition must be a list of fields, written as [ {...}, {...} ].")]
    if len(definition) > MAX_FIELDS:
        return [_("A form may have at most %(max)d fields.") % {"max": MAX_FIELDS}]
    errors: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(definition, start=1):
        errors.extend(_validate_field(index, item, seen))
    return errors


def _validate_field(index: int, item: Any, seen: set[str]) -> list[str]:
    if not isinstance(item, dict):
        return [_("Field %(n)d must be an object such as {\"name\": ..., \"type\": ..., \"label\": ...}.")
                % {"n": index}]
    errors: list[str] = []
    name = item.get("name")
    if name is None or name == "":
        errors.append(_("Field %(n)d has no name.") % {"n": index})
        who = str(index)
    elif not isinstance(name, str) or not NAME_RE.match(name):
        errors.append(_("Field %(n)d: the name \"%(name)s\" is not valid: use lower-case letters, digits and "
                        "underscores, starting with a letter (e.g. \"birth_date\").") % {"n": index, "name": name})
        who = str(index)
    else:
        who = f"\"{name}\""
        if name in seen:
            errors.append(_("The field name \"%(name)s\" is used more than once.") % {"name": name})
        seen.add(name)

    kind = item.get("type")
    if kind is None or kind == "":
        errors.append(_("Field %(field)s has no type.") % {"field": who})
    elif kind not in FIELD_TYPES:
        errors.append(_("Field %(field)s has an unknown type \"%(type)s\"; use one of: %(types)s.")
                      % {"field": who, "type": kind, "types": ", ".join(FIELD_TYPES)})
        kind = None

    allowed = COMMON_KEYS | (TYPE_KEYS.get(kind, frozenset()) if kind else frozenset().union(*TYPE_KEYS.values()))
    unknown = sorted(str(k) for k in item if k not in allowed)
    if unknown:
        errors.append(_("Field %(field)s has keys that do not apply to it: %(keys)s.")
                      % {"field": who, "keys": ", ".join(unknown)})

    if "label" not in item:
        errors.append(_("Field %(field)s needs a label in Indonesian and English: "
                        "{\"id\": \"...\", \"en\": \"...\"}.") % {"field": who})
    elif not _is_bilingual(item["label"]):
        errors.append(_("The label of field %(field)s must have a non-empty Indonesian (\"id\") and English "
                        "(\"en\") text and nothing else.") % {"field": who})
    if "help" in item and not _is_bilingual(item["help"]):
        errors.append(_("The help of field %(field)s must have a non-empty Indonesian (\"id\") and English "
                        "(\"en\") text and nothing else.") % {"field": who})
    if "required" in item and not isinstance(item["required"], bool):
        errors.append(_("\"required\" of field %(field)s must be true or false.") % {"field": who})
    if "step" in item and not (_is_int(item["step"]) and item["step"] >= 1):
        errors.append(_("\"step\" of field %(field)s must be a whole number from 1.") % {"field": who})

    if kind == "choice":
        errors.extend(_validate_choices(who, item.get("choices")))
    if kind == "number":
        errors.extend(_validate_limits(who, item))
    if kind in ("text", "textarea") and "max_length" in item:
        if not (_is_int(item["max_length"]) and item["max_length"] >= 1):
            errors.append(_("\"max_length\" of field %(field)s must be a whole number from 1.") % {"field": who})
    return errors


def _validate_choices(who: str, choices: Any) -> list[str]:
    if choices is None:
        return [_("Choice field %(field)s needs a list of choices.") % {"field": who}]
    if not isinstance(choices, list) or not choices:
        return [_("The choices of field %(field)s must be a non-empty list.") % {"field": who}]
    errors: list[str] = []
    values: set[str] = set()
    for number, choice in enumerate(choices, start=1):
        ok = (isinstance(choice, dict) and set(choice) <= {"value", "label"}
              and isinstance(choice.get("value"), str) and choice["value"].strip()
              and _is_bilingual(choice.get("label")))
        if not ok:
            errors.append(_("Choice %(n)d of field %(field)s must look like {\"value\": \"...\", \"label\": "
                            "{\"id\": \"...\", \"en\": \"...\"}}.") % {"n": number, "field": who})
        elif choice["value"] in values:
            errors.append(_("Field %(field)s offers the choice \"%(value)s\" more than once.")
                          % {"field": who, "value": choice["value"]})
        else:
            values.add(choice["value"])
    return errors


def _validate_limits(who: str, item: dict) -> list[str]:
    errors = [
        _("\"%(key)s\" of field %(field)s must be a whole number.") % {"key": key, "field": who}
        for key in ("min", "max") if key in item and not _is_int(item[key])
    ]
    if not errors and _is_int(item.get("min")) and _is_int(item.get("max")) and item["min"] > item["max"]:
        errors.append(_("Field %(field)s: \"min\" (%(min)d) is greater than \"max\" (%(max)d).")
                      % {"field": who, "min": item["min"], "max": item["max"]})
    return errors


# --- cleaning one answer -------------------------------------------------------------------------

def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list | tuple) and not raw)


def clean_field(field: Mapping[str, Any], raw: Any) -> Any:
    """The JSON-safe value of one answer, or None when empty and optional; raises ValidationError.

    Messages are in the active language. File fields are not handled here (presence only, see below).
    """
    kind = field["type"]
    required = bool(field.get("required"))
    if kind == "boolean":
        value = _clean_boolean(raw)
        if required and not value:
            raise ValidationError(_("Please tick this box to continue."), code="required")
        return value
    if _is_empty(raw):
        if required:
            raise ValidationError(_("This field is required."), code="required")
        return None
    cleaner = _CLEANERS[kind]
    return cleaner(field, raw)


def _clean_text(field: Mapping[str, Any], raw: Any) -> str:
    value = str(raw).strip()
    if field["type"] == "text":
        value = " ".join(value.split())
    limit = field.get("max_length") or DEFAULT_MAX_LENGTH[field["type"]]
    if len(value) > limit:
        raise ValidationError(_("Use at most %(max)d characters (now %(len)d).") % {"max": limit, "len": len(value)},
                              code="max_length")
    return value


def _clean_number(field: Mapping[str, Any], raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise ValidationError(_("Enter a number."), code="invalid")
    text = str(raw).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Indonesian decimal comma: 2,5
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    if "min" in field and number < field["min"]:
        raise ValidationError(_("Enter a number of at least %(min)d.") % {"min": field["min"]}, code="min")
    if "max" in field and number > field["max"]:
        raise ValidationError(_("Enter a number of at most %(max)d.") % {"max": field["max"]}, code="max")
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_date(field: Mapping[str, Any], raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValidationError(_("Enter a date such as 17-08-2026 (day-month-year)."), code="invalid")


def _clean_choice(field: Mapping[str, Any], raw: Any) -> str:
    value = str(raw).strip()
    if value not in {c["value"] for c in field.get("choices", [])}:
        raise ValidationError(_("Choose one of the options offered."), code="invalid_choice")
    return value


def _clean_boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if raw is None:
        return False
    text = str(raw).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValidationError(_("Answer yes or no."), code="invalid")


def _clean_nik(field: Mapping[str, Any], raw: Any) -> str:
    from balai.people.nik import is_sealed_nik, unseal_nik, validate_nik

    if is_sealed_nik(raw):  # kept sealed in a draft or a queued submission (balai.catalog.sealed_answers)
        try:
            raw = unseal_nik(raw)
        except ValueError:
            raise ValidationError(_("The NIK typed earlier can no longer be read. Please type it again."),
                                  code="unreadable") from None
    value = re.sub(r"[\s.\-]", "", str(raw))
    validate_nik(value)  # raises ValidationError with its own clear message
    return value


def _clean_phone(field: Mapping[str, Any], raw: Any) -> str:
    from balai.people.phone import normalize_phone

    try:
        return normalize_phone(str(raw))
    except ValueError:
        raise ValidationError(_("Enter a valid phone number, e.g. 0812-3456-7890."), code="invalid") from None


def normalize_region_code(raw: Any) -> str:
    """'6472' → '64.72', '6472011001' → '64.72.01.1001'; dotted codes are kept."""
    text = str(raw).strip()
    if text.isdigit() and len(text) in (2, 4, 6, 10):
        parts = [text[:2], text[2:4], text[4:6], text[6:10]]
        return ".".join(p for p in parts if p)
    return text


def _clean_region(field: Mapping[str, Any], raw: Any) -> str:
    from balai.agencies.models import Region

    code = normalize_region_code(raw)
    if not Region.objects.filter(code=code).exists():
        raise ValidationError(_("Choose a region from the list."), code="invalid_region")
    return code


def _clean_location(field: Mapping[str, Any], raw: Any) -> str:
    message = _("Give the place as latitude,longitude inside Indonesia, e.g. -0.502106,117.153709.")
    parts = str(raw).replace(";", ",").split(",")
    if len(parts) != 2:
        raise ValidationError(message, code="invalid")
    try:
        lat, lng = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValidationError(message, code="invalid") from None
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
        raise ValidationError(message, code="out_of_bounds")
    return f"{lat:.6f},{lng:.6f}"


_CLEANERS = {
    "text": _clean_text, "textarea": _clean_text, "number": _clean_number, "date": _clean_date,
    "choice": _clean_choice, "nik": _clean_nik, "phone": _clean_phone, "region": _clean_region,
    "location": _clean_location,
}


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def validate_answers(definition: list[dict], data: Mapping, files: Mapping | None = None, *,
                     lang: str = "id") -> tuple[dict, dict[str, list[str]]]:
    """Clean `data` against a valid `definition`: (JSON-safe answers, field name → messages in `lang`).

    Unknown keys in `data` are ignored. File fields are checked for presence only (the case engine
    stores the files) and do not appear in the answers. Empty optional answers are left out.
    """
    files = files or {}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    with translation.override(lang):
        for field in definition:
            name = field["name"]
            if field["type"] == "file":
                if field.get("required") and not files.get(name):
                    errors[name] = [_("Please attach this file.")]
                continue
            try:
                value = clean_field(field, data.get(name))
            except ValidationError as exc:
                errors[name] = _messages(exc)
                continue
            if value is not None:
                cleaned[name] = value
    return cleaned, errors


# --- Django form class ---------------------------------------------------------------------------

class DefinedField(forms.Field):
    """A form field whose cleaning is `clean_field`, so forms and the API agree."""

    def __init__(self, *, definition: Mapping[str, Any], **kwargs) -> None:
        self.definition = definition
        self.step = definition.get("step", 1)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        return clean_field(self.definition, value)


class DefinedFileField(forms.FileField):
    def __init__(self, *, definition: Mapping[str, Any], **kwargs) -> None:
        self.definition = definition
        self.step = definition.get("step", 1)
        super().__init__(**kwargs)


def _region_choices(lang: str) -> list:
    """Regencies/cities of the instance's province as groups, their districts and villages inside."""
    from django.conf import settings

    from balai.agencies.models import Region

    province = settings.BALAI_GOVERNMENT_CODE
    rows = list(Region.objects.filter(code__startswith=f"{province}.").values_list("code", "name")
                .order_by("code"))
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for code, name in rows:
        if code.count(".") == 1:
            groups.setdefault(code, [(code, name)])
            names[code] = name
        else:
            label = name if code.count(".") == 2 else f"— {name}"
            groups.setdefault(code[:5], []).append((code, label))
    empty = [("", "—")]
    return empty + [(names.get(regency, regency), options) for regency, options in groups.items()]


def _widget_and_extra(field: Mapping[str, Any], lang: str) -> tuple[forms.Widget, dict]:
    kind = field["type"]
    if kind == "textarea":
        return forms.Textarea(attrs={"rows": 5}), {}
    if kind == "number":
        attrs = {k: field[k] for k in ("min", "max") if k in field}
        return forms.NumberInput(attrs={**attrs, "step": "any"}), {}
    if kind == "date":
        return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), {}
    if kind == "choice":
        choices = [("", "—")] + [(c["value"], pick(c["label"], lang)) for c in field["choices"]]
        return forms.Select(choices=choices), {}
    if kind == "boolean":
        return forms.CheckboxInput(), {}
    if kind == "nik":
        return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20}), {}
    if kind == "phone":
        return forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}), {}
    if kind == "region":
        return forms.Select(choices=_region_choices(lang)), {}
    if kind == "location":
        return forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "-0.502106,117.153709"}), {}
    attrs = {"maxlength": field.get("max_length") or DEFAULT_MAX_LENGTH["text"]}
    return forms.TextInput(attrs=attrs), {}


def build_form_class(definition: list[dict], *, lang: str) -> type[forms.Form]:
    """A Django form with one field per definition item, labels and help in `lang` ("id"/"en").

    Each field carries `.definition` and `.step` (the page of the portal form it belongs to).
    """
    attrs: dict[str, Any] = {}
    for field in definition:
        common: dict[str, Any] = {
            "label": pick(field.get("label"), lang),
            "help_text": pick(field.get("help"), lang),
            "required": bool(field.get("required")),
            "definition": field,
        }
        if field["type"] == "file":
            attrs[field["name"]] = DefinedFileField(**common)
            continue
        widget, extra = _widget_and_extra(field, lang)
        attrs[field["name"]] = DefinedField(widget=widget, **common, **extra)

    def full_clean(self) -> None:
        with translation.override(lang):
            forms.Form.full_clean(self)

    attrs["full_clean"] = full_clean
    attrs["definition"] = definition
    attrs["language"] = lang
    return type("ServiceForm", (forms.Form,), attrs)


# The service form's fields that ARE the citizen's contact details: a channel asks them once, either in the
# form or in its own contact step, never both (the first phone field, and the first name field).
NAME_FIELDS = frozenset({"full_name", "nama", "nama_lengkap", "name", "applicant_name"})


def contact_fields(definition: list[dict] | None) -> dict[str, str]:
    """{form field name: "contact_name" | "contact_phone"} for the definition's contact fields."""
    out: dict[str, str] = {}
    for item in definition or []:
        name, kind = item.get("name"), item.get("type")
        if not isinstance(name, str):
            continue
        if kind == "phone" and "contact_phone" not in out.values():
            out[name] = "contact_phone"
        elif kind == "text" and name in NAME_FIELDS and "contact_name" not in out.values():
            out[name] = "contact_name"
    return out


def with_contact(definition: list[dict], answers: Mapping, *, contact: Mapping[str, str],
                 reachable_by_phone: bool) -> tuple[list[dict], dict]:
    """The definition and answers as the engine validates them: a contact field left empty takes the
    contact detail given elsewhere (the counter's contact fields, the API's contact), and a phone field is
    required only when the citizen is to be reached by SMS or WhatsApp (a counter citizen without a phone
    gets a paper receipt)."""
    fields = contact_fields(definition)
    answers = dict(answers or {})
    for name, key in fields.items():
        if not answers.get(name) and contact.get(key):
            answers[name] = contact[key]
    adjusted = [({**item, "required": False} if fields.get(str(item.get("name") or "")) == "contact_phone"
                 and not reachable_by_phone else item) for item in definition]
    return adjusted, answers
