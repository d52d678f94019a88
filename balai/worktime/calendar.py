"""Working days and office hours: the one place Balai computes deadlines (docs/architecture.md, the case engine: working days).

Rules implemented here:
- Weekends (Saturday, Sunday) are not working days.
- National holidays and cuti bersama come from `holidays.Indonesia(categories=("public", "government"),
  language="id")`: cuti bersama exist only in the GOVERNMENT category (docs/regulations.md §7;
  docs/architecture.md, pitfalls). Islamic holidays of later years are estimates, so administrators may correct a date.
- Regional holidays, one-off office closures and "working day" corrections are `CalendarEntry` rows
  in the database, per government or for all governments (docs/regulations.md §7: the package has no
  regional holidays). Precedence on a date: the government's own entry, else an entry for all
  governments, else the national calendar and weekends.
- A deadline "in N working days" — 10 (+7) working days for information requests (UU 14/2008 KIP
  art. 22, docs/regulations.md §3), 3/5/10 working days for complaints (SP4N-LAPOR!, docs/regulations.md §4) —
  ends at the close of office of the Nth working day after the day of receipt; the day of receipt is
  not counted.
- Office hours are per government (`Government.office_opens` / `office_closes`, default 08:00–16:00);
  local time is WITA, `Asia/Makassar` (docs/regulations.md §6).

Speed: the case engine calls `add_working_days` on every submission and transition. Each
(government, year) is built once into a sorted list of working-day ordinals, so adding and counting
are a bisect and an index. The cache is emptied when a `CalendarEntry` is saved or deleted in this
process, and a version check (a hash of the small entries table) runs at most every `RECHECK_SECONDS`
to notice changes made by other processes or by bulk updates.
"""

from __future__ import annotations

import threading
import time as _time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

LOCAL_TZ = ZoneInfo("Asia/Makassar")  # WITA, Kalimantan Timur
DEFAULT_OFFICE_OPENS = time(8, 0)
DEFAULT_OFFICE_CLOSES = time(16, 0)
# PUBLIC = national holidays; GOVERNMENT = cuti bersama (docs/regulations.md §7).
NATIONAL_CATEGORIES = ("public", "government")
# How often (seconds) the database calendar is checked for changes made elsewhere.
RECHECK_SECONDS = 5.0

_WORKING_DAY = "working_day"


@dataclass(frozen=True, slots=True)
class _Year:
    ordinals: list[int]  # sorted ordinals of the working days of the year
    working: frozenset[int]
    days_off: dict[date, str]  # holidays and closures (incl. those on weekends) with their names


_lock = threading.Lock()
_years: dict[tuple[int | None, int], _Year] = {}
_hours: dict[int | None, tuple[time, time]] = {}
_national: dict[int, dict[date, str]] = {}
_state: dict[str, object] = {"version": None, "checked_at": float("-inf"), "generation": 0}


# --- cache --------------------------------------------------------------------------------------


def clear_cache() -> None:
    """Forget every cached year and office hours; the next call re-reads the database calendar.

    Called after every calendar entry saved or deleted (`invalidate_after_write`; the admin deletes in bulk
    row by row). Tests that roll back calendar rows call it too.
    """
    with _lock:
        _years.clear()
        _hours.clear()
        _state["checked_at"] = float("-inf")
        _state["generation"] = int(_state["generation"]) + 1  # type: ignore[call-overload]


def _check_version() -> None:
    now = _time.monotonic()
    if now - float(_state["checked_at"]) < RECHECK_SECONDS:  # type: ignore[arg-type]
        return
    from balai.worktime.models import CalendarEntry

    # The table is small (tens of rows a year), so the version is a hash of every row: unlike
    # count + max(updated_at) it also notices a bulk .update() that does not touch updated_at.
    rows = CalendarEntry.objects.order_by("pk").values_list("pk", "government_id", "date", "kind", "name")
    token = hash(tuple(rows))
    with _lock:
        if token != _state["version"]:
            _years.clear()
            _state["version"] = token
            _state["generation"] = int(_state["generation"]) + 1  # type: ignore[call-overload]
        # Office hours live on Government, which has no version: re-read them at the same pace.
        _hours.clear()
        _state["checked_at"] = now


