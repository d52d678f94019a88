"""The database part of the working-day calendar: regional holidays, office closures, corrections.

National holidays and cuti bersama come from the `holidays` package (docs/regulations.md §7); what the
package cannot know is kept here, per government, editable in the admin.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarEntry(models.Model):
    """One dated exception to the national calendar, for one government or (government empty) for all.

    Precedence for a government on a date (see `balai.worktime.calendar`): that government's own entry,
    else an entry for all governments, else the national calendar and weekends.
    """

    class Kind(models.TextChoices):
        REGIONAL_HOLIDAY = "regional_holiday", _("Regional holiday")
        OFFICE_CLOSURE = "office_closure", _("Office closure")
        WORKING_DAY = "working_day", _("Working day (correction)")

    government = models.ForeignKey(
        "agencies.Government",
        verbose_name=_("government"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_entries",
        help_text=_("Leave empty to apply the entry to every government."),
    )
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name"),
        max_length=160,
        help_text=_("For example: Hari Jadi Provinsi Kalimantan Timur, or the corrected date of Idul Fitri."),
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Legal basis or reason, e.g. the decree number.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")
        ordering = ["-date", "government_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "date"],
                condition=Q(government__isnull=False),
                name="worktime_entry_unique_per_government_date",
                violation_error_message=_("This government already has a calendar entry on this date."),
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(government__isnull=True),
                name="worktime_entry_unique_all_governments_date",
                violation_error_message=_(
                    "There is already a calendar entry for all governments on this date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind != self.Kind.WORKING_DAY
