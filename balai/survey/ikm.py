"""Indeks Kepuasan Masyarakat, exactly per PermenPANRB 14/2017 (docs/regulations.md §1).

- NRR per element = sum of its scores ÷ number of answers to THAT element.
- Weighted NRR = NRR × 1/9, with 1/9 exact (`Fraction`): 0.111 would give 99.9 for a perfect score.
- IKM (1–4) = Σ weighted NRR; converted IKM = IKM × 25.
- Round the converted value to 2 decimals (half up), THEN compare with the lower bounds of the bands:
  D 25.00–64.99, C 65.00–76.60, B 76.61–88.30, A 88.31–100.00.
- Sample size: Krejcie & Morgan, s = X²NP(1−P) / (d²(N−1) + X²P(1−P)), X² = 3.841, P = 0.5, d = 0.05,
  rounded up (100 → 80, 1,000 → 278, 10,000 → 370, very large → 384).

Quick ratings (one overall SMS score) are excluded from the IKM and reported separately (see
`balai.survey.services.quick_rating` for why).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from balai.survey.elements import ELEMENT_KEYS

WEIGHT = Fraction(1, len(ELEMENT_KEYS))  # exactly 1/9
CONVERSION = 25

# (lower bound of the converted value, mutu, kinerja code, label)
BANDS: tuple[tuple[Decimal, str, str, Promise], ...] = (
    (Decimal("88.31"), "A", "sangat_baik", _("Very good")),
    (Decimal("76.61"), "B", "baik", _("Good")),
    (Decimal("65.00"), "C", "kurang_baik", _("Poor")),
    (Decimal("25.00"), "D", "tidak_baik", _("Very poor")),
)

KM_CHI_SQUARE = Fraction(3841, 1000)
KM_P = Fraction(1, 2)
KM_D = Fraction(5, 100)
KM_LARGE = 384  # the published table's value for very large populations


def recommended_sample(population: int) -> int:
    """Krejcie & Morgan (1970) minimum respondents for `population` users, rounded up.

    The formula tends to 384.1 as N grows; the published table (docs/regulations.md §1) stops at 384, so the
    result is capped there.
    """
    if population <= 0:
        return 0
    n = Fraction(population)
    pq = KM_P * (1 - KM_P)
    s = KM_CHI_SQUARE * n * pq / (KM_D * KM_D * (n - 1) + KM_CHI_SQUARE * pq)
    return min(math.ceil(s), KM_LARGE, population)


def band(converted: Decimal) -> tuple[str, str, Promise]:
    """(mutu, kinerja code, label) for a converted value ALREADY rounded to 2 decimals."""
    for lower, grade, code, label in BANDS:
        if converted >= lower:
            return grade, code, label
    return BANDS[-1][1:]


def round_converted(value: Fraction) -> Decimal:
    """Round half up to 2 decimals, exactly (integer arithmetic on the Fraction, never a float)."""
    hundredths = math.floor(Fraction(value) * 100 + Fraction(1, 2))
    return Decimal(hundredths).scaleb(-2)


@dataclass(frozen=True)
class IkmResult:
    nrr: dict[str, Fraction]  # element → NRR (1–4), answered elements only
    answers: dict[str, int]  # element → number of answers
    ikm: Fraction | None  # 1–4; None when some element has no answer
    converted: Decimal | None  # 25.00–100.00, rounded to 2 decimals
    grade: str  # "A".."D", "" when not computable
    kinerja: str  # "sangat_baik", "baik", "kurang_baik", "tidak_baik", ""
    label: Any  # translated kinerja label ("Sangat baik" / "Very good"), "" when not computable
    respondents: int  # full SKM responses
    missing_elements: tuple[str, ...] = ()
    population: int | None = None
    recommended_sample: int | None = None
    below_sample: bool = False  # fewer respondents than Krejcie–Morgan recommends
    quick_count: int = 0
    quick_average: Fraction | None = None
    quick_included: bool = False  # the quick ratings are counted in the index (and in `respondents`)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def ikm_decimal(self) -> Decimal | None:
        """IKM (1–4) to 4 decimals, for display."""
        if self.ikm is None:
            return None
        return (Decimal(self.ikm.numerator) / Decimal(self.ikm.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP)


def ikm_from_sums(*, sums: Mapping[str, int], counts: Mapping[str, int], respondents: int,
                  population: int | None = None, quick_sum: int = 0, quick_count: int = 0,
                  include_quick: bool = False) -> IkmResult:
    """The IKM from per-element score sums and answer counts (what the roll-ups keep).

    `include_quick`: count each quick rating (one 1–4 answer by SMS/WhatsApp/web, docs/regulations.md §1)
    as a respondent who gave that score to every one of the nine elements, so that people who rate by SMS
    count in the index (the public figures do; `IkmResult.quick_count` says how many of the respondents).
    """
    if include_quick and quick_count:
        sums = {k: int(sums.get(k, 0) or 0) + quick_sum for k in ELEMENT_KEYS}
        counts = {k: int(counts.get(k, 0) or 0) + quick_count for k in ELEMENT_KEYS}
        respondents += quick_count
    nrr: dict[str, Fraction] = {}
    answers: dict[str, int] = {}
    for key in ELEMENT_KEYS:
        n = int(counts.get(key, 0) or 0)
        if n:
            answers[key] = n
            nrr[key] = Fraction(int(sums.get(key, 0) or 0), n)
    missing = tuple(k for k in ELEMENT_KEYS if k not in nrr)
    ikm = converted = None
    grade = kinerja = ""
    label: Any = ""
    if respondents and not missing:
        ikm = sum((v * WEIGHT for v in nrr.values()), Fraction(0))
        converted = round_converted(ikm * CONVERSION)
        grade, kinerja, label = band(converted)
    sample = recommended_sample(population) if population is not None else None
    return IkmResult(
        nrr=nrr, answers=answers, ikm=ikm, converted=converted, grade=grade, kinerja=kinerja, label=label,
        respondents=respondents, missing_elements=missing if respondents else (), population=population,
        recommended_sample=sample, below_sample=bool(sample is not None and respondents < sample),
        quick_count=quick_count, quick_average=Fraction(quick_sum, quick_count) if quick_count else None,
        quick_included=include_quick and bool(quick_count),
    )


def _scores_of(response: Any) -> tuple[bool, dict[str, int], int | None]:
    if isinstance(response, Mapping):
        quick = bool(response.get("is_quick"))
        scores = response.get("scores", response)
        return quick, {k: v for k, v in scores.items() if k in ELEMENT_KEYS and v is not None}, \
            response.get("quick_score")
    return bool(response.is_quick), response.scores, response.quick_score


def compute_ikm(responses: Iterable[Any], *, population: int | None = None) -> IkmResult:
    """IKM of `responses` (SurveyResponse rows, or mappings element → score / {"scores": ..., "is_quick"}).

    `population`: users served in the period (e.g. cases finished), for the Krejcie–Morgan check.
    """
    sums = dict.fromkeys(ELEMENT_KEYS, 0)
    counts = dict.fromkeys(ELEMENT_KEYS, 0)
    respondents = quick_sum = quick_count = 0
    for response in responses:
        quick, scores, quick_score = _scores_of(response)
        if quick:
            if quick_score is not None:
                quick_sum += int(quick_score)
                quick_count += 1
            continue
        respondents += 1
        for key, value in scores.items():
            sums[key] += int(value)
            counts[key] += 1
    return ikm_from_sums(sums=sums, counts=counts, respondents=respondents, population=population,
                         quick_sum=quick_sum, quick_count=quick_count)
