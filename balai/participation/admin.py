"""Setting up participation processes (administrators, behind the second factor: ADR 0015).

Day-to-day work (answers, merges, moderation, paper entries, forums) is in the staff workspace, through
the audited services; here only what defines a process: its texts, phases, budget and draft sections.
Ballots, supports and comments are not editable here at all.
"""

from django.contrib import admin

from balai.participation.models import Draft, DraftSection, Phase, Process


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("title_id", "kind", "agency", "region", "is_published")
    list_filter = ("kind", "is_published")
    search_fields = ("title_id", "slug")
    raw_id_fields = ("region",)
    inlines = [PhaseInline]
    readonly_fields = ("results_published_at",)


class SectionInline(admin.StackedInline):
    model = DraftSection
    extra = 0
    fields = ("number", "heading", "text")


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ("title", "process")
    raw_id_fields = ("process",)
    inlines = [SectionInline]
    fields = ("process", "title", "introduction")
