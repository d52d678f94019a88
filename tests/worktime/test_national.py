"""Hand-checked deadlines on the national calendar (no database entries): Idul Fitri 2026, the year end,
and the size of the 2026 calendar (docs/regulations.md §3, §4, §7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import holidays
import pytest

from balai.worktime.calendar import (
    LOCAL_TZ,
    add_working_days,
    days_off,
    is_working_day,
    national_holidays,
    next_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def wita(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


def close(y, m, d):
    return datetime(y, m, d, 16, 0, tzinfo=LOCAL_TZ)


# --- the 2026 calendar as the holidays package gives it (docs/regulations.md §7) ----------------------


def test_2026_has_25_dates_17_holidays_and_8_cuti_bersama():
    days = national_holidays(2026)
    assert len(days) == 25
    cuti = {d for d, name in days.items() if name.startswith("Cuti Bersama")}
    assert len(cuti) == 8
    # The 8 are exactly what the GOVERNMENT category adds to the PUBLIC one.
    public_only = holidays.Indonesia(years=2026, language="id")
    assert len(public_only) == 17
    assert set(days) - set(public_only) == cuti


def test_the_25_count_dates_including_weekends():
    """ "25 days" counts dates, four of which fall on a weekend, so 21 weekdays are lost."""
    days = national_holidays(2026)
    on_weekends = sorted(d for d in days if d.weekday() >= 5)
    assert on_weekends == [date(2026, 3, 21), date(2026, 3, 22), date(2026, 4, 5), date(2026, 5, 31)]
    # 2026 has 261 weekdays (Jan 1 is a Thursday; 52 weeks + 1 day): 261 - 21 = 240 working days.
    assert working_days_between(wita(2025, 12, 31), wita(2026, 12, 31)) == 240


def test_regulation_counts_for_2025_and_2027():
    assert len(national_holidays(2025)) == 28
    assert len(national_holidays(2027)) == 26


def test_names_are_indonesian():
    days = days_off(2026)
    assert days[date(2026, 3, 20)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert days[date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert days[date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"


# --- Idul Fitri 2026: Nyepi Wed 18 + Thu 19 March, cuti Fri 20, Idul Fitri Sat 21–Sun 22, cuti Mon 23 –
# Tue 24 March. Tue 17 March is the last working day before, Wed 25 March the first after.


def test_idul_fitri_2026_days_off():
    assert is_working_day(date(2026, 3, 17))
    for day in range(18, 25):
        assert not is_working_day(date(2026, 3, day)), day
    assert is_working_day(date(2026, 3, 25))
    assert next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)
    assert next_working_day(date(2026, 3, 25), include_today=True) == date(2026, 3, 25)
    assert next_working_day(date(2026, 3, 20), include_today=True) == date(2026, 3, 25)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Complaint received Friday 13 March (LAPOR!, docs/regulations.md §4): 16, 17, 25 March …
        (wita(2026, 3, 13), 1, close(2026, 3, 16)),
        (wita(2026, 3, 13), 3, close(2026, 3, 25)),  # verification within 3 working days
        (wita(2026, 3, 13), 5, close(2026, 3, 27)),  # follow-up within 5
        (wita(2026, 3, 13), 10, close(2026, 4, 6)),  # 10: Good Friday 3 April is skipped too
        # Received Monday 16 March.
        (wita(2026, 3, 16), 1, close(2026, 3, 17)),
        (wita(2026, 3, 16), 2, close(2026, 3, 25)),
        (wita(2026, 3, 16), 5, close(2026, 3, 30)),
        (wita(2026, 3, 16), 10, close(2026, 4, 7)),
        # Information request Monday 9 March (UU 14/2008, docs/regulations.md §3): 10 working days …
        (wita(2026, 3, 9), 10, close(2026, 3, 30)),
        # … and the one extension of 7 working days counted from that deadline.
        (close(2026, 3, 30), 7, close(2026, 4, 9)),
        # Received on Idul Fitri itself (web, Saturday 21 March): the first working day is 25 March.
        (wita(2026, 3, 21, 9), 0, close(2026, 3, 25)),
        (wita(2026, 3, 21, 9), 1, close(2026, 3, 25)),
        (wita(2026, 3, 21, 9), 3, close(2026, 3, 27)),
        # Received late at night on the last working day: the day of receipt is still not counted.
        (wita(2026, 3, 17, 23, 30), 1, close(2026, 3, 25)),
        (wita(2026, 3, 17, 23, 30), 0, close(2026, 3, 17)),
    ],
)
def test_idul_fitri_2026_deadlines(start, days, expected):
    assert add_working_days(start, days) == expected
    if days:
        assert working_days_between(start, expected) == days


def test_the_local_date_counts_not_the_utc_date():
    # 16 March 17:00 UTC is Tuesday 17 March 01:00 WITA: the day of receipt is the 17th.
    start = datetime(2026, 3, 16, 17, 0, tzinfo=UTC)
    assert add_working_days(start, 1) == close(2026, 3, 25)
    assert add_working_days(start, 1).tzinfo is LOCAL_TZ


def test_counting_across_idul_fitri():
    assert working_days_between(close(2026, 3, 13), wita(2026, 3, 25, 8)) == 3  # 16, 17, 25
    assert working_days_between(wita(2026, 3, 17), wita(2026, 3, 24, 15)) == 0
    assert working_days_between(wita(2026, 3, 25), wita(2026, 3, 17)) == 0  # end before start


# --- across the year end: cuti Natal Thu 24 + Natal Fri 25 Dec 2026, Tahun Baru Fri 1 Jan 2027,
# Isra Mikraj Tue 5 Jan 2027.


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (wita(2026, 12, 23), 1, close(2026, 12, 28)),
        (wita(2026, 12, 23), 4, close(2026, 12, 31)),
        (wita(2026, 12, 23), 5, close(2027, 1, 4)),
        (wita(2026, 12, 23), 6, close(2027, 1, 6)),
        (wita(2026, 12, 23), 10, close(2027, 1, 12)),
        (wita(2026, 12, 31, 15), 1, close(2027, 1, 4)),
        (wita(2026, 12, 31, 15), 2, close(2027, 1, 6)),
        (wita(2027, 1, 1), 0, close(2027, 1, 4)),
        # A long span over the whole of 2027: 30 working days from 1 December 2026.
        (wita(2026, 12, 1), 30, close(2027, 1, 18)),
    ],
)
def test_year_end_deadlines(start, days, expected):
    assert add_working_days(start, days) == expected
    if days:
        assert working_days_between(start, expected) == days


def test_year_end_working_days():
    assert [d for d in range(24, 32) if is_working_day(date(2026, 12, d))] == [28, 29, 30, 31]
    assert next_working_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert not is_working_day(date(2027, 1, 5))


def test_many_years_are_counted():
    start, end = wita(2026, 1, 1), wita(2029, 6, 30)
    naive = 0
    day = start.date().toordinal() + 1
    while day <= end.date().toordinal():
        d = date.fromordinal(day)
        if d.weekday() < 5 and d not in national_holidays(d.year):
            naive += 1
        day += 1
    assert working_days_between(start, end) == naive


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 16, 10, 0), 1)  # naive
    with pytest.raises(ValueError):
        add_working_days(wita(2026, 3, 16), -1)
    with pytest.raises(ValueError):
        working_days_between(datetime(2026, 3, 16), datetime(2026, 3, 20))


def test_a_datetime_is_taken_at_its_local_date():
    assert not is_working_day(datetime(2026, 3, 17, 16, 30, tzinfo=UTC))  # 18 March WITA: Nyepi cuti
    assert is_working_day(datetime(2026, 3, 17, 15, 30, tzinfo=UTC))  # 23:30 on the 17th WITA
    assert add_working_days(wita(2026, 3, 16), 1).timetz() == time(16, 0, tzinfo=LOCAL_TZ)
