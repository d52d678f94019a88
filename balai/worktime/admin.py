"""Admin for the database calendar: regional holidays, office closures and working-day corrections.

Every entry moves the deadlines of every agency of its government (or of all): staff read the calendar,
a superuser writes it, audited (`SharedReferenceAdmin`, ADR 0015)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from balai.agencies.admin_scope import SharedReferenceAdmin
from balai.worktime import calendar
from balai.worktime.models import CalendarEntry


@admin.register(CalendarEntry)
class CalendarEntryAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    list_display = ("date", "weekday", "name", "kind", "government_label", "national_holiday", "updated_at")
    list_filter = ("kind", ("government", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "note")
    date_hierarchy = "date"
    list_select_related = ("government",)
    fields = ("government", "date", "kind", "name", "note")
    ordering = ("-date",)

    @admin.display(description=_("day"))
    def weekday(self, obj: CalendarEntry) -> str:
        from django.utils.formats import date_format

        return date_format(obj.date, "l")

    @admin.display(description=_("government"), ordering="government__name")
    def government_label(self, obj: CalendarEntry) -> str:
        return str(obj.government) if obj.government_id else str(_("All governments"))

    @admin.display(description=_("national calendar"))
    def national_holiday(self, obj: CalendarEntry) -> str:
        """What the `holidays` package says of the date, so a correction can be checked at a glance."""
        return calendar.national_holidays(obj.date.year).get(obj.date, "—")
