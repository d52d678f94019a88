"""Form answers as they are stored: a NIK never in plain text (UU 27/2022 PDP art. 35; ADR 0019).

Answers live in JSON (a case's `answers`, a queued submission's payload, a portal draft in the session).
Every answer to a field of type "nik" is stored sealed (`balai.people.nik.seal_nik`: a Fernet token and a
keyed look-up digest), and so is any answer that looks like a NIK (16 digits) under a name the form does
not define, since an API client may send answers to a complaint, which has no form. Sealed values are
opened only where `balai.cases.visibility` lets the viewer see the citizen's identity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from balai.people.nik import is_sealed_nik, seal_nik

SEALED_TYPES = frozenset({"nik"})
# A NIK or a family-card number (both 16 digits), typed with the usual separators.
_SIXTEEN_DIGITS = re.compile(r"^\d{16}$")


def sealed_field_names(definition: Iterable[Mapping[str, Any]] | None) -> set[str]:
    """Names of the definition's fields whose answers are stored sealed."""
    return {str(f.get("name")) for f in (definition or [])
            if isinstance(f, Mapping) and f.get("type") in SEALED_TYPES and f.get("name")}


def _looks_like_nik(value: Any) -> bool:
    return isinstance(value, str) and bool(_SIXTEEN_DIGITS.match(re.sub(r"[\s.\-]", "", value)))


def seal_answers(definition: Iterable[Mapping[str, Any]] | None, answers: Mapping[str, Any] | None) -> dict:
    """A copy of `answers` with every NIK sealed (already sealed values are kept as they are)."""
    definition = list(definition or [])
    sealed = sealed_field_names(definition)
    defined = {str(f.get("name")) for f in definition if isinstance(f, Mapping)}
    out: dict[str, Any] = {}
    for name, value in (answers or {}).items():
        if is_sealed_nik(value) or value in (None, ""):
            out[name] = value
        elif name in sealed or (name not in defined and _looks_like_nik(value)):
            out[name] = seal_nik(value)
        else:
            out[name] = value
    return out


def has_plain_nik(definition: Iterable[Mapping[str, Any]] | None, answers: Mapping[str, Any] | None) -> bool:
    """True when `seal_answers` would change something (data written before sealing existed)."""
    return seal_answers(definition, answers) != dict(answers or {})
