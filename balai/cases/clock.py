"""Working-day arithmetic for the case engine, always through `balai.worktime.calendar`.

Thin wrappers so that the engine names one place for the calendar (imported lazily: `cases` is a domain
app and `worktime` a base app, the arrow points the right way; the lazy import only keeps app loading
order free).
"""

from __future__ import annotations

from datetime import date, datetime


def add_working_days(start: datetime, days: int, *, government_id: int | None = None) -> datetime:
    from balai.worktime.calendar import add_working_days as _add

    return _add(start, days, government_id=government_id)


def working_days_between(start: datetime, end: datetime, *, government_id: int | None = None) -> int:
    from balai.worktime.calendar import working_days_between as _between

    return _between(start, end, government_id=government_id)


def is_working_day(day: date, *, government_id: int | None = None) -> bool:
    from balai.worktime.calendar import is_working_day as _is

    return _is(day, government_id=government_id)
