from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "balai.worktime"
    label = "worktime"

    def ready(self) -> None:
        # A calendar entry written or deleted empties the working-day cache (`balai.worktime.calendar`), now
        # and again after commit. Connected here so that the model does not import the calendar, which reads
        # the model (no import cycle). Bulk updates and writes of other processes are caught by the
        # calendar's periodic version check.
        from django.db.models.signals import post_delete, post_save

        from balai.worktime.calendar import invalidate_after_write
        from balai.worktime.models import CalendarEntry

        post_save.connect(invalidate_after_write, sender=CalendarEntry, dispatch_uid="worktime-calendar-save")
        post_delete.connect(invalidate_after_write, sender=CalendarEntry, dispatch_uid="worktime-calendar-delete")
