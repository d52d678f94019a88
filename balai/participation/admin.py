"""Setting up participation processes (administrators, behind the second factor: ADR 0015).

Day-to-day work (answers, merges, moderation, paper entries, forums) is in the staff workspace, through
the audited services; here only what defines a process: its texts, phases, budget and draft sections.
Ballots, supports and comments are not editable here at all. Staff other than superusers see and edit
only the processes (and drafts) of agencies they administer (`balai.agencies.admin_scope`); every save
and every deletion is in the audit chain. A process or draft citizens took part in (proposals, votes,
forums, comments) is deleted by nobody, a superuser included, nor are the sections commented on: the
deletion would take the citizens' contributions with it (ADR 0015).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from balai.agencies.admin_scope import VIA, AgencyScopedAdmin, agency_scope
from balai.participation.models import Draft, DraftSection, Phase, Process
from balai.participation.selectors import citizens_took_part
from balai.participation.services import admin_rows_record, draft_admin_save, process_admin_save


class _KeepsContributions:
    """Refuses to delete an object (a process, a draft) whose `contributed(obj)`: also in a bulk delete, which
    deletes row by row (`AgencyScopedAdmin`), all or nothing."""

    def contributed(self, obj) -> bool:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj is not None and self.contributed(obj))  # type: ignore[misc]

    def delete_model(self, request, obj) -> None:
        if self.contributed(obj):
            raise PermissionDenied(_("Citizens took part here: unpublish the process instead of deleting it."))
        super().delete_model(request, obj)  # type: ignore[misc]


class _AuditedRows:
    """Rows edited inline (a process's phases, a draft's sections) go into the audit chain with their parent."""

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        admin_rows_record(actor=request.user, parent=form.instance, rows=formset.model._meta.model_name,
                          added=[str(row) for row in formset.new_objects],
                          changed=[str(row) for row, _fields in formset.changed_objects],
                          deleted=[str(row) for row in formset.deleted_objects], via=VIA)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Process)
class ProcessAdmin(_KeepsContributions, _AuditedRows, AgencyScopedAdmin, admin.ModelAdmin):
    list_display = ("title_id", "kind", "agency", "region", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title_id", "slug")
    raw_id_fields = ("region",)
    inlines = [PhaseInline]
    readonly_fields = ("results_published_at",)

    def contributed(self, obj: Process) -> bool:
        return citizens_took_part(process=obj)

    def save_model(self, request, obj, form, change) -> None:
        process_admin_save(actor=request.user, process=obj, via=VIA)


class SectionInline(admin.StackedInline):
    model = DraftSection
    extra = 0
    fields = ("number", "heading", "text")

    def has_delete_permission(self, request, obj=None) -> bool:
        # `obj` is the draft: a section deleted would take the comments on it along
        return super().has_delete_permission(request, obj) and not (obj is not None and citizens_took_part(draft=obj))


@admin.register(Draft)
class DraftAdmin(_KeepsContributions, _AuditedRows, AgencyScopedAdmin, admin.ModelAdmin):
    agency_path = "process__agency"

    list_display = ("title", "process")
    raw_id_fields = ("process",)
    inlines = [SectionInline]
    fields = ("process", "title", "introduction")

    def contributed(self, obj: Draft) -> bool:
        return citizens_took_part(draft=obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = agency_scope(request)
        if scope is not None and db_field.name == "process":
            kwargs["queryset"] = Process.objects.filter(agency__in=scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        draft_admin_save(actor=request.user, draft=obj, via=VIA)
