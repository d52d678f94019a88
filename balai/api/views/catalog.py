"""Catalog reads: services (with standards and form definitions), complaint categories, agencies, regions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.response import Response

from balai.agencies.models import Agency, Region
from balai.api import serializers as s
from balai.api.pagination import ordered_by
from balai.api.views.base import ApiView, error_responses
from balai.catalog.models import ComplaintCategory, Service


class CatalogListView(ApiView, GenericAPIView):
    required_scope = "catalog:read"

    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema(
    tags=["catalog"],
    summary="List published services",
    parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=["service", "ict"], required=False)],
    responses={200: s.ServiceSerializer(many=True), **error_responses(400, 403)},
)
class ServiceList(CatalogListView):
    serializer_class = s.ServiceSerializer
    pagination_class = ordered_by("code")

    def get_queryset(self):
        qs = Service.objects.filter(is_published=True).select_related("agency")
        kind = self.request.query_params.get("kind")
        if kind is not None:
            if kind not in Service.Kind.values:
                raise exceptions.ValidationError({"kind": [_("Choose service or ict.")]})
            qs = qs.filter(kind=kind)
        return qs


@extend_schema(
    tags=["catalog"],
    summary="One service with its standard and form definition",
    responses={200: s.ServiceDetailSerializer, **error_responses(403, 404)},
)
class ServiceDetail(ApiView):
    required_scope = "catalog:read"

    def get(self, request, code: str):
        service = get_object_or_404(Service.objects.select_related("agency"), code=code, is_published=True)
        return Response(s.ServiceDetailSerializer(service).data)


@extend_schema(
    tags=["catalog"],
    summary="List complaint and aspiration categories",
    responses={200: s.ComplaintCategorySerializer(many=True), **error_responses(400, 403)},
)
class ComplaintCategoryList(CatalogListView):
    serializer_class = s.ComplaintCategorySerializer
    pagination_class = ordered_by("slug")

    def get_queryset(self):
        return ComplaintCategory.objects.filter(is_active=True).select_related("agency")


@extend_schema(
    tags=["catalog"],
    summary="List agencies",
    responses={200: s.AgencySerializer(many=True), **error_responses(400, 403)},
)
class AgencyList(CatalogListView):
    serializer_class = s.AgencySerializer
    pagination_class = ordered_by("slug")

    def get_queryset(self):
        return Agency.objects.filter(is_active=True)


@extend_schema(
    tags=["catalog"],
    summary="List regions (Kemendagri codes), filtered by parent and level",
    parameters=[
        OpenApiParameter("parent", OpenApiTypes.STR, required=False, description="Code of the parent region."),
        OpenApiParameter("level", OpenApiTypes.STR, enum=list(Region.Level.values), required=False),
    ],
    responses={200: s.RegionSerializer(many=True), **error_responses(400, 403)},
)
class RegionList(CatalogListView):
    serializer_class = s.RegionSerializer
    pagination_class = ordered_by("code")

    def get_queryset(self):
        qs = Region.objects.select_related("parent")
        params = self.request.query_params
        errors = {}
        level = params.get("level")
        if level is not None:
            if level not in Region.Level.values:
                errors["level"] = [_("Unknown level.")]
            else:
                qs = qs.filter(level=level)
        parent = params.get("parent")
        if parent is not None:
            if not Region.objects.filter(code=parent).exists():
                errors["parent"] = [_("There is no region with this code.")]
            else:
                qs = qs.filter(parent__code=parent)
        if errors:
            raise exceptions.ValidationError(errors)
        return qs
