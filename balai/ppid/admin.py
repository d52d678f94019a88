"""Admin: subscribers of the serta-merta notices (added on the person's request)."""

from __future__ import annotations

from django.contrib import admin

from balai.ppid.models import NoticeSubscriber


@admin.register(NoticeSubscriber)
class NoticeSubscriberAdmin(admin.ModelAdmin):
    list_display = ["channel", "language", "is_active", "created_at"]
    list_filter = ["channel", "language", "is_active"]
