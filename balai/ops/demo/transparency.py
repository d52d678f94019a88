"""Demo step: rebuild the transparency roll-ups from the demo cases and ratings (ADR 0010)."""

from __future__ import annotations

from collections.abc import Callable

from balai.transparency.rollup import rebuild


def load(*, log: Callable[[str], None]) -> None:
    report = rebuild()
    log(f"  {report.cases} cases → {report.cells} roll-up cells")
