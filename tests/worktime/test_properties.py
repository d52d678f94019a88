"""Property-based tests of the calendar (hypothesis): the rules hold for any start and any N."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balai.worktime.calendar import (
    LOCAL_TZ,
    add_working_days,
    is_working_day,
    national_holidays,
    next_working_day,
    working_days_between,
)
from balai.worktime.models import CalendarEntry

pytestmark = pytest.mark.django_db

moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from([LOCAL_TZ, UTC]),
)
counts = st.integers(min_value=0, max_value=400)
config = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@config
@given(start=moments, days=st.integers(min_value=1, max_value=400))
def test_adding_then_counting_gives_back_n(start, days):
    assert working_days_between(start, add_working_days(start, days)) == days


@config
@given(start=moments, days=counts)
def test_a_deadline_is_the_close_of_a_working_day(start, days):
    due = add_working_days(start, days)
    local = due.astimezone(LOCAL_TZ)
    assert local.weekday() < 5
    assert local.date() not in national_holidays(local.year)
    assert is_working_day(local.date())
    assert (local.hour, local.minute) == (16, 0)
    assert local.date() > start.astimezone(LOCAL_TZ).date() or days == 0


@config
@given(a=moments, b=moments, days=counts)
def test_adding_is_monotonic_in_the_start(a, b, days):
    a, b = min(a, b), max(a, b)
    assert add_working_days(a, days) <= add_working_days(b, days)


@config
@given(start=moments, n1=counts, n2=counts)
def test_adding_is_monotonic_in_n(start, n1, n2):
    n1, n2 = min(n1, n2), max(n1, n2)
    assert add_working_days(start, n1) <= add_working_days(start, n2)
    if 1 <= n1 < n2:
        assert add_working_days(start, n1) < add_working_days(start, n2)


@config
@given(a=moments, b=moments, c=moments)
def test_counting_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)


@config
@given(day=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_next_working_day_agrees_with_adding_one(day):
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=LOCAL_TZ)
    assert next_working_day(day) == add_working_days(noon, 1).date()
    assert is_working_day(day) == (next_working_day(day, include_today=True) == day)


@config
@given(start=moments, span=st.integers(min_value=0, max_value=800))
def test_counting_agrees_with_a_naive_day_by_day_count(start, span):
    end = start + timedelta(days=span)
    first, last = start.astimezone(LOCAL_TZ).date(), end.astimezone(LOCAL_TZ).date()
    naive = sum(
        1
        for i in range(1, (last - first).days + 1)
        if (d := first + timedelta(days=i)).weekday() < 5 and d not in national_holidays(d.year)
    )
    assert working_days_between(start, end) == naive


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(LOCAL_TZ)
    ),
    days=st.integers(min_value=1, max_value=60),
    closed=st.sets(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 6, 30)), max_size=30),
)
def test_properties_hold_with_regional_days_off(start, days, closed):
    entries = CalendarEntry.objects.bulk_create(
        CalendarEntry(date=d, kind=CalendarEntry.Kind.OFFICE_CLOSURE, name="Tutup") for d in closed
    )
    from balai.worktime import calendar

    calendar.clear_cache()  # bulk_create bypasses save(): invalidate explicitly
    try:
        due = add_working_days(start, days)
        assert due.date() not in closed
        assert is_working_day(due.date())
        assert working_days_between(start, due) == days
    finally:
        CalendarEntry.objects.filter(pk__in=[e.pk for e in entries]).delete()
        calendar.clear_cache()