def national_holidays(year: int) -> dict[date, str]:
    """National holidays and cuti bersama of `year`, in Indonesian, as the `holidays` package gives them.

    docs/regulations.md §7: `holidays.Indonesia(categories=(PUBLIC, GOVERNMENT))`; 2026 has 25 such dates
    (17 national holidays and 8 cuti bersama; four of the 25 fall on a weekend). Does not depend on the
    database, so it is never invalidated.
    """
    days = _national.get(year)
    if days is None:
        calendar = holidays.Indonesia(years=year, categories=NATIONAL_CATEGORIES, language="id")
        days = {d: str(name) for d, name in sorted(calendar.items()) if d.year == year}
        _national[year] = days
    return days


def _build_year(government_id: int | None, year: int) -> _Year:
    from django.db.models import Q

    from balai.worktime.models import CalendarEntry

    generation = _state["generation"]
    national = national_holidays(year)
    scope = Q(government__isnull=True)
    if government_id is not None:
        scope |= Q(government_id=government_id)
    rows = CalendarEntry.objects.filter(scope, date__year=year).values_list(
        "government_id", "date", "kind", "name"
    )
    # Entries for all governments first, so that the government's own entry on the same date wins.
    overrides: dict[date, tuple[str, str]] = {}
    for _gov, day, kind, name in sorted(rows, key=lambda r: r[0] is not None):
        overrides[day] = (kind, name)

    ordinals: list[int] = []
    days_off: dict[date, str] = {}
    day = date(year, 1, 1)
    one = timedelta(days=1)
    while day.year == year:
        entry = overrides.get(day)
        if entry is not None:
            working = entry[0] == _WORKING_DAY
            if not working:
                days_off[day] = entry[1]
        else:
            holiday = national.get(day)
            working = holiday is None and day.weekday() < 5
            if holiday is not None:
                days_off[day] = holiday
        if working:
            ordinals.append(day.toordinal())
        day += one

    built = _Year(ordinals=ordinals, working=frozenset(ordinals), days_off=days_off)
    with _lock:
        if _state["generation"] == generation:  # not invalidated while we were reading
            _years[(government_id, year)] = built
    return built


def _year(government_id: int | None, year: int) -> _Year:
    if year > 9998 or year < 2:
        raise OverflowError("date out of the calendar's range")
    built = _years.get((government_id, year))
    return built if built is not None else _build_year(government_id, year)


def office_hours(*, government_id: int | None = None) -> tuple[time, time]:
    """(opens, closes) of the government's offices, local time; 08:00–16:00 WITA when none is given."""
    _check_version()
    return _office_hours(government_id)


def _office_hours(government_id: int | None) -> tuple[time, time]:
    hours = _hours.get(government_id)
    if hours is None:
        hours = (DEFAULT_OFFICE_OPENS, DEFAULT_OFFICE_CLOSES)
        if government_id is not None:
            from balai.agencies.models import Government

            row = (
                Government.objects.filter(pk=government_id)
                .values_list("office_opens", "office_closes")
                .first()
            )
            if row is not None:
                hours = (row[0], row[1])
        _hours[government_id] = hours
    return hours


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(LOCAL_TZ)


def _as_date(day: date) -> date:
    return _local(day).date() if isinstance(day, datetime) else day


# --- public API ----------------------------------------------------------------------------------


