"""Setting up participation processes (administrators, behind the second factor: ADR 0015).

Day-to-day work (answers, merges, moderation, paper entries, forums) is in the staff workspace, through
the audited services; here only what defines a process: its texts, phases, budget and draft sections.
Ballots, supports and comments are not editable here at all. Staff other than superusers see and edit
only the processes (and drafts) of agencies they administer (`balai.agencies.admin_scope`); every save
and every deletion is in the audit chain.
"""

from django.contrib import admin

from balai.agencies.admin_scope import VIA, AgencyScopedAdmin, agency_scope
from balai.agencies.services import check_agency_scope
from balai.participation.models import Draft, DraftSection, Phase, Process
from balai.participation.services import process_admin_save


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Process)
class ProcessAdmin(AgencyScopedAdmin, admin.ModelAdmin):
    list_display = ("title_id", "kind", "agency", "region", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title_id", "slug")
    raw_id_fields = ("region",)
    inlines = [PhaseInline]
    readonly_fields = ("results_published_at",)

    def save_model(self, request, obj, form, change) -> None:
        process_admin_save(actor=request.user, process=obj, via=VIA)


class SectionInline(admin.StackedInline):
    model = DraftSection
    extra = 0
    fields = ("number", "heading", "text")


@admin.register(Draft)
class DraftAdmin(AgencyScopedAdmin, admin.ModelAdmin):
    agency_path = "process__agency"

    list_display = ("title", "process")
    raw_id_fields = ("process",)
    inlines = [SectionInline]
    fields = ("process", "title", "introduction")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = agency_scope(request)
        if scope is not None and db_field.name == "process":
            kwargs["queryset"] = Process.objects.filter(agency__in=scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        stored = Draft.objects.filter(pk=obj.pk).select_related("process").first() if obj.pk else None
        check_agency_scope(request.user, {obj.process.agency_id} | ({stored.process.agency_id} if stored else set()))
        super().save_model(request, obj, form, change)
