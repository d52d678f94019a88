"""Admin for staff API tokens: create (the key is shown once), change the expiry, revoke.

Superusers only, every write through `balai.api.services` (audited, ADR 0015). A token's user never
changes after it is made: moving a token to someone else would hand them a privilege unseen.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from balai.admin_site import SuperuserOnlyAdmin
from balai.api.models import StaffToken
from balai.api.services import staff_token_create, staff_token_revoke, staff_token_update
from balai.people.selectors import staff_members

VIA = "admin"


@admin.register(StaffToken)
class StaffTokenAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    list_display = ("name", "user", "key_prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "key_prefix", "user__email", "user__full_name")
    autocomplete_fields = ("user",)
    readonly_fields = ("key_prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "expires_at") + readonly_fields
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("user",) + self.readonly_fields if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the row stays for the record

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = staff_members()  # tokens are for staff members only
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            staff_token_update(token=obj, name=obj.name, expires_at=obj.expires_at, actor=request.user, via=VIA)
            return
        token, key = staff_token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at,
                                        actor=request.user, via=VIA)
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
        for token in queryset:
            if token.revoked_at is None:
                staff_token_revoke(token=token, actor=request.user, via=VIA)
                n += 1
        messages.success(request, _("%(n)d token(s) revoked.") % {"n": n})
