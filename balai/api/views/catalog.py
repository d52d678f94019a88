"""Catalog reads: services (with standards and form definitions), complaint categories, agencies, regions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from balai.agencies.models import Region
from balai.agencies.selectors import active_agencies, region_by_code, regions
from balai.api import serializers as s
from balai.api.pagination import ordered_by
from balai.api.views.base import ApiView, error_responses
from balai.catalog.models import Service
from balai.catalog.selectors import (
    active_complaint_categories,
    public_service,
    public_services,
    published_services,
)


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
        kind = self.request.query_params.get("kind")
        if kind is not None and kind not in Service.Kind.values:
            raise exceptions.ValidationError({"kind": [_("Choose service or ict.")]})
        return published_services() if kind is None else public_services(kind=kind)


@extend_schema(
    tags=["catalog"],
    summary="One service with its standard and form definition",
    responses={200: s.ServiceDetailSerializer, **error_responses(403, 404)},
)
class ServiceDetail(ApiView):
    required_scope = "catalog:read"

    def get(self, request, code: str):
        service = public_service(code, kind=None)
        if service is None:
            raise exceptions.NotFound()
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
        return active_complaint_categories()


@extend_schema(
    tags=["catalog"],
    summary="List agencies",
    responses={200: s.AgencySerializer(many=True), **error_responses(400, 403)},
)
class AgencyList(CatalogListView):
    serializer_class = s.AgencySerializer
    pagination_class = ordered_by("slug")

    def get_queryset(self):
        return active_agencies()


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
        params = self.request.query_params
        errors = {}
        level = params.get("level")
        if level is not None and level not in Region.Level.values:
            errors["level"] = [_("Unknown level.")]
        parent = params.get("parent")
        if parent is not None and region_by_code(parent) is None:
            errors["parent"] = [_("There is no region with this code.")]
        if errors:
            raise exceptions.ValidationError(errors)
        return regions(level=level, parent_code=parent)
