"""Admin for users, staff memberships and API clients.

The NIK is typed into a form field that is validated and stored encrypted; the admin never shows it
in plain text (lists show only whether there is one, the change form a masked form).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashField
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.agencies.models import Unit
from balai.people.models import ClientApplication, DataRequest, Membership, User
from balai.people.nik import (
    clean_nik_input,
    find_users_by_nik,
    mask_nik,
    set_user_nik,
    user_nik,
    validate_nik,
)
from balai.people.phone import PhoneError, normalize_phone, validate_phone
from balai.people.services import (
    CLIENT_SCOPES,
    client_application_create,
    client_application_revoke,
    normalize_email,
)


class _ContactAndNikMixin(forms.ModelForm):
    """Shared cleaning: e-mail or phone (normalised), NIK (validated, stored encrypted)."""

    phone = forms.CharField(
        label=_("phone"),
        required=False,
        max_length=32,  # as typed ("+62 812-3456-7890"); stored as E.164 (16 at most)
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        help_text=_("An Indonesian number, e.g. 0812-3456-7890; stored as +6281234567890."),
    )
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("16 digits. Stored encrypted; never shown in full."),
    )

    def clean_email(self):
        return normalize_email(self.cleaned_data.get("email"))

    def clean_phone(self):
        raw = self.cleaned_data.get("phone")
        return validate_phone(raw) if (raw or "").strip() else None

    def clean_nik(self) -> str:
        raw = self.cleaned_data.get("nik") or ""
        if clean_nik_input(raw):
            return validate_nik(raw).nik
        return ""

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and not self.has_error("email")
            and not self.has_error("phone")
        ):
            raise ValidationError(_("Give an e-mail address or a phone number (or both)."), code="no_contact")
        return cleaned


class UserAddForm(_ContactAndNikMixin):
    password1 = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Optional. Without a password the person signs in with a one-time code."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ("email", "phone", "full_name", "preferred_language", "preferred_channel", "is_staff")

    def clean_password2(self) -> str:
        first, second = self.cleaned_data.get("password1") or "", self.cleaned_data.get("password2") or ""
        if first != second:
            raise ValidationError(_("The two passwords do not match."), code="password_mismatch")
        return second

    def _post_clean(self):
        super()._post_clean()
        password = self.cleaned_data.get("password2")
        if password:
            try:
                validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("password2", error)

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("password1"):
            user.set_password(self.cleaned_data["password1"])
        else:
            user.set_unusable_password()
        set_user_nik(user, self.cleaned_data.get("nik") or "", save=False)
        if commit:
            user.save()
            self.save_m2m()
        return user


class UserChangeForm(_ContactAndNikMixin):
    password = ReadOnlyPasswordHashField(
        label=_("Password"),
        help_text=_("Passwords are not stored in plain text. Use the link “Reset password” to set one."),
    )
    remove_nik = forms.BooleanField(label=_("Remove the stored NIK"), required=False)

    class Meta:
        model = User
        fields = (
            "email",
            "phone",
            "password",
            "full_name",
            "preferred_language",
            "preferred_channel",
            "phone_failing",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nik"].help_text = _(
            "Type a NIK only to replace the stored one (16 digits, stored encrypted)."
        )
        if "user_permissions" in self.fields:
            self.fields["user_permissions"].queryset = self.fields[
                "user_permissions"
            ].queryset.select_related("content_type")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("nik"):
            set_user_nik(user, self.cleaned_data["nik"], save=False)
        elif self.cleaned_data.get("remove_nik"):
            set_user_nik(user, "", save=False)
        if commit:
            user.save()
            self.save_m2m()
        return user


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "unit", "role", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            # Unit.__str__ reads its agency: select it with the units (no query per option).
            self.fields["unit"].queryset = Unit.objects.select_related("agency")


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    fields = ("unit", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    list_display = ("__str__", "email", "phone", "is_staff", "is_active", "has_nik", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language", "preferred_channel")
    search_fields = ("full_name", "email", "phone")
    ordering = ("full_name", "email")
    readonly_fields = ("nik_masked", "last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions")
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        (_("Personal details"), {"fields": ("full_name", "nik_masked", "nik", "remove_nik")}),
        (_("Contact preferences"), {"fields": ("preferred_language", "preferred_channel", "phone_failing")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "phone", "full_name", "nik")}),
        (_("Password (optional)"), {"fields": ("password1", "password2")}),
        (_("Preferences and access"), {"fields": ("preferred_language", "preferred_channel", "is_staff")}),
    )

    @admin.display(boolean=True, description=_("NIK stored"))
    def has_nik(self, obj: User) -> bool:
        return bool(obj.nik_digest)

    @admin.display(description=_("NIK (masked)"))
    def nik_masked(self, obj: User) -> str:
        if not obj or not obj.nik_encrypted:
            return "—"
        try:
            return mask_nik(user_nik(obj))
        except ValueError:
            return str(_("stored, but it cannot be decrypted with the current key"))

    def get_search_results(self, request, queryset, search_term):
        """Also find people by a phone number typed any usual way, and by an exact NIK (via its digest)."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = (search_term or "").strip()
        if term:
            extra = queryset.none()
            cleaned = clean_nik_input(term)
            if len(cleaned) == 16 and cleaned.isdigit():
                extra = queryset.filter(pk__in=find_users_by_nik(cleaned).values("pk"))
            else:
                try:
                    extra = queryset.filter(phone=normalize_phone(term, allow_foreign=True))
                except PhoneError:
                    pass
            results = results | extra
        return results, may_have_duplicates


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "role", "unit", "is_active", "created_at")
    list_filter = ("role", "is_active", "unit__agency")
    search_fields = (
        "user__full_name",
        "user__email",
        "user__phone",
        "unit__name_id",
        "unit__agency__short_name",
    )
    list_select_related = ("user", "unit__agency")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_active and not obj.user.is_staff:  # a role in a unit means working in the staff workspace
            obj.user.is_staff = True
            obj.user.save(update_fields=["is_staff"])


