"""Tracking codes: short, random, unambiguous, with a check character (ADR 0006).

A code looks like ``KT-7M4Q-2X9P``: the instance prefix (``settings.BALAI_CASE_PREFIX``), then eight
characters from a 23-symbol alphabet, the last of which is a check character.

* Alphabet ``23456789ACDEFHJKMPRTWXY`` (23 symbols, a prime): no 0/O/Q, 1/I/L, U/V (alike when written,
  and V is read "fe" like F "ef" in Indonesian), 5/S, 8/B, 6/G, 2/Z (alike when written or read off a
  feature-phone screen) and N (heard like M "em").
* Check: with values v1..v8 and weights 1..8, ``sum(i * v_i) ≡ 0 (mod 23)``. A single substitution
  changes the sum by ``i·d`` and a swap of positions i, j by ``(i − j)(v_j − v_i)``; 23 is prime and
  every factor is non-zero and smaller than 23, so the sum changes and the code is rejected. This catches
  every single substitution and every transposition (adjacent or not) within the eight characters.
* Seven characters come from `secrets`: 23**7 ≈ 3.4 billion codes, so codes cannot be enumerated.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction

ALPHABET = "23456789ACDEFHJKMPRTWXY"
MODULUS = len(ALPHABET)  # 23, prime: the check relies on it
RANDOM_LENGTH = 7
BODY_LENGTH = RANDOM_LENGTH + 1
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_INVERSE_LAST_WEIGHT = pow(BODY_LENGTH, -1, MODULUS)

# Characters outside the alphabet that have exactly one look-alike inside it are read as that one.
# 0/O/Q, 1/I/L and U/V have no look-alike in the alphabet (or two), so a code with them is refused
# rather than guessed.
CONFUSABLES = {"S": "5", "B": "8", "G": "6", "Z": "2"}
_SEPARATORS = re.compile(r"[\s\-_.·/\u2010-\u2015\u2212]+")  # spaces, dashes (also typographic), dots
_PREFIX_RE = re.compile(r"[A-Z]{1,6}")

T = TypeVar("T")


def _prefix(prefix: str | None = None) -> str:
    value = (prefix if prefix is not None else getattr(settings, "BALAI_CASE_PREFIX", "KT")).upper()
    if not _PREFIX_RE.fullmatch(value):
        raise ValueError("BALAI_CASE_PREFIX must be 1 to 6 letters A–Z")
    return value


def _check_char(values: list[int]) -> str:
    partial = sum(weight * value for weight, value in enumerate(values, start=1))
    return ALPHABET[(-partial * _INVERSE_LAST_WEIGHT) % MODULUS]


def _body_ok(body: str) -> bool:
    """True when `body` is eight alphabet characters whose weighted sum is 0 mod 23."""
    if len(body) != BODY_LENGTH:
        return False
    total = 0
    for weight, char in enumerate(body, start=1):
        value = _VALUE.get(char)
        if value is None:
            return False
        total += weight * value
    return total % MODULUS == 0


def _format(prefix: str, body: str) -> str:
    return f"{prefix}-{body[:4]}-{body[4:]}"


def new_tracking_code(*, prefix: str | None = None) -> str:
    """A fresh random code such as ``KT-7M4Q-2X9P`` (not checked against the database)."""
    values = [secrets.randbelow(MODULUS) for _ in range(RANDOM_LENGTH)]
    body = "".join(ALPHABET[v] for v in values) + _check_char(values)
    return _format(_prefix(prefix), body)


def normalize_code(raw: str | None, *, prefix: str | None = None) -> str | None:
    """The canonical form of a code typed or read by a person, or None when it is not a valid code.

    Accepts lower case, spaces, missing or extra dashes, with or without the prefix, and the look-alikes
    in `CONFUSABLES` (S→5, B→8, G→6, Z→2). Returns None when the check character does not match.
    """
    if not raw or not isinstance(raw, str) or len(raw) > 64:
        return None
    want = _prefix(prefix)
    text = _SEPARATORS.sub("", raw).upper()
    if len(text) == len(want) + BODY_LENGTH and text.startswith(want):
        text = text[len(want) :]
    if len(text) != BODY_LENGTH:
        return None
    body = text if _VALUE.keys() >= set(text) else "".join(CONFUSABLES.get(char, char) for char in text)
    if not _body_ok(body):
        return None
    return _format(want, body)


def is_valid_code(code: str | None, *, prefix: str | None = None) -> bool:
    """True for a well-formed code, typed loosely or canonically (see `normalize_code`)."""
    return normalize_code(code, prefix=prefix) is not None


def _code_taken(code: str) -> bool:
    from balai.cases.models import Case

    return Case.objects.filter(tracking_code=code).exists()


def assign_unique_code(
    save_fn: Callable[[str], T],
    *,
    attempts: int = 5,
    code_taken: Callable[[str], bool] = _code_taken,
    generate: Callable[[], str] = new_tracking_code,
) -> T:
    """Call ``save_fn(code)`` with a fresh code until it succeeds, and return its result.

    ``save_fn`` inserts the row (e.g. ``lambda code: Case.objects.create(tracking_code=code, ...)``).
    Each attempt runs in a savepoint, so a unique-constraint race with a concurrent transaction rolls
    back only that attempt. An IntegrityError that is not caused by the code being taken is re-raised
    at once; after `attempts` collisions the last IntegrityError is raised.
    """
    last_error: IntegrityError | None = None
    for _ in range(max(1, attempts)):
        code = generate()
        if code_taken(code):
            continue
        try:
            with transaction.atomic():
                return save_fn(code)
        except IntegrityError as error:
            if not code_taken(code):
                raise
            last_error = error
    raise last_error or IntegrityError("no free tracking code found")
