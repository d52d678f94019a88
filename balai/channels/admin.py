"""Read-only admin of inbound messages (what citizens sent and what they got back)."""

from __future__ import annotations

from django.contrib import admin

from balai.cases.admin_identity import SealedIdentityAdmin
from balai.channels.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(SealedIdentityAdmin):
    """An anonymous citizen's number and what they wrote are sealed as in the workspace."""

    list_display = ("received_at", "channel", "sender", "command", "outcome", "case")
    list_filter = ("channel", "outcome", "command", "language")
    fields = ("received_at", "channel", "gateway_message_id", "sender", "subject", "body", "command",
              "language", "outcome", "detail", "case", "reply", "reply_message")
    address_fields = ("sender",)
    text_fields = ("subject", "body", "reply")
    search_fields = ("sender", "gateway_message_id", "case__tracking_code")
    open_search_fields = ("gateway_message_id", "case__tracking_code")
    date_hierarchy = "received_at"
