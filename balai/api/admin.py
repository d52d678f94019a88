"""Admin for staff API tokens: create (the key is shown once), revoke."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from balai.api.auth import staff_token_create, staff_token_revoke
from balai.api.models import StaffToken


@admin.register(StaffToken)
class StaffTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "key_prefix", "user__email", "user__full_name")
    autocomplete_fields = ("user",)
    readonly_fields = ("key_prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "expires_at") + readonly_fields
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = staff_token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at)
        obj.pk, obj.key_prefix, obj.key_hash, obj.created_at = token.pk, token.key_prefix, token.key_hash, token.created_at
        obj._state.adding = False
        messages.warning(
            request,
            _("The token is %(key)s — copy it now: it is stored only as a hash and will not be shown again.")
            % {"key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        n = 0
        for token in queryset.filter(revoked_at__isnull=True):
            staff_token_revoke(token=token)
            n += 1
        messages.success(request, _("%(n)d token(s) revoked.") % {"n": n})