def add_working_days(start: datetime, days: int, *, government_id: int | None = None) -> datetime:
    """The close of office of the `days`-th working day after the (local) day of `start`.

    The day of receipt is not counted, whatever the hour (docs/regulations.md §3: 10 working days to answer
    an information request, once 7 more; §4: LAPOR! verification 3, follow-up 5, closure 10 working
    days). `days == 0` gives the close of the same day if it is a working day, else of the next one.
    Returns an aware datetime in WITA (`Asia/Makassar`). Raises ValueError for a naive `start` or
    negative `days`.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local = _local(start)
    _check_version()
    target = local.date().toordinal()
    year = local.year
    ordinals = _year(government_id, year).ordinals
    index = bisect_left(ordinals, target) if days == 0 else bisect_right(ordinals, target) + days - 1
    while index >= len(ordinals):
        index -= len(ordinals)
        year += 1
        ordinals = _year(government_id, year).ordinals
    closes = _office_hours(government_id)[1]
    return datetime.combine(date.fromordinal(ordinals[index]), closes, tzinfo=LOCAL_TZ)


def working_days_between(start: datetime, end: datetime, *, government_id: int | None = None) -> int:
    """Number of working days d with start.date() < d <= end.date() (local dates); 0 when end <= start.

    The inverse of `add_working_days`: `working_days_between(s, add_working_days(s, n)) == n` for n >= 1.
    Used for elapsed working days of a case (docs/regulations.md §3, §4).
    """
    if end <= start:
        return 0
    first, last = _local(start).date(), _local(end).date()
    if last <= first:
        return 0
    _check_version()
    a, b = first.toordinal(), last.toordinal()
    if first.year == last.year:
        ordinals = _year(government_id, first.year).ordinals
        return bisect_right(ordinals, b) - bisect_right(ordinals, a)
    ordinals = _year(government_id, first.year).ordinals
    count = len(ordinals) - bisect_right(ordinals, a)
    for year in range(first.year + 1, last.year):
        count += len(_year(government_id, year).ordinals)
    return count + bisect_right(_year(government_id, last.year).ordinals, b)


def is_working_day(day: date, *, government_id: int | None = None) -> bool:
    """Whether offices work on `day`: not a weekend, national holiday, cuti bersama, regional holiday or
    closure, unless corrected by a "working day" entry (docs/regulations.md §7). A datetime is taken at its
    local (WITA) date.
    """
    day = _as_date(day)
    _check_version()
    return day.toordinal() in _year(government_id, day.year).working


def next_working_day(day: date, *, government_id: int | None = None, include_today: bool = False) -> date:
    """The first working day after `day` (or `day` itself when `include_today` and it is one)."""
    day = _as_date(day)
    _check_version()
    target = day.toordinal()
    year = day.year
    ordinals = _year(government_id, year).ordinals
    index = bisect_left(ordinals, target) if include_today else bisect_right(ordinals, target)
    while index >= len(ordinals):
        index -= len(ordinals)
        year += 1
        ordinals = _year(government_id, year).ordinals
    return date.fromordinal(ordinals[index])


def is_office_hours(moment: datetime, *, government_id: int | None = None) -> bool:
    """Whether `moment` falls on a working day within the government's office hours (opens <= t < closes)."""
    local = _local(moment)
    _check_version()
    if local.date().toordinal() not in _year(government_id, local.year).working:
        return False
    opens, closes = _office_hours(government_id)
    return opens <= local.time().replace(tzinfo=None) < closes


def days_off(year: int, *, government_id: int | None = None) -> dict[date, str]:
    """Holidays, cuti bersama and closures of `year` with their names (weekends not listed unless a
    holiday falls on one; days corrected to working days left out). For calendars shown to people.
    """
    _check_version()
    return dict(_year(government_id, year).days_off)


def _office_span(day: date, government_id: int | None) -> tuple[datetime, datetime] | None:
    """(opening, closing) of `day` in WITA, or None when `day` is not a working day."""
    if day.toordinal() not in _year(government_id, day.year).working:
        return None
    opens, closes = _office_hours(government_id)
    return (datetime.combine(day, opens, tzinfo=LOCAL_TZ), datetime.combine(day, closes, tzinfo=LOCAL_TZ))


def add_office_minutes(start: datetime, minutes: int, *, government_id: int | None = None) -> datetime:
    """The moment `minutes` of office time after `start`: only the office hours of working days count
    (weekends, holidays and cuti bersama do not, docs/regulations.md §7). Used for the ICT desk's response and
    resolution targets (docs/regulations.md §13). A start outside office hours counts from the next opening.
    """
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    _check_version()
    moment = _local(start)
    left = timedelta(minutes=minutes)
    day = moment.date()
    for _guard in range(366 * 20):
        span = _office_span(day, government_id)
        if span is not None:
            begin = max(span[0], moment)
            if begin < span[1]:
                room = span[1] - begin
                if left <= room:
                    return begin + left
                left -= room
        day = day + timedelta(days=1)
    raise ValueError("target too far away")  # pragma: no cover - twenty years of minutes


def office_minutes_between(start: datetime, end: datetime, *, government_id: int | None = None) -> int:
    """Minutes of office time (working days, office hours) between `start` and `end`; 0 when end <= start."""
    if end <= start:
        return 0
    _check_version()
    a, b = _local(start), _local(end)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        span = _office_span(day, government_id)
        if span is not None:
            lo, hi = max(span[0], a), min(span[1], b)
            if hi > lo:
                total += hi - lo
        day = day + timedelta(days=1)
    return int(total.total_seconds() // 60)


def invalidate_after_write(**_signal: object) -> None:
    """Empty the cache after a calendar entry was saved or deleted (a signal receiver, see `apps.py`), and
    again after commit, in case another thread rebuilt the cache from the pre-commit state meanwhile."""
    from django.db import transaction

    clear_cache()
    transaction.on_commit(clear_cache)
