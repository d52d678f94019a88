"""One agency scope for every admin page of reference data (ADR 0015): a staff member other than a superuser
lists, opens, edits and deletes only what belongs to the agencies they administer
(`administered_agency_scope`), and agency and unit fields offer only those agencies and their units. The
services behind each page check the same rule again when saving or deleting; deletions are audited.
Reference data of no agency, which every agency shares, is read with the model permission and written by
a superuser only, every write audited (`SharedReferenceAdmin`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from balai.agencies.models import Agency, Unit
from balai.agencies.selectors import administered_agency_scope
from balai.agencies.services import admin_delete, shared_entry_save

VIA = "admin"


def agency_scope(request) -> set[int] | None:
    """The agencies the signed-in user administers (None: all), read once per request."""
    if not hasattr(request, "_balai_agency_scope"):
        request._balai_agency_scope = administered_agency_scope(request.user)
    return request._balai_agency_scope


class AgencyScopedFields:
    """Agency and unit fields offer (and so accept) only the agencies in scope and their units; plain selects
    for a scoped user, since the autocomplete would search every agency."""

    scoped_fields = ("agency", "unit", "parent")

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        return fields if agency_scope(request) is None else [f for f in fields if f not in self.scoped_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = agency_scope(request)
        if scope is not None and db_field.related_model is Agency:
            kwargs["queryset"] = Agency.objects.filter(pk__in=scope)
        elif scope is not None and db_field.related_model is Unit:
            kwargs["queryset"] = Unit.objects.filter(agency__in=scope).select_related("agency")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _DeletesOneByOne:
    """A bulk delete is each row's `delete_model` (checked and audited), all or nothing like Django's own."""

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)  # type: ignore[attr-defined]


class AgencyScopedAdmin(AgencyScopedFields, _DeletesOneByOne):
    """Objects reach their agency through `agency_path` ("agency", "process__agency"; "pk" for an agency)."""

    agency_path = "agency"

    def owner_agencies(self, obj: Model) -> set[int | None]:
        if self.agency_path == "pk":
            return {obj.pk}
        *hops, last = self.agency_path.split("__")
        node: Any = obj
        for hop in hops:
            node = getattr(node, hop)
        return {getattr(node, f"{last}_id")}

    def in_scope(self, request, obj: Model | None) -> bool:
        scope = agency_scope(request)
        return obj is None or scope is None or self.owner_agencies(obj) <= scope

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = agency_scope(request)
        return qs if scope is None else qs.filter(**{f"{self.agency_path}__in": scope})

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)  # type: ignore[misc]

    def changelist_view(self, request, extra_context=None):
        # Model permissions say what kind of entry, the administrator role says whose (ADR 0015): without
        # the role the list is empty, and says why rather than looking broken.
        if agency_scope(request) == set():
            messages.info(request, _("You administer no agency, so nothing is listed here. An agency's entries "
                                     "are edited by its administrator; a superuser grants that role."))
        return super().changelist_view(request, extra_context)

    def delete_model(self, request, obj) -> None:
        admin_delete(actor=request.user, obj=obj, agencies=self.owner_agencies(obj), via=VIA)


class SharedReferenceAdmin(_DeletesOneByOne):
    """Reference data of no agency that every agency shares (service categories, life events, regions, the
    working-day calendar, message templates, services of other governments): staff read it with the model
    permission, only a superuser adds, changes or deletes it, since one agency's staff would change it for
    every agency (ADR 0015). Each write goes through `shared_entry_save` or `admin_delete`, which check the
    same rule again and put it in the audit chain. `secret_fields` are audited only as whether they are set."""

    secret_fields: tuple[str, ...] = ()

    def has_add_permission(self, request, *args) -> bool:
        return agency_scope(request) is None and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None) -> bool:
        return agency_scope(request) is None and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None) -> bool:
        return agency_scope(request) is None and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def save_model(self, request, obj, form, change) -> None:
        shared_entry_save(actor=request.user, entry=obj, via=VIA, secret_fields=self.secret_fields)

    def delete_model(self, request, obj) -> None:
        admin_delete(actor=request.user, obj=obj, agencies={None}, via=VIA)
