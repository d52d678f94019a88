"""Admin for the government structure: governments, agencies with their units, regions (read-mostly).

Staff other than superusers see and edit only the agencies they administer and their units (one rule:
`balai.agencies.admin_scope`); a new agency is a superuser's. Switching an agency or a unit off or on, adding
and deleting a unit go into the audit chain through `balai.agencies.services` (ADR 0015). Regions and
governments belong to no agency: a superuser writes them, audited (`SharedReferenceAdmin`)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.admin_site import SuperuserOnlyAdmin
from balai.agencies.admin_scope import (
    VIA,
    AgencyScopedAdmin,
    AgencyScopedFields,
    SharedReferenceAdmin,
    agency_scope,
)
from balai.agencies.models import Agency, Government, Region, Unit
from balai.agencies.services import admin_delete, agency_admin_save, check_unit_may_close, unit_admin_save


class _OwnerFixedForNonSuperusers:
    """Which government an agency, and which agency a unit, belongs to is fixed once saved, except for a
    superuser: moving another agency's unit (its members and cases) into one's own agency would let its
    administrator grant roles there on /kantor/ (ADR 0015). Names, contacts and the tree stay editable."""

    owner_field = ""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            fields.append(self.owner_field)
        return fields


@admin.register(Region)
class RegionAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    """Regions come from the Kemendagri data (`import_regions`); only the name may be corrected here, by a
    superuser: complaint routes and participation processes of every agency point at them."""

    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    show_full_result_count = False
    fields = ["code", "name", "level", "parent"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "level", "parent"] if obj else []

    def get_autocomplete_fields(self, request):
        return ["parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Government)
class GovernmentAdmin(SuperuserOnlyAdmin, SharedReferenceAdmin, admin.ModelAdmin):
    """A government's office hours and the like count every agency's deadlines: a superuser's, audited
    (ADR 0015)."""

    list_display = ["name", "short_name", "region", "office_opens", "office_closes", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "short_name", "region__code"]
    autocomplete_fields = ["region"]


class UnitAdminForm(forms.ModelForm):
    """Switching a unit off asks the same guards as /kantor/ (no open case there, no route still sending new
    cases to it): refused with the reason on the field, never an error page."""

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        unit = self.instance
        if unit.pk and cleaned.get("is_active") is False and Unit.objects.filter(pk=unit.pk, is_active=True).exists():
            try:
                check_unit_may_close(unit)
            except ValidationError as exc:
                self.add_error("is_active", exc)
        return cleaned


class UnitInline(AgencyScopedFields, admin.TabularInline):
    model = Unit
    form = UnitAdminForm
    fk_name = "agency"
    extra = 0
    fields = ["slug", "kind", "name_id", "name_en", "parent", "region", "is_active"]
    autocomplete_fields = ["parent", "region"]
    show_change_link = True


@admin.register(Agency)
class AgencyAdmin(_OwnerFixedForNonSuperusers, AgencyScopedAdmin, admin.ModelAdmin):
    owner_field = "government"
    agency_path = "pk"
    list_display = ["short_name", "name_id", "kind", "government", "unit_count", "is_active"]
    list_filter = ["kind", "government", "is_active"]
    search_fields = ["short_name", "name_id", "name_en", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["government"]
    inlines = [UnitInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["government", "short_name", "slug", "kind", "is_active"]}),
        (_("Names and descriptions"), {"fields": ["name_id", "name_en", "description_id", "description_en"]}),
        (_("Contact"), {"fields": ["address", "email", "phone", "website"]}),
    ]

    @admin.display(description=_("units"))
    def unit_count(self, obj: Agency) -> int:
        return obj.units.count()

    # A new agency is a new tenant: a superuser's (nobody administers it yet).
    def has_add_permission(self, request) -> bool:
        return agency_scope(request) is None and super().has_add_permission(request)

    def save_model(self, request, obj, form, change) -> None:
        agency_admin_save(actor=request.user, agency=obj, via=VIA)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Unit:
            return super().save_formset(request, form, formset, change)
        units = formset.save(commit=False)
        for unit in formset.deleted_objects:
            admin_delete(actor=request.user, obj=unit, agencies={unit.agency_id}, via=VIA)
        for unit in units:
            unit_admin_save(actor=request.user, unit=unit, via=VIA)
        formset.save_m2m()
        return None


def _depth(unit: Unit) -> int:
    depth, node, seen = 0, unit.parent, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        depth += 1
        node = node.parent
    return depth


@admin.register(Unit)
class UnitAdmin(_OwnerFixedForNonSuperusers, AgencyScopedAdmin, admin.ModelAdmin):
    """Units of the agencies one administers (all for a superuser); the tree is shown by indenting each unit
    under its parent."""

    list_display = ["tree_name", "agency", "kind", "region", "is_active"]
    list_filter = ["agency", "kind", "is_active"]
    search_fields = ["name_id", "name_en", "slug", "agency__short_name"]
    list_select_related = ["agency", "parent__parent", "region"]
    autocomplete_fields = ["agency", "parent", "region"]
    fields = ["agency", "parent", "slug", "kind", "name_id", "name_en", "region", "is_active"]
    owner_field = "agency"
    form = UnitAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("agency__short_name", "parent_id", "name_id")

    def save_model(self, request, obj, form, change) -> None:
        unit_admin_save(actor=request.user, unit=obj, via=VIA)

    @admin.display(description=_("unit"), ordering="name_id")
    def tree_name(self, obj: Unit) -> str:
        return "— " * _depth(obj) + obj.name_id
