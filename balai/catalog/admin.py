"""Admin for the service catalog: services (structured JSON edited as readable text), categories,
life events, complaint categories with their regional routes.

Staff other than superusers see, edit and route only the services, complaint categories and routes of the
agencies they administer; every change of where cases go is checked and audited by `balai.catalog.services`.
Categories, life events and services of other governments belong to no agency and every agency shares them:
staff read them, a superuser writes them, audited (`SharedReferenceAdmin`, ADR 0015).

Bad input keeps what was typed: an invalid JSON text is shown again exactly as entered, with a message
that says where it breaks; a well-formed but wrong definition gets one message per problem.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from balai.admin_site import SuperuserOnlyAdmin
from balai.agencies.admin_scope import VIA, AgencyScopedAdmin, AgencyScopedFields, SharedReferenceAdmin
from balai.catalog.form_definition import FIELD_TYPES
from balai.catalog.models import (
    Accommodation,
    Channel,
    ComplaintCategory,
    ComplaintRoute,
    ExternalRequest,
    ExternalService,
    LifeEvent,
    Service,
    ServiceCategory,
)
from balai.catalog.services import catalog_entry_delete, catalog_entry_save
from balai.catalog.standard import COMPONENT_KEYS


class _TypedText(str):
    """The text exactly as typed, re-displayed untouched when the form comes back with errors."""


class ReadableJSONField(forms.JSONField):
    """JSON in a large textarea, indented, non-ASCII kept; syntax errors say where they are."""

    widget = forms.Textarea(attrs={"rows": 16, "cols": 100, "spellcheck": "false", "class": "vLargeTextField"})

    def to_python(self, value):
        if self.disabled or value in self.empty_values:
            return super().to_python(value)
        if isinstance(value, list | dict | int | float):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("This is not valid JSON: %(problem)s at line %(line)d, column %(column)d. "
                  "Check quotes (use \"), commas and brackets."),
                code="invalid", params={"problem": exc.msg, "line": exc.lineno, "column": exc.colno},
            ) from None

    def bound_data(self, data, initial):
        if self.disabled:
            return initial
        return None if data is None else _TypedText(data)

    def prepare_value(self, value):
        if isinstance(value, _TypedText):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class ServiceAdminForm(forms.ModelForm):
    standard = ReadableJSONField(
        label=_("service standard (14 components)"), required=False,
        help_text=format_lazy("{} {}.", _("An object keyed by component, each {\"id\": \"...\", \"en\": \"...\"}. "
                                         "Components:"), ", ".join(COMPONENT_KEYS)),
    )
    requirements = ReadableJSONField(
        label=_("requirements"), required=False,
        help_text=_("A list of {\"id\": \"...\", \"en\": \"...\"} items."),
    )
    form_definition = ReadableJSONField(
        label=_("form definition"), required=False,
        help_text=format_lazy("{} {}.", _("A list of fields: {\"name\": \"snake_case\", \"type\": ..., \"label\": "
                                         "{\"id\": ..., \"en\": ...}, \"required\": true}. Types:"),
                              ", ".join(FIELD_TYPES)),
    )
    channels = forms.MultipleChoiceField(label=_("channels offered"), choices=Channel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    accommodations = forms.MultipleChoiceField(label=_("accommodations offered"), choices=Accommodation.choices,
                                               required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Service
        fields = [
            "code", "kind", "agency", "unit", "is_published", "name_id", "name_en", "summary_id", "summary_en",
            "description_id", "description_en", "fee", "fee_note_id", "fee_note_en", "deadline_working_days",
            "channels", "accommodations", "categories", "life_events", "standard", "requirements",
            "form_definition",
        ]

    def clean_standard(self):
        return self.cleaned_data["standard"] or {}

    def clean_requirements(self):
        return self.cleaned_data["requirements"] or []

    def clean_form_definition(self):
        return self.cleaned_data["form_definition"] or []


class _RoutedEntryAdmin(AgencyScopedAdmin, admin.ModelAdmin):
    """Listed, opened, routed and deleted only within the agencies one administers (`AgencyScopedAdmin`);
    `catalog_entry_save` and `catalog_entry_delete` check the same rule again and audit the change."""

    def save_model(self, request, obj, form, change) -> None:
        catalog_entry_save(actor=request.user, entry=obj, via=VIA)

    def delete_model(self, request, obj) -> None:
        catalog_entry_delete(actor=request.user, entry=obj, via=VIA)


@admin.register(Service)
class ServiceAdmin(_RoutedEntryAdmin):
    form = ServiceAdminForm
    list_display = ["name_id", "code", "agency", "kind", "deadline_working_days", "fee", "is_published"]
    list_filter = ["kind", "is_published", "agency", "categories", "life_events"]
    search_fields = ["code", "name_id", "name_en", "summary_id"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency", "unit"]
    filter_horizontal = ["categories", "life_events"]
    prepopulated_fields = {"code": ["name_id"]}
    readonly_fields = ["popularity", "updated_at"]
    fieldsets = [
        (None, {"fields": ["code", "kind", "agency", "unit", "is_published"]}),
        (_("Names and descriptions"), {"fields": ["name_id", "name_en", "summary_id", "summary_en",
                                                   "description_id", "description_en"]}),
        (_("Delivery"), {"fields": ["fee", "fee_note_id", "fee_note_en", "deadline_working_days", "channels",
                                    "accommodations", "categories", "life_events"]}),
        (_("Service standard and requirements"), {"fields": ["standard", "requirements"]}),
        (_("Application form"), {"fields": ["form_definition"]}),
        (_("Statistics"), {"fields": ["popularity", "updated_at"]}),
    ]


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    list_display = ["name_id", "name_en", "slug"]
    search_fields = ["name_id", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(LifeEvent)
class LifeEventAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    list_display = ["name_id", "name_en", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_id", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class ComplaintRouteInline(AgencyScopedFields, admin.TabularInline):
    model = ComplaintRoute
    extra = 0
    autocomplete_fields = ["region", "agency", "unit"]


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(_RoutedEntryAdmin):
    list_display = ["name_id", "keyword", "agency", "unit", "completion_working_days", "order", "is_active"]
    list_filter = ["is_active", "agency"]
    search_fields = ["name_id", "name_en", "keyword", "slug"]
    list_select_related = ["agency", "unit"]
    autocomplete_fields = ["agency", "unit"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ComplaintRouteInline]

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not ComplaintRoute:
            return super().save_formset(request, form, formset, change)
        routes = formset.save(commit=False)
        for route in formset.deleted_objects:
            catalog_entry_delete(actor=request.user, entry=route, via=VIA)
        for route in routes:
            catalog_entry_save(actor=request.user, entry=route, via=VIA)
        formset.save_m2m()
        return None


@admin.register(ExternalService)
class ExternalServiceAdmin(SharedReferenceAdmin, admin.ModelAdmin):
    """Where citizens are sent and their requests forwarded (ADR 0045): a superuser's to set; the API key is
    neither shown to anyone else nor written into the audit chain."""

    list_display = ("name_id", "provider_id", "url", "forwards_by_open311", "is_published")
    search_fields = ("name_id", "name_en", "keywords", "provider_id")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ("code", "name_id", "name_en", "provider_id", "provider_en", "summary_id", "summary_en", "url",
              "keywords", "is_published", "open311_url", "open311_service_code", "open311_api_key",
              "open311_jurisdiction_id")
    secret_fields = ("open311_api_key",)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if request.user.is_superuser else [f for f in fields if f != "open311_api_key"]


@admin.register(ExternalRequest)
class ExternalRequestAdmin(SuperuserOnlyAdmin, admin.ModelAdmin):
    """What was forwarded where, and what failed (read only: the background job writes these, ADR 0045).
    A superuser's only: a service of another government belongs to no agency here, so no agency scope can
    be told, and a request's tracking code and token read the citizen's request at the provider (ADR 0015)."""

    list_display = ("reference", "service", "status", "attempts", "remote_id", "remote_status", "created_at")
    list_filter = ("status", "is_final", "service")
    search_fields = ("reference", "remote_id")
    exclude = ("description", "address", "contact_name", "contact_phone", "contact_email")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
