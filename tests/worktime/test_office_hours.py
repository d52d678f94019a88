"""Office hours per government (Government.office_opens / office_closes; default 08:00–16:00 WITA)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from balai.worktime import calendar
from balai.worktime.calendar import LOCAL_TZ, add_working_days, is_office_hours, office_hours

pytestmark = pytest.mark.django_db


def wita(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (wita(2026, 3, 16, 7, 59), False),
        (wita(2026, 3, 16, 8, 0), True),
        (wita(2026, 3, 16, 15, 59), True),
        (wita(2026, 3, 16, 16, 0), False),  # the office has closed at 16:00
        (wita(2026, 3, 14, 10, 0), False),  # Saturday
        (wita(2026, 3, 20, 10, 0), False),  # cuti bersama Idul Fitri
        (datetime(2026, 3, 16, 0, 30, tzinfo=UTC), True),  # 08:30 WITA
        (datetime(2026, 3, 16, 8, 30, tzinfo=UTC), False),  # 16:30 WITA
    ],
)
def test_default_office_hours(moment, expected):
    assert is_office_hours(moment) is expected


def test_government_office_hours(kaltim):
    kaltim.office_opens, kaltim.office_closes = time(7, 30), time(15, 30)
    kaltim.save()
    assert office_hours(government_id=kaltim.pk) == (time(7, 30), time(15, 30))
    assert office_hours() == (time(8, 0), time(16, 0))
    assert is_office_hours(wita(2026, 3, 16, 7, 45), government_id=kaltim.pk)
    assert not is_office_hours(wita(2026, 3, 16, 7, 45))
    assert not is_office_hours(wita(2026, 3, 16, 15, 45), government_id=kaltim.pk)
    # The deadline is the close of the government's office.
    assert add_working_days(wita(2026, 3, 16, 9), 1, government_id=kaltim.pk) == wita(2026, 3, 17, 15, 30)


def test_changed_office_hours_are_read_again(kaltim, monkeypatch):
    assert office_hours(government_id=kaltim.pk) == (time(8, 0), time(16, 0))
    kaltim.office_closes = time(15, 0)
    kaltim.save()
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)
    assert office_hours(government_id=kaltim.pk) == (time(8, 0), time(15, 0))


def test_holiday_of_the_government_is_outside_office_hours(kaltim, samarinda):
    from balai.worktime.models import CalendarEntry

    CalendarEntry.objects.create(
        government=kaltim,
        date=wita(2026, 1, 9, 0).date(),
        kind=CalendarEntry.Kind.REGIONAL_HOLIDAY,
        name="Hari Jadi",
    )
    assert not is_office_hours(wita(2026, 1, 9, 10), government_id=kaltim.pk)
    assert is_office_hours(wita(2026, 1, 9, 10), government_id=samarinda.pk)


def test_naive_moment_is_refused():
    with pytest.raises(ValueError):
        is_office_hours(datetime(2026, 3, 16, 10, 0))
