"""Shared by the bench scripts: summary figures of measured times."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0–100): the smallest value with at least q % of values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> tuple[float, float, float]:
    """(p50, p95, max) of `values`."""
    return statistics.median(values), percentile(values, 95), max(values)
