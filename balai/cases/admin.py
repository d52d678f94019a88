"""Admin of the outbox (`balai.notify.models.Message`), read-only: registered here because only the case
app knows that a message's subject may be a case whose citizen's address must stay sealed (ADR 0027)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from balai.cases.admin_identity import SealedIdentityAdmin
from balai.cases.models import Case
from balai.notify.models import Message


@admin.register(Message)
class MessageAdmin(SealedIdentityAdmin):
    """The outbox, read-only; an anonymous citizen's address is sealed as in the workspace."""

    list_display = ["id", "created_at", "event", "channel", "recipient", "status", "attempts", "case"]
    list_filter = ["status", "channel", "event"]
    fields = ["case", "event", "channel", "recipient", "language", "subject", "body", "template_version",
              "status", "attempts", "next_attempt_at", "last_error", "gateway_message_id", "created_at",
              "sent_at", "delivered_at"]
    address_fields = ("recipient",)
    text_fields = ("subject", "body", "last_error")
    search_fields = ["recipient", "reference", "gateway_message_id"]
    open_search_fields = ("reference", "gateway_message_id")
    date_hierarchy = "created_at"

    def _with_case(self, queryset: QuerySet) -> QuerySet:
        # `case__…` reaches the case through its GenericRelation (Case.messages); the instance is read
        # through the generic reference, prefetched per page.
        return queryset.prefetch_related("about")

    def _case(self, obj: Any) -> Case | None:
        about = obj.about if obj.subject_id is not None else None
        return about if isinstance(about, Case) else None
