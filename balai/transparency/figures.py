"""From summed cell measures to figures: medians and p90 from merged histograms, shares, IKM."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from balai.survey.elements import ELEMENT_KEYS
from balai.survey.ikm import IkmResult, ikm_from_sums
from balai.transparency.models import MEASURES

MIN_CELL = 10  # breakdown cells with fewer cases are suppressed (privacy and noise)


def merge_hists(hists: Iterable[Mapping[str, int] | None]) -> dict[int, int]:
    """Sum histograms {working days: cases} exactly."""
    out: dict[int, int] = {}
    for h in hists:
        if h:
            for days, count in h.items():
                key = int(days)
                out[key] = out.get(key, 0) + count
    return {d: c for d, c in out.items() if c}


def merge(rows: Iterable[tuple[Mapping[str, int], Mapping[str, int]]]) -> tuple[dict[str, int], dict[int, int]]:
    """Sum (measures, histogram) pairs exactly."""
    sums = dict.fromkeys(MEASURES, 0)
    hists = []
    for measures, h in rows:
        for name, value in measures.items():
            if name in sums:
                sums[name] += int(value or 0)
        hists.append(h)
    return sums, merge_hists(hists)


def _value_at_rank(ordered: list[tuple[int, int]], rank: int) -> int:
    """The `rank`-th (1-based) smallest value of a histogram given as sorted (value, count) pairs."""
    seen = 0
    for value, count in ordered:
        seen += count
        if seen >= rank:
            return value
    raise ValueError(rank)


def median(hist: Mapping[int, int]) -> Decimal | None:
    """Median working days (the mean of the two middle values when the count is even)."""
    n = sum(hist.values())
    if not n:
        return None
    ordered = sorted(hist.items())
    if n % 2:
        return Decimal(_value_at_rank(ordered, (n + 1) // 2))
    low, high = _value_at_rank(ordered, n // 2), _value_at_rank(ordered, n // 2 + 1)
    return (Decimal(low + high) / 2).quantize(Decimal("0.1"))


def percentile(hist: Mapping[int, int], p: int) -> int | None:
    """Nearest-rank percentile: the smallest value with at least p % of the cases at or below it."""
    n = sum(hist.values())
    if not n:
        return None
    return _value_at_rank(sorted(hist.items()), max(1, math.ceil(Fraction(p, 100) * n)))


def pct(part: int, whole: int) -> Decimal | None:
    """Share in percent, 1 decimal (half up); None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The figures of one scope/split/period. Shares are percent (0–100, 1 decimal); None = no data.

    When `suppressed`, every number is None (fewer than `MIN_CELL` cases: the small count is never shown).
    """

    received: int | None = None
    closed: int | None = None
    open: int | None = None  # still open, of those received in the period
    median_days: Decimal | None = None  # working days to close
    p90_days: int | None = None
    mean_days: Decimal | None = None
    closed_on_time_pct: Decimal | None = None
    complaints: int | None = None
    complaints_verified_3_pct: Decimal | None = None  # verified within 3 working days (LAPOR!)
    complaints_followed_up_5_pct: Decimal | None = None  # followed up within 5 working days
    info_requests: int | None = None
    info_answered_on_time_pct: Decimal | None = None  # within 10 (+7 when extended) working days
    info_extended: int | None = None
    objections: int | None = None
    ikm: IkmResult | None = None
    close_histogram: dict[int, int] = field(default_factory=dict)
    suppressed: bool = False

    @property
    def ikm_converted(self) -> Decimal | None:
        return self.ikm.converted if self.ikm is not None else None

    @property
    def ikm_grade(self) -> str:
        return self.ikm.grade if self.ikm is not None else ""

    @property
    def quick_rating_average(self) -> Decimal | None:
        if self.ikm is None or self.ikm.quick_average is None:
            return None
        q = self.ikm.quick_average
        return (Decimal(q.numerator) / Decimal(q.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


SUPPRESSED = Figures(suppressed=True)


def figures_from(sums: Mapping[str, int], hist: Mapping[int, int], *, min_cases: int = 0) -> Figures:
    """Figures of summed measures; suppressed when fewer than `min_cases` cases were received."""
    if min_cases and sums["received"] < min_cases:
        return SUPPRESSED
    closed = sums["closed"]
    ikm: IkmResult | None = None
    if sums["respondents"] or sums["quick_count"]:
        ikm = ikm_from_sums(sums={k: sums[f"s_{k}"] for k in ELEMENT_KEYS},
                            counts={k: sums[f"n_{k}"] for k in ELEMENT_KEYS}, respondents=sums["respondents"],
                            population=closed or None, quick_sum=sums["quick_sum"],
                            quick_count=sums["quick_count"], include_quick=True)
    n_hist = sum(hist.values())
    return Figures(
        received=sums["received"], closed=closed, open=sums["open_now"], median_days=median(hist),
        p90_days=percentile(hist, 90),
        mean_days=(Decimal(sums["close_days_sum"]) / n_hist).quantize(Decimal("0.1")) if n_hist else None,
        closed_on_time_pct=pct(sums["closed_on_time"], closed),
        complaints=sums["complaints"],
        complaints_verified_3_pct=pct(sums["verified_on_time"], sums["complaints"]),
        complaints_followed_up_5_pct=pct(sums["followed_up_on_time"], sums["verified"]),
        info_requests=sums["info_requests"],
        info_answered_on_time_pct=pct(sums["info_answered_on_time"], sums["info_requests"]),
        info_extended=sums["info_extended"], objections=sums["objections"], ikm=ikm,
        close_histogram=dict(sorted(hist.items())),
    )


def as_row(figures: Figures) -> dict[str, Any]:
    """Flat JSON/CSV-friendly values of `figures` (strings for decimals; None stays None)."""
    def s(v: Any) -> Any:
        return str(v) if isinstance(v, Decimal) else v

    ikm = figures.ikm
    return {
        "suppressed": figures.suppressed,
        "received": figures.received, "closed": figures.closed, "open": figures.open,
        "median_days": s(figures.median_days), "p90_days": figures.p90_days, "mean_days": s(figures.mean_days),
        "closed_on_time_pct": s(figures.closed_on_time_pct), "complaints": figures.complaints,
        "complaints_verified_3_pct": s(figures.complaints_verified_3_pct),
        "complaints_followed_up_5_pct": s(figures.complaints_followed_up_5_pct),
        "info_requests": figures.info_requests,
        "info_answered_on_time_pct": s(figures.info_answered_on_time_pct),
        "info_extended": figures.info_extended, "objections": figures.objections,
        "ikm": s(ikm.ikm_decimal) if ikm else None, "ikm_converted": s(ikm.converted) if ikm else None,
        "ikm_grade": ikm.grade if ikm else "", "ikm_respondents": ikm.respondents if ikm else None,
        "ikm_recommended_sample": ikm.recommended_sample if ikm else None,
        "quick_rating_count": ikm.quick_count if ikm else None,
        "quick_rating_average": s(figures.quick_rating_average),
    }
