"""Regional holidays, office closures and working-day corrections kept in the database (docs/regulations.md §7),
per government or for all, and the cache that must notice every change."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from balai.worktime import calendar
from balai.worktime.calendar import LOCAL_TZ, add_working_days, days_off, is_working_day, working_days_between
from balai.worktime.models import CalendarEntry

pytestmark = pytest.mark.django_db
Kind = CalendarEntry.Kind

HARI_JADI = date(2026, 1, 9)  # Friday: anniversary of Kalimantan Timur province


def wita(y, m, d, hh=10):
    return datetime(y, m, d, hh, 0, tzinfo=LOCAL_TZ)


def close(y, m, d):
    return datetime(y, m, d, 16, 0, tzinfo=LOCAL_TZ)


def test_regional_holiday_applies_to_its_government_only(kaltim, samarinda):
    CalendarEntry.objects.create(
        government=kaltim, date=HARI_JADI, kind=Kind.REGIONAL_HOLIDAY, name="Hari Jadi Kaltim"
    )
    assert not is_working_day(HARI_JADI, government_id=kaltim.pk)
    assert is_working_day(HARI_JADI, government_id=samarinda.pk)
    assert is_working_day(HARI_JADI)  # no government: national calendar and entries for all only
    assert add_working_days(wita(2026, 1, 8), 1, government_id=kaltim.pk) == close(2026, 1, 12)
    assert add_working_days(wita(2026, 1, 8), 1, government_id=samarinda.pk) == close(2026, 1, 9)
    # 6–16 January: nine weekdays, less Isra Mikraj (Fri 16), less Hari Jadi (Fri 9) for the province.
    assert working_days_between(wita(2026, 1, 5), wita(2026, 1, 16), government_id=kaltim.pk) == 7
    assert working_days_between(wita(2026, 1, 5), wita(2026, 1, 16), government_id=samarinda.pk) == 8
    assert days_off(2026, government_id=kaltim.pk)[HARI_JADI] == "Hari Jadi Kaltim"
    assert HARI_JADI not in days_off(2026, government_id=samarinda.pk)


def test_closure_for_all_governments(kaltim, samarinda):
    CalendarEntry.objects.create(
        date=date(2026, 1, 7), kind=Kind.OFFICE_CLOSURE, name="Pemilihan kepala daerah"
    )
    for gid in (kaltim.pk, samarinda.pk, None):
        assert not is_working_day(date(2026, 1, 7), government_id=gid)
        assert add_working_days(wita(2026, 1, 6), 1, government_id=gid) == close(2026, 1, 8)


def test_working_day_correction_of_an_estimated_national_date(kaltim):
    """Idul Fitri 2027 is an estimate in the package: an administrator corrects it."""
    estimated = date(2027, 3, 10)
    assert "perkiraan" in calendar.national_holidays(2027)[estimated]
    assert not is_working_day(estimated)
    # National calendar: Mon 8 Nyepi, Tue 9 cuti, Wed 10 and Thu 11 Idul Fitri (estimated), Fri 12 and
    # Mon 15 cuti. From Wed 3 March: 4, 5, 16, 17.
    assert add_working_days(wita(2027, 3, 3), 3) == close(2027, 3, 16)
    assert add_working_days(wita(2027, 3, 3), 4) == close(2027, 3, 17)

    CalendarEntry.objects.create(date=estimated, kind=Kind.WORKING_DAY, name="Koreksi: bukan hari libur")
    CalendarEntry.objects.create(
        date=date(2027, 3, 16), kind=Kind.REGIONAL_HOLIDAY, name="Idul Fitri (tanggal resmi)"
    )
    assert is_working_day(estimated)
    assert is_working_day(estimated, government_id=kaltim.pk)
    assert not is_working_day(date(2027, 3, 16), government_id=kaltim.pk)
    assert estimated not in days_off(2027)
    assert days_off(2027)[date(2027, 3, 16)] == "Idul Fitri (tanggal resmi)"
    # Corrected: 4, 5, 10, (16 off) 17.
    assert add_working_days(wita(2027, 3, 3), 3) == close(2027, 3, 10)
    assert add_working_days(wita(2027, 3, 3), 4) == close(2027, 3, 17)


def test_government_entry_beats_the_entry_for_all(kaltim, samarinda):
    day = date(2026, 2, 3)  # Tuesday
    CalendarEntry.objects.create(date=day, kind=Kind.OFFICE_CLOSURE, name="Tutup untuk semua")
    CalendarEntry.objects.create(
        government=kaltim, date=day, kind=Kind.WORKING_DAY, name="Pemprov tetap buka"
    )
    assert is_working_day(day, government_id=kaltim.pk)
    assert not is_working_day(day, government_id=samarinda.pk)
    assert not is_working_day(day)

    other = date(2026, 1, 16)  # Friday, Isra Mikraj
    CalendarEntry.objects.create(date=other, kind=Kind.WORKING_DAY, name="Koreksi nasional")
    CalendarEntry.objects.create(
        government=samarinda, date=other, kind=Kind.REGIONAL_HOLIDAY, name="Libur daerah Samarinda"
    )
    assert is_working_day(other, government_id=kaltim.pk)
    assert not is_working_day(other, government_id=samarinda.pk)


def test_a_working_day_entry_can_open_a_weekend(kaltim):
    saturday = date(2026, 3, 28)
    CalendarEntry.objects.create(
        government=kaltim, date=saturday, kind=Kind.WORKING_DAY, name="Pelayanan akhir pekan"
    )
    assert is_working_day(saturday, government_id=kaltim.pk)
    assert add_working_days(wita(2026, 3, 27), 1, government_id=kaltim.pk) == close(2026, 3, 28)
    assert add_working_days(wita(2026, 3, 27), 1) == close(2026, 3, 30)


def test_save_and_delete_invalidate_the_cache(kaltim):
    day = date(2026, 4, 14)  # Tuesday
    assert is_working_day(day, government_id=kaltim.pk)  # warm the cache
    assert add_working_days(wita(2026, 4, 13), 1, government_id=kaltim.pk) == close(2026, 4, 14)

    entry = CalendarEntry.objects.create(government=kaltim, date=day, kind=Kind.OFFICE_CLOSURE, name="Tutup")
    assert not is_working_day(day, government_id=kaltim.pk)
    assert add_working_days(wita(2026, 4, 13), 1, government_id=kaltim.pk) == close(2026, 4, 15)

    entry.kind = Kind.WORKING_DAY
    entry.save()
    assert is_working_day(day, government_id=kaltim.pk)

    entry.kind = Kind.REGIONAL_HOLIDAY
    entry.save()
    assert not is_working_day(day, government_id=kaltim.pk)

    entry.delete()
    assert is_working_day(day, government_id=kaltim.pk)


def test_bulk_writes_are_noticed_by_the_version_check(kaltim, monkeypatch):
    day = date(2026, 4, 14)
    entry = CalendarEntry.objects.create(government=kaltim, date=day, kind=Kind.OFFICE_CLOSURE, name="Tutup")
    assert not is_working_day(day, government_id=kaltim.pk)

    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 3600.0)
    CalendarEntry.objects.filter(pk=entry.pk).update(kind=Kind.WORKING_DAY)  # bypasses save()
    # Within the re-check interval the process keeps its cached calendar …
    assert not is_working_day(day, government_id=kaltim.pk)
    # … and sees the change once the interval has passed (here: made zero).
    monkeypatch.setattr(calendar, "RECHECK_SECONDS", 0.0)
    assert is_working_day(day, government_id=kaltim.pk)

    CalendarEntry.objects.filter(pk=entry.pk).delete()  # queryset delete: the count changes
    CalendarEntry.objects.create(
        government=kaltim, date=date(2026, 4, 15), kind=Kind.OFFICE_CLOSURE, name="x"
    )
    CalendarEntry.objects.filter(date=date(2026, 4, 15)).delete()
    assert is_working_day(day, government_id=kaltim.pk)
    assert is_working_day(date(2026, 4, 15), government_id=kaltim.pk)


def test_one_entry_per_government_and_date(kaltim):
    CalendarEntry.objects.create(
        government=kaltim, date=HARI_JADI, kind=Kind.REGIONAL_HOLIDAY, name="Hari Jadi"
    )
    duplicate = CalendarEntry(government=kaltim, date=HARI_JADI, kind=Kind.OFFICE_CLOSURE, name="Tutup")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    CalendarEntry.objects.create(date=HARI_JADI, kind=Kind.OFFICE_CLOSURE, name="Untuk semua")
    with pytest.raises(ValidationError):
        CalendarEntry(date=HARI_JADI, kind=Kind.OFFICE_CLOSURE, name="Lagi").full_clean()
