"""One agency scope for every admin page of reference data (ADR 0015): a staff member other than a superuser
lists, opens, edits and deletes only what belongs to the agencies they administer
(`administered_agency_scope`), and agency and unit fields offer only those agencies and their units. The
services behind each page check the same rule again when saving or deleting; deletions are audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from balai.agencies.models import Agency, Unit
from balai.agencies.selectors import administered_agency_scope
from balai.agencies.services import admin_delete

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


class AgencyScopedAdmin(AgencyScopedFields):
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

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():  # all or nothing, like Django's own bulk delete
            for obj in queryset:
                self.delete_model(request, obj)
