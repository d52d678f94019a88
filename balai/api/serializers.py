"""Serializers: they only shape input and output. Rules stay in the engine (`balai.cases.services`),
the catalog validators (`balai.catalog.form_definition`) and `balai.cases.visibility`."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import SkipField, empty

from balai.agencies.selectors import active_agency, region_by_code
from balai.cases.models import CaseKind, Confidentiality
from balai.catalog.models import Accommodation
from balai.catalog.selectors import complaint_category_by_slug, public_service
from balai.i18n import localized
from balai.people.models import ContactChannel

# Kinds a client application may submit: everything a citizen may ask (ICT requests come from agencies'
# staff through the workspace).
PUBLIC_KINDS = (CaseKind.SERVICE_REQUEST, CaseKind.COMPLAINT, CaseKind.ASPIRATION, CaseKind.INFORMATION_REQUEST)


class BilingualSerializer(serializers.Serializer):
    id = serializers.CharField()
    en = serializers.CharField()


# --- catalog --------------------------------------------------------------------------------------


class AgencyRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    short_name = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return localized(obj, "name")


class AgencySerializer(AgencyRefSerializer):
    kind = serializers.CharField()
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.SerializerMethodField()
    address = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    website = serializers.CharField()

    def get_description(self, obj) -> str:
        return localized(obj, "description")


class ServiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.SerializerMethodField()
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    summary = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.slug")
    fee = serializers.IntegerField()
    deadline_working_days = serializers.IntegerField()
    channels = serializers.ListField(child=serializers.CharField())

    def get_name(self, obj) -> str:
        return localized(obj, "name")

    def get_summary(self, obj) -> str:
        return localized(obj, "summary")


class ServiceDetailSerializer(ServiceSerializer):
    description = serializers.SerializerMethodField()
    fee_note = serializers.SerializerMethodField()
    accommodations = serializers.ListField(child=serializers.CharField())
    standard = serializers.DictField(
        child=serializers.JSONField(), help_text=_("The 14 components of the service standard, each {id, en}.")
    )
    requirements = serializers.JSONField(help_text=_("Requirements, as listed in the standard."))
    form_definition = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField()),
        help_text=_("The typed fields of the application form; answers are keyed by their name."),
    )

    def get_description(self, obj) -> str:
        return localized(obj, "description")

    def get_fee_note(self, obj) -> str:
        return localized(obj, "fee_note")


class ComplaintCategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    keyword = serializers.CharField()
    name = serializers.SerializerMethodField()
    name_id = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.slug")
    completion_working_days = serializers.IntegerField(allow_null=True)

    def get_name(self, obj) -> str:
        return localized(obj, "name")

    def get_description(self, obj) -> str:
        return localized(obj, "description")


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True)


# --- submitting a case ----------------------------------------------------------------------------


class ShallowFields:
    """DRF deep-copies every declared field (their choices, validators, children) for each request, a
    sizeable part of a submission's time; a shallow copy per field is enough for a serializer none of
    whose fields is changed after it is declared: each copy is bound to this instance."""

    _declared_fields: dict[str, serializers.Field]

    def get_fields(self):
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class DeclaredFieldsValidation(ShallowFields):
    """Valid JSON input is checked by the declared fields themselves, as DRF would check it but without
    copying and binding the fields for each request (a submission's validation cost twice as much with them).
    Anything a field or a `validate_<field>` method refuses, and any input that is not a plain JSON object,
    goes the whole DRF way again, which answers with DRF's own errors.

    Only for a serializer without object-level `validate`, validators, read-only or nested fields, or
    `source`s (whose validation is then exactly its fields' checks in order), and not with `partial`."""

    partial: bool

    def run_validation(self, data: Any = empty) -> Any:
        if type(data) is dict and not self.partial:
            checked: dict[str, Any] = {}
            try:
                for name, field in self._declared_fields.items():
                    try:
                        value = field.run_validation(data.get(name, empty))
                        check = getattr(self, f"validate_{name}", None)
                        if check is not None:
                            value = check(value)
                    except SkipField:
                        continue
                    checked[name] = value
            except (serializers.ValidationError, DjangoValidationError):
                pass  # DRF again, for its errors
            else:
                return checked
        return super().run_validation(data)  # type: ignore[misc]


class CaseSubmitSerializer(DeclaredFieldsValidation, serializers.Serializer):
    """What a client sends; codes are resolved here, everything else is checked by the engine."""

    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in PUBLIC_KINDS])
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    service = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text=_("Service code (service requests).")
    )
    complaint_category = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="",
        help_text=_("Complaint category slug (complaints and aspirations)."),
    )
    agency = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="",
        help_text=_("Slug of the agency asked (information requests)."),
    )
    answers = serializers.DictField(
        child=serializers.JSONField(), required=False, default=dict,
        help_text=_("Answers to the service's form, keyed by field name."),
    )
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    contact_email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    contact_address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    contact_channel = serializers.ChoiceField(choices=ContactChannel.values, required=False, default="sms")
    language = serializers.ChoiceField(
        choices=("id", "en"), required=False, help_text=_("The citizen's language (default: the request's).")
    )
    region = serializers.CharField(
        max_length=13, required=False, allow_blank=True, default="", help_text=_("Kemendagri region code.")
    )
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=10, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180)
    location_text = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(
        choices=Confidentiality.choices, required=False, default="confidential",
        help_text=_("public only when the citizen agreed to publication; listed only after verification "
                    "(default: confidential)."))
    accommodations = serializers.ListField(
        child=serializers.ChoiceField(choices=Accommodation.choices), required=False, default=list, max_length=20
    )
    accommodation_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate_service(self, value: str):
        if not value:
            return None
        service = public_service(value, kind=None)
        if service is None:
            raise serializers.ValidationError(_("There is no service with this code."), code="not_found")
        return service

    def validate_complaint_category(self, value: str):
        if not value:
            return None
        category = complaint_category_by_slug(value)
        if category is None:
            raise serializers.ValidationError(_("There is no category with this slug."), code="not_found")
        return category

    def validate_agency(self, value: str):
        if not value:
            return None
        agency = active_agency(value)
        if agency is None:
            raise serializers.ValidationError(_("There is no agency with this slug."), code="not_found")
        return agency

    def validate_region(self, value: str):
        if not value:
            return None
        region = region_by_code(value)
        if region is None:
            raise serializers.ValidationError(_("There is no region with this code."), code="not_found")
        return region