class ClientApplicationForm(forms.ModelForm):
    class Meta:
        model = ClientApplication
        fields = ("name", "contact_email", "agency", "scopes", "rate_limit_per_minute", "queued_intake",
                  "is_active")

    def clean_scopes(self):
        # A JSON list of scope names (CLIENT_SCOPES, used by balai.api); unknown names are refused.
        scopes = self.cleaned_data.get("scopes") or []
        if not isinstance(scopes, list) or not all(isinstance(x, str) for x in scopes):
            raise ValidationError(_("Enter a list of scopes, e.g. [\"catalog:read\", \"cases:submit\"]."))
        unknown = sorted(set(scopes) - set(CLIENT_SCOPES))
        if unknown:
            raise ValidationError(_("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)})
        return scopes


@admin.register(ClientApplication)
class ClientApplicationAdmin(admin.ModelAdmin):
    form = ClientApplicationForm
    list_display = (
        "name",
        "key_prefix",
        "agency",
        "rate_limit_per_minute",
        "queued_intake",
        "is_active",
        "revoked_at",
        "created_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "contact_email", "key_prefix")
    list_select_related = ("agency",)
    readonly_fields = ("key_prefix", "key_hash", "revoked_at", "created_at")
    actions = ["revoke_keys"]

    @admin.action(description=_("Revoke the keys of the selected clients"))
    def revoke_keys(self, request, queryset):
        clients = list(queryset.filter(revoked_at__isnull=True))
        for client in clients:
            client_application_revoke(client=client)
        messages.success(request, _("%(n)d key(s) revoked.") % {"n": len(clients)})

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = client_application_create(
            name=obj.name,
            contact_email=obj.contact_email,
            agency=obj.agency,
            scopes=obj.scopes or (),
            rate_limit_per_minute=obj.rate_limit_per_minute,
            queued_intake=obj.queued_intake,
        )
        obj.pk, obj.key_prefix, obj.key_hash, obj.created_at = (
            client.pk,
            client.key_prefix,
            client.key_hash,
            client.created_at,
        )
        obj._state.adding = False
        messages.warning(
            request,
            _(
                "The key of this client is %(key)s — copy it now: it is stored only as a hash and will not be shown again."
            )
            % {"key": key},
        )


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    """Data subject requests (UU 27/2022): the officer sets status, outcome and completion."""

    list_display = ("requested_at", "kind", "status", "contact", "due_at", "completed_at")
    list_filter = ("kind", "status")
    search_fields = ("contact",)
    ordering = ("status", "due_at")
    readonly_fields = ("user", "kind", "details", "contact", "channel", "requested_at", "due_at")
    fields = readonly_fields + ("status", "outcome", "completed_at")

    def has_add_permission(self, request) -> bool:
        return False  # requests come from the person (portal, counter), recorded with their deadline

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the law asks us to keep a record of every request
