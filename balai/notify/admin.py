"""Admin: message templates (with preview) and failing recipients (a superuser's: citizens' contacts).

A template speaks to every citizen for every agency (one-time codes included): staff read templates, a
superuser writes them, audited (`SharedReferenceAdmin`, ADR 0015).

The outbox's admin (read-only, an anonymous citizen's address sealed) is registered by `balai.cases.admin`,
which knows what a message's subject is (ADR 0027)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from balai.admin_site import SuperuserOnlyAdmin
from balai.agencies.admin_scope import SharedReferenceAdmin
from balai.notify.defaults import EMAIL_ONLY_EVENTS, default_text
from balai.notify.forms import MessageTemplateForm, template_preview
from balai.notify.models import MessageTemplate, RecipientHealth
from balai.notify.outbox import clear_recipient_failing


@admin.register(MessageTemplate)
class MessageTemplateAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    form = MessageTemplateForm
    list_display = ["event", "channel", "language", "is_active", "version", "updated_at"]
    list_filter = ["event", "channel", "language", "is_active"]
    readonly_fields = ["preview", "shipped_default", "version"]
    fields = ["event", "channel", "language", "subject", "body", "is_active", "preview", "shipped_default",
              "version"]

    @admin.display(description=_("Preview with sample values"))
    def preview(self, obj: MessageTemplate | None) -> str:
        if obj is None or not obj.pk:
            return str(_("Save to see a preview."))
        p = template_preview(obj)
        if obj.channel == "email":
            return format_html("<strong>{}</strong><pre>{}</pre>", p["subject"], p["body"])
        warning = "" if (p["encoding"], p["segments"]) == ("gsm7", 1) else _("Warning: more than one SMS.")
        return format_html("<pre>{}</pre><p>{}: {} · {} · {} {}</p>", p["body"], _("Length"), p["units"],
                           p["encoding"], p["segments"], warning)

    @admin.display(description=_("Shipped default text"))
    def shipped_default(self, obj: MessageTemplate | None) -> str:
        if obj is None or not obj.event or (obj.event in EMAIL_ONLY_EVENTS and obj.channel != "email"):
            return "-"
        subject, body = default_text(event=obj.event, channel=obj.channel, language=obj.language)
        return format_html("<strong>{}</strong><pre>{}</pre>", subject, body)

    def save_model(self, request, obj, form, change) -> None:
        if change and form.changed_data:
            obj.version += 1  # messages record which version they were rendered from
        super().save_model(request, obj, form, change)


@admin.register(RecipientHealth)
class RecipientHealthAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """Citizens' phone numbers and e-mail addresses of every agency's cases: the operator's (a superuser's),
    not an agency's; rows are cleared by the audited action, never deleted by hand."""

    list_display = ["recipient", "contact_failing", "consecutive_failures", "last_failure_at", "last_error"]
    list_filter = ["contact_failing"]
    search_fields = ["recipient"]
    actions = ["clear_failing"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Try these recipients again"))
    def clear_failing(self, request, queryset) -> None:
        for health in queryset:
            clear_recipient_failing(recipient=health.recipient, actor=request.user)


