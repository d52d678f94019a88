"""Tracking codes: format, typo detection (the acceptance criterion), normalisation, uniqueness."""

from __future__ import annotations

import random
import re

import pytest
from django.db import IntegrityError

from balai.cases import tracking
from balai.cases.tracking import (
    ALPHABET,
    CONFUSABLES,
    assign_unique_code,
    is_valid_code,
    new_tracking_code,
    normalize_code,
)

CODE_RE = re.compile(rf"^KT-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def body_of(code: str) -> str:
    return code.replace("-", "")[2:]


def test_alphabet_is_prime_sized_and_unambiguous():
    assert len(ALPHABET) == 23
    assert len(set(ALPHABET)) == 23
    assert all(n % d for n in [len(ALPHABET)] for d in range(2, n))
    for ambiguous in "0O1ILUVSBGZQN":
        assert ambiguous not in ALPHABET


def test_format_and_validity():
    code = new_tracking_code()
    assert CODE_RE.match(code), code
    assert is_valid_code(code)
    assert normalize_code(code) == code


def test_prefix_comes_from_settings(settings):
    settings.BALAI_CASE_PREFIX = "bpn"
    code = new_tracking_code()
    assert code.startswith("BPN-")
    assert normalize_code(code.lower().replace("-", "")) == code


def test_every_single_substitution_and_adjacent_swap_is_caught():
    """Acceptance criterion (ADR 0006): 10,000 random codes, every single change and neighbour swap."""
    rng = random.Random(20260101)
    typed_alikes = ALPHABET + "".join(CONFUSABLES)  # every character that normalises into the alphabet
    checked = 0
    for _ in range(10_000):
        code = new_tracking_code()
        body = body_of(code)
        assert normalize_code(code) == code
        for i, original in enumerate(body):
            for replacement in typed_alikes:
                if CONFUSABLES.get(replacement, replacement) == original:
                    continue  # the same character (or its look-alike): not a typo
                changed = body[:i] + replacement + body[i + 1 :]
                assert normalize_code("KT" + changed) is None, (code, i, replacement)
                checked += 1
        for i in range(len(body) - 1):
            if body[i] == body[i + 1]:
                continue  # swapping equal neighbours gives the same code
            swapped = body[:i] + body[i + 1] + body[i] + body[i + 2 :]
            assert not is_valid_code(f"KT-{swapped[:4]}-{swapped[4:]}"), (code, i)
            checked += 1
        # a change in the prefix is refused too
        bad_prefix = rng.choice(["KX", "XT", "TK"])
        assert normalize_code(bad_prefix + body) is None
    assert checked > 10_000 * 8 * 20


def test_transpositions_at_any_distance_are_caught():
    rng = random.Random(7)
    for _ in range(2_000):
        body = body_of(new_tracking_code())
        i, j = sorted(rng.sample(range(8), 2))
        if body[i] == body[j]:
            continue
        swapped = list(body)
        swapped[i], swapped[j] = swapped[j], swapped[i]
        assert normalize_code("".join(swapped)) is None


@pytest.mark.parametrize(
    "transform",
    [
        lambda c: c.lower(),
        lambda c: c.replace("-", ""),
        lambda c: c.replace("-", " "),
        lambda c: " " + c.replace("-", "  -  ") + " ",
        lambda c: c.replace("-", "--"),
        lambda c: c.replace("-", "", 1),
        lambda c: c[3:],  # without the prefix
        lambda c: c[3:].replace("-", "").lower(),
        lambda c: c.replace("-", "."),
        lambda c: "\tkt " + c[3:7] + "\n" + c[8:],
    ],
)
def test_normalisation_accepts_loose_typing(transform):
    for _ in range(50):
        code = new_tracking_code()
        assert normalize_code(transform(code)) == code


def test_look_alikes_are_read_as_their_alphabet_twin():
    # find a code containing 5, 8, 6 or 2 and type it with S, B, G or Z
    twins = {v: k for k, v in CONFUSABLES.items()}
    for _ in range(1000):
        code = new_tracking_code()
        body = body_of(code)
        if any(ch in twins for ch in body):
            typed = "".join(twins.get(ch, ch) for ch in body).lower()
            assert normalize_code(typed) == code
            return
    pytest.fail("no code with a look-alike digit in 1000 draws")


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "KT",
        "KT-",
        "KT-7M4Q-2X9",
        "KT-7M4Q-2X9PP",
        "hello world",
        "KT-0M4Q-2X9P",
        "KT-IM4Q-2X9P",
        "KT-OM4Q-2X9P",
        "KT-LM4Q-2X9P",
        "KT-UM4Q-2X9P",
        "KT-VM4Q-2X9P",
        "KT-7M4Q-2X9P<script>",
        "x" * 1000,
        12345,
    ],
)
def test_invalid_input_returns_none(raw):
    assert normalize_code(raw) is None
    assert is_valid_code(raw) is False


