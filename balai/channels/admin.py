"""Read-only admin of inbound messages (what citizens sent and what they got back)."""

from __future__ import annotations

from django.contrib import admin

from balai.channels.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "channel", "sender", "command", "outcome", "case")
    list_filter = ("channel", "outcome", "command", "language")
    search_fields = ("sender", "gateway_message_id", "case__tracking_code")
    date_hierarchy = "received_at"
    raw_id_fields = ("case", "reply_message")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
