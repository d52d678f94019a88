"""Admin: subscribers of the serta-merta notices (added on the person's request), a superuser's (ADR 0015).

Their phone numbers and e-mail addresses are citizens' contacts of no agency, and every notice of every
agency goes to them: an agency's staff neither read them nor add an address that never asked (the public
page confirms each e-mail address first). A superuser's add, change and delete is in the audit chain, the
address only as whether it is set (the chain cannot be erased)."""

from __future__ import annotations

from django.contrib import admin

from balai.admin_site import SuperuserOnlyAdmin
from balai.agencies.admin_scope import SharedReferenceAdmin
from balai.ppid.models import NoticeSubscriber


@admin.register(NoticeSubscriber)
class NoticeSubscriberAdmin(SuperuserOnlyAdmin, SharedReferenceAdmin, admin.ModelAdmin):
    list_display = ["channel", "language", "is_active", "created_at"]
    list_filter = ["channel", "language", "is_active"]
    secret_fields = ("recipient",)