def test_characters_without_a_single_twin_are_refused_not_guessed():
    code = new_tracking_code()
    body = body_of(code)
    for bad in "0O1ILQUVN":
        assert normalize_code(bad + body[1:]) is None


def test_randomness_collisions_in_100k_match_the_birthday_bound_and_alphabet_only():
    """100,000 codes: collisions only at the rate chance predicts, and only alphabet symbols.

    Seven random symbols give 23**7 ≈ 3.4e9 codes, so 100,000 draws are expected to share a code
    n²/2N ≈ 1.5 times (the birthday bound): "no collision at all" cannot be promised by any code this
    short, which is why the database's unique constraint and `assign_unique_code` make codes unique.
    P(Poisson(1.5) > 10) < 1e-6, so this test does not flake; a broken generator (e.g. a small seed
    space) fails it.
    """
    drawn = [new_tracking_code() for _ in range(100_000)]
    codes = set(drawn)
    assert len(drawn) - len(codes) <= 10
    seen = set()
    for code in codes:
        seen.update(body_of(code)[:7])
    assert seen == set(ALPHABET)  # every symbol used, nothing else
    # each position roughly uniform: every symbol appears in the first position at least 3,000 times
    first = [body_of(c)[0] for c in codes]
    assert min(first.count(ch) for ch in ALPHABET) > 3000


def test_codes_come_from_secrets(monkeypatch):
    calls = []

    def fake_randbelow(n):
        calls.append(n)
        return 0

    monkeypatch.setattr(tracking.secrets, "randbelow", fake_randbelow)
    code = new_tracking_code()
    assert calls == [23] * 7
    assert code.startswith("KT-2222-222")
    assert is_valid_code(code)


def test_bad_prefix_setting_is_refused(settings):
    settings.BALAI_CASE_PREFIX = "K-1"
    with pytest.raises(ValueError):
        new_tracking_code()


@pytest.mark.django_db
class TestAssignUniqueCode:
    def test_retries_on_collision(self):
        taken = {"KT-AAAA-AAAA"}
        codes = iter(["KT-AAAA-AAAA", "KT-FREE-0001"])
        saved = []

        def save(code):
            if code in taken:
                raise IntegrityError("duplicate")
            saved.append(code)
            return code

        # first code: pre-check says taken (skipped), second saves
        result = assign_unique_code(save, code_taken=lambda c: c in taken, generate=lambda: next(codes))
        assert result == "KT-FREE-0001"
        assert saved == ["KT-FREE-0001"]

    def test_race_lost_at_insert_is_retried(self):
        inserted_by_other = set()
        codes = iter(["KT-RACE-0001", "KT-FREE-0002"])

        def save(code):
            if code == "KT-RACE-0001":
                inserted_by_other.add(code)  # a concurrent transaction committed it meanwhile
                raise IntegrityError("duplicate key")
            return code

        result = assign_unique_code(
            save, code_taken=lambda c: c in inserted_by_other, generate=lambda: next(codes)
        )
        assert result == "KT-FREE-0002"

    def test_other_integrity_errors_are_not_swallowed(self):
        calls = []

        def save(code):
            calls.append(code)
            raise IntegrityError("NOT NULL constraint failed: cases_case.agency_id")

        with pytest.raises(IntegrityError, match="NOT NULL"):
            assign_unique_code(save, code_taken=lambda c: False)
        assert len(calls) == 1

    def test_gives_up_after_attempts(self):
        with pytest.raises(IntegrityError):
            assign_unique_code(lambda c: c, attempts=3, code_taken=lambda c: True)


@pytest.mark.django_db(transaction=True)
def test_assign_unique_code_against_the_database():
    """A real unique-constraint collision on Case.tracking_code is retried with a new code."""
    from django.utils import timezone

    from balai.cases.models import Case
    from tests.factories import AgencyFactory

    agency = AgencyFactory()

    def create(code):
        return Case.objects.create(
            tracking_code=code,
            kind="complaint",
            title="Jalan rusak",
            status="submitted",
            submitted_at=timezone.now(),
            government=agency.government,
            agency=agency,
        )

    first = assign_unique_code(create)
    codes = iter([first.tracking_code, new_tracking_code()])
    # code_taken says "free" before the insert (as in a race), then the insert collides
    answers = iter([False, True, False])
    second = assign_unique_code(create, generate=lambda: next(codes), code_taken=lambda c: next(answers))
    assert second.tracking_code != first.tracking_code
    assert Case.objects.count() == 2
