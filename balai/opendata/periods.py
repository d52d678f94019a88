"""The period a /kinerja/ page shows: all months, a year (2026), a quarter (2026-K3, also 2026-Q3) or a month
(2026-11), from `?periode=`. Every figure, chart and table of the page uses the same period."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[KQkq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
               "November", "Desember")
MONTH_NAMES_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")


@dataclass(frozen=True)
class Period:
    key: str  # "" for all months
    kind: str  # all | year | quarter | month
    start: date | None
    end: date | None  # the last day of the period

    def label(self, lang: str) -> str:
        if self.kind == "all" or self.start is None:
            return _("All months")
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return _("Quarter %(q)d %(year)d") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        names = MONTH_NAMES_EN if lang == "en" else MONTH_NAMES
        return f"{names[self.start.month - 1]} {self.start.year}"


ALL = Period("", "all", None, None)


def _last_day(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def parse_period(raw: str | None) -> Period | None:
    """The period named by `raw`; ALL for nothing; None when `raw` names no period (the page says so)."""
    raw = (raw or "").strip()
    if not raw:
        return ALL
    if m := _YEAR.match(raw):
        year = int(m.group(1))
        if 2000 <= year <= 2100:
            return Period(raw, "year", date(year, 1, 1), date(year, 12, 31))
    elif m := _QUARTER.match(raw):
        year, quarter = int(m.group(1)), int(m.group(2))
        if 2000 <= year <= 2100:
            first = 3 * (quarter - 1) + 1
            return Period(f"{year}-K{quarter}", "quarter", date(year, first, 1), _last_day(year, first + 2))
    elif m := _MONTH.match(raw):
        year, month = int(m.group(1)), int(m.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return Period(f"{year}-{month:02d}", "month", date(year, month, 1), _last_day(year, month))
    return None


def period_choices(months: list[date], lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Options for the period menu, newest first: years, quarters and months that have data."""
    years = sorted({m.year for m in months}, reverse=True)
    quarters = sorted({(m.year, (m.month - 1) // 3 + 1) for m in months}, reverse=True)
    month_keys = sorted({(m.year, m.month) for m in months}, reverse=True)
    as_period = [parse_period(f"{y}-K{q}") for y, q in quarters]
    as_month = [parse_period(f"{y}-{mo:02d}") for y, mo in month_keys]
    return [
        (_("Year"), [(str(y), str(y)) for y in years]),
        (_("Quarter"), [(p.key, p.label(lang)) for p in as_period if p is not None]),
        (_("Month"), [(p.key, p.label(lang)) for p in as_month if p is not None]),
    ]
