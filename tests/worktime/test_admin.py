"""The calendar admin: list with filters, search and date hierarchy; bulk delete invalidates the cache."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import translation

from balai.worktime.admin import CalendarEntryAdmin
from balai.worktime.calendar import is_working_day
from balai.worktime.models import CalendarEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(email="admin-kalender@example.go.id", password=None)


def test_changelist_lists_searches_and_filters(kaltim, superuser):
    CalendarEntry.objects.create(
        government=kaltim,
        date=date(2026, 1, 9),
        kind=CalendarEntry.Kind.REGIONAL_HOLIDAY,
        name="Hari Jadi Kaltim",
    )
    CalendarEntry.objects.create(date=date(2026, 3, 20), kind=CalendarEntry.Kind.WORKING_DAY, name="Koreksi")
    model_admin = admin.site._registry[CalendarEntry]
    assert isinstance(model_admin, CalendarEntryAdmin)
    factory = RequestFactory()
    with translation.override("id"):
        request = factory.get("/admin/worktime/calendarentry/", {"q": "Jadi", "kind": "regional_holiday"})
        request.user = superuser
        response = model_admin.changelist_view(request)
        response.render()
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hari Jadi Kaltim" in html
    assert "Koreksi" not in html
    assert "Libur daerah" in html  # the kind label, in Indonesian
    # The national calendar column shows what the package says of a corrected date.
    assert (
        model_admin.national_holiday(CalendarEntry.objects.get(name="Koreksi"))
        == "Cuti Bersama Hari Raya Idul Fitri"
    )
    assert model_admin.government_label(CalendarEntry.objects.get(name="Koreksi"))


def test_bulk_delete_invalidates_the_cache(kaltim, superuser):
    day = date(2026, 4, 14)
    CalendarEntry.objects.create(
        government=kaltim, date=day, kind=CalendarEntry.Kind.OFFICE_CLOSURE, name="Tutup"
    )
    assert not is_working_day(day, government_id=kaltim.pk)
    model_admin = admin.site._registry[CalendarEntry]
    request = RequestFactory().post("/admin/worktime/calendarentry/")
    request.user = superuser
    model_admin.delete_queryset(request, CalendarEntry.objects.filter(date=day))
    assert is_working_day(day, government_id=kaltim.pk)
