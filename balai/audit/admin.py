"""Read-only admin for the audit trail, a superuser's (ADR 0015): list, search and filter; nobody adds, changes or
deletes. The chain is every agency's evidence and belongs to none (no agency scope can be told): its records
link to the citizens who acted and hold references (a case's tracking code) that open other agencies' cases."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from balai.admin_site import SuperuserOnlyAdmin
from balai.audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ("id", "at", "action", "actor_label", "target_type", "target_id", "short_hash")
    list_filter = ("action", "target_type", "at")
    search_fields = ("action", "actor_label", "target_type", "target_id", "hash")
    date_hierarchy = "at"
    ordering = ("-id",)
    list_per_page = 100
    show_full_result_count = False  # COUNT(*) on a million rows per page view is wasteful
    readonly_fields = (
        "id",
        "at",
        "actor",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "data",
        "prev_hash",
        "hash",
    )
    actions = None

    @admin.display(description=_("hash"))
    def short_hash(self, obj: AuditRecord) -> str:
        return obj.hash[:12]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