class QueuedSubmissionSerializer(ShallowFields, serializers.Serializer):
    token = serializers.CharField(help_text=_("Keep it: it tells you the tracking code once the case is registered."))
    status = serializers.ChoiceField(choices=("queued", "registered", "failed"))
    accepted_at = serializers.DateTimeField(help_text=_("The deadline clock starts at this moment."))
    tracking_code = serializers.CharField(allow_null=True, help_text=_("Set once the case is registered."))
    status_url = serializers.CharField(help_text=_("This submission's status (submissions/{token}/)."))
    case_url = serializers.CharField(allow_null=True, help_text=_("The case's public status, once registered."))
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text=_("Why a submission could not be registered, by field."))


class PromiseSerializer(ShallowFields, serializers.Serializer):
    """What is promised now (the same sentence and dates as on every other face)."""

    state = serializers.CharField(help_text=_("running, overdue, paused, window, closed or none"))
    step = serializers.CharField()
    step_working_days = serializers.IntegerField(allow_null=True)
    step_due_date = serializers.DateField(allow_null=True)
    final_working_days = serializers.IntegerField(allow_null=True)
    final_due_date = serializers.DateField(allow_null=True)
    closes_automatically_on = serializers.DateField(allow_null=True)
    window = serializers.CharField()
    window_working_days = serializers.IntegerField(allow_null=True)
    legal_source = serializers.CharField()
    legal_basis = serializers.CharField()
    working_days_left = serializers.IntegerField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField()
    expected_at = serializers.DateTimeField(allow_null=True)


class CaseCreatedSerializer(ShallowFields, serializers.Serializer):
    tracking_code = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    agency = serializers.CharField(help_text=_("Slug of the agency responsible."))
    status_url = serializers.CharField()
    promise = PromiseSerializer()


# --- reading a case -------------------------------------------------------------------------------


class RefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    is_public = serializers.BooleanField()
    body = serializers.CharField()
    actor_label = serializers.CharField()


class PublicCaseSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    is_open = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    category = RefSerializer(allow_null=True)
    region = RefSerializer(allow_null=True)
    public_answer = serializers.CharField(allow_null=True)
    promise = PromiseSerializer()
    timeline = TimelineEntrySerializer(many=True)


class StaffTimelineEntrySerializer(TimelineEntrySerializer):
    data = serializers.DictField(child=serializers.JSONField())


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    requires = serializers.ListField(child=serializers.CharField())


class LocationSerializer(serializers.Serializer):
    latitude = serializers.CharField(allow_null=True)
    longitude = serializers.CharField(allow_null=True)
    text = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    address = serializers.CharField()
    channel = serializers.CharField()
    language = serializers.CharField()


class StaffCaseSerializer(PublicCaseSerializer):
    version = serializers.IntegerField(help_text=_("Send it back as expected_version when acting on the case."))
    viewer_kind = serializers.CharField()
    confidentiality = serializers.CharField()
    channel = serializers.CharField()
    agency = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    assignee = serializers.IntegerField(allow_null=True)
    description = serializers.CharField(allow_null=True)
    answers = serializers.DictField(child=serializers.JSONField(), allow_null=True)
    location = LocationSerializer(allow_null=True)
    contact = ContactSerializer(allow_null=True)
    identity_sealed = serializers.BooleanField()
    timeline = StaffTimelineEntrySerializer(many=True)
    actions = ActionSerializer(many=True)


class QueueItemSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    due_soon = serializers.BooleanField()
    breached = serializers.BooleanField()
    escalation_level = serializers.IntegerField()
    unit = serializers.CharField(allow_null=True)
    assignee = serializers.IntegerField(allow_null=True)


class QueuePageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text=_("Cursor of the next page (pass as ?cursor=)."))
    previous = serializers.CharField(allow_null=True)
    count = serializers.IntegerField(help_text=_("Number of cases, counted up to 1,000."))
    count_capped = serializers.BooleanField()
    results = QueueItemSerializer(many=True)


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=40)
    expected_version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("The case's version you saw (409 if it changed since).")
    )
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    exemption = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    assignee = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                        max_value=2**62, help_text=_("User id of the officer (assign)."))
    target_unit = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                           max_value=2**62, help_text=_("Unit id (dispose)."))
    target_agency = serializers.CharField(max_length=60, required=False, allow_blank=True, default="",
                                          help_text=_("Agency slug (dispose)."))
    is_public = serializers.BooleanField(required=False, default=True)


# --- statistics -----------------------------------------------------------------------------------


class StatisticsSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    figures = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text=_("received, closed, open, median_days, closed_on_time_pct, ikm_converted, … (null = no data)."),
    )
