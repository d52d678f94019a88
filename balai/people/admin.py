"""Admin for users, staff memberships and API clients.

The NIK is typed into a form field that is validated and stored encrypted; the admin never shows it
in plain text (lists show only whether there is one, the change form a masked form).

Accounts, roles and API clients confer power over people and machines: superusers only (ADR 0015),
whatever model permissions a staff member holds. Every change of a flag, role, password, second factor,
group, permission, key, scope or rate limit goes through `balai.people.services`, which writes it to the
audit chain; the forms here only parse.
"""

from __future__ import annotations

import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, ReadOnlyPasswordHashField
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.admin_site import SuperuserOnlyAdmin
from balai.agencies.models import Unit
from balai.people.data_requests import data_request_answer
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
from balai.people.selectors import ACCESS_FLAGS, user_access_flags
from balai.people.services import (
    CLIENT_SCOPES,
    check_membership_revoke,
    check_user_deactivate,
    client_application_create,
    client_application_revoke,
    client_application_update,
    membership_grant,
    membership_revoke,
    normalize_email,
    user_create,
    user_reset_second_factor,
    user_set_access,
    user_set_django_permissions,
    user_set_password,
)

VIA = "admin"


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

    actor: User | None = None  # set per request by UserAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        own = self.actor is not None and self.instance.pk == self.actor.pk
        if own and (not cleaned.get("is_superuser", True) or not cleaned.get("is_active", True)):
            raise ValidationError(_("You cannot remove your own superuser status or deactivate yourself."),
                                  code="own_access")
        if self.instance.pk and self.instance.is_active and cleaned.get("is_active") is False:
            check_user_deactivate(self.instance)  # no route may be left without someone to act (ADR 0040)
        return cleaned

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

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.is_active and data.get("is_active") is False:
            check_membership_revoke(self.instance)  # no route may be left without someone to act
        return data


class MembershipInline(admin.TabularInline):
    """Shown for reference; roles are granted and revoked on the membership pages (audited)."""

    model = Membership
    fields = ("unit", "role", "is_active", "created_at")
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _password_form_for(actor: User) -> type[AdminPasswordChangeForm]:
    """The admin's set-password form, saving through `user_set_password` (audited) as ``actor``."""

    class PasswordForm(AdminPasswordChangeForm):
        def save(self, commit: bool = True) -> User:
            usable = self.cleaned_data.get("set_usable_password", True)
            password = self.cleaned_data.get("password1") if usable else None
            return user_set_password(actor=actor, user=self.user, password=password, via=VIA)

    return PasswordForm


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, DjangoUserAdmin):
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
    actions = ["reset_second_factor"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    # --- writes: through the services (audited), never the form's own save ---------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            data = form.cleaned_data
            user = user_create(
                actor=request.user, email=data.get("email"), phone=data.get("phone"),
                full_name=data.get("full_name", ""), password=data.get("password1") or None,
                nik=data.get("nik") or "", preferred_language=data.get("preferred_language"),
                preferred_channel=data.get("preferred_channel"), is_staff=bool(data.get("is_staff")), via=VIA)
            obj.pk, obj.password, obj._state.adding = user.pk, user.password, False
            return
        wanted = {flag: getattr(obj, flag) for flag in ACCESS_FLAGS}
        for flag, stored in user_access_flags(obj).items():
            setattr(obj, flag, stored)  # the form saves the other fields; the flags go through the service
        super().save_model(request, obj, form, change)
        user_set_access(actor=request.user, user=obj, via=VIA, **wanted)

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        wanted = {name: data.pop(name) for name in ("groups", "user_permissions") if name in data}
        super().save_related(request, form, formsets, change)
        if change and wanted:
            user_set_django_permissions(actor=request.user, user=form.instance, groups=wanted.get("groups", []),
                                        permissions=wanted.get("user_permissions", []), via=VIA)

    def user_change_password(self, request, id, form_url=""):
        bound = copy.copy(self)  # this request's form knows who acts; the shared admin stays untouched
        bound.change_password_form = _password_form_for(request.user)
        return DjangoUserAdmin.user_change_password(bound, request, id, form_url)

    @admin.action(description=_("Reset the second factor of the selected people"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            user_reset_second_factor(actor=request.user, user=user, via=VIA)
        messages.success(request, _("Second factor reset for %(n)d person(s): they set up a new one at their "
                                    "next sign-in.") % {"n": len(queryset)})

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
class MembershipAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """Roles anywhere (superusers). Agency administrators grant roles in their agency on /kantor/instansi/.
    A membership is granted, then only revoked or re-activated (kept for the record, never deleted)."""

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

    def get_readonly_fields(self, request, obj=None):
        return ("user", "unit", "role", "created_at") if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            granted = membership_grant(user=obj.user, unit=obj.unit, role=obj.role, actor=request.user, via=VIA)
            if not obj.is_active:
                membership_revoke(membership=granted, actor=request.user, via=VIA)
            obj.pk, obj.created_at, obj._state.adding = granted.pk, granted.created_at, False
        elif obj.is_active:
            membership_grant(user=obj.user, unit=obj.unit, role=obj.role, actor=request.user, via=VIA)
        else:
            membership_revoke(membership=obj, actor=request.user, via=VIA)


class ClientApplicationForm(forms.ModelForm):
    class Meta:
        model = ClientApplication
        fields = ("name", "contact_email", "agency", "scopes", "rate_limit_per_minute", "queued_intake",
                  "is_active")

    def clean_is_active(self) -> bool:
        active = self.cleaned_data.get("is_active", False)
        if active and self.instance.pk and self.instance.revoked_at is not None:
            raise ValidationError(_("A revoked key stays revoked. Register the client again."))
        return active

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
class ClientApplicationAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
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
        clients = [client for client in queryset if client.revoked_at is None]
        for client in clients:
            client_application_revoke(client=client, actor=request.user, via=VIA)
        messages.success(request, _("%(n)d key(s) revoked.") % {"n": len(clients)})

    def save_model(self, request, obj, form, change):
        if change:
            client_application_update(
                client=obj, actor=request.user, name=obj.name, contact_email=obj.contact_email, agency=obj.agency,
                scopes=obj.scopes or (), rate_limit_per_minute=obj.rate_limit_per_minute,
                queued_intake=obj.queued_intake, is_active=obj.is_active, via=VIA)
            return
        client, key = client_application_create(
            name=obj.name,
            contact_email=obj.contact_email,
            agency=obj.agency,
            scopes=obj.scopes or (),
            rate_limit_per_minute=obj.rate_limit_per_minute,
            queued_intake=obj.queued_intake,
            actor=request.user,
            via=VIA,
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
class DataRequestAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """Data subject requests (UU 27/2022): a superuser sets status, outcome and completion, audited
    (`data_request_answer`). Every agency's citizens ask here, with their contact and their words, and no
    agency scope can be told, so no agency's staff reads them (ADR 0015)."""

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

    def save_model(self, request, obj, form, change) -> None:
        data_request_answer(actor=request.user, data_request=obj, via=VIA)
