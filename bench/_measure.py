"""Shared by the bench scripts: summary figures of measured times, and a process's CPU time."""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Sequence
from pathlib import Path


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0–100): the smallest value with at least q % of values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> tuple[float, float, float]:
    """(p50, p95, max) of `values`."""
    return statistics.median(values), percentile(values, 95), max(values)


def process_cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of process `pid` so far (a PostgreSQL backend's; 0 for None)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
