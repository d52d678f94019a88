"""Public statistics: the transparency roll-ups (`balai.transparency.selectors.overview`), same figures as
the public reports page (UU 25/2009 art. 36 and PermenPANRB 14/2017 on publishing service performance)."""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from balai.api import serializers as s
from balai.api.views.base import ApiView, error_responses
from balai.cases.models import CaseKind
from balai.transparency.figures import as_row
from balai.transparency.selectors import overview

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(raw: str | None, name: str, errors: dict) -> date | None:
    if raw is None or raw == "":
        return None
    m = MONTH.match(raw)
    if m and 2000 <= int(m.group(1)) <= 2100 and 1 <= int(m.group(2)) <= 12:
        return date(int(m.group(1)), int(m.group(2)), 1)
    errors[name] = [_("Enter a month as YYYY-MM, e.g. 2026-01.")]
    return None


@extend_schema(
    tags=["statistics"],
    summary="Public performance figures of the government (optionally one kind and a range of months)",
    parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, enum=list(CaseKind.values), required=False),
        OpenApiParameter("start", OpenApiTypes.STR, required=False, description="First month, YYYY-MM."),
        OpenApiParameter("end", OpenApiTypes.STR, required=False, description="Last month, YYYY-MM."),
    ],
    responses={200: s.StatisticsSerializer, **error_responses(400, 403)},
)
class Statistics(ApiView):
    required_scope = "stats:read"

    def get(self, request):
        params = request.query_params
        errors: dict = {}
        kind = params.get("kind") or None
        if kind is not None and kind not in CaseKind.values:
            errors["kind"] = [_("Unknown kind of case.")]
        start = _month(params.get("start"), "start", errors)
        end = _month(params.get("end"), "end", errors)
        if start and end and start > end:
            errors["end"] = [_("The last month must not be before the first.")]
        if errors:
            raise exceptions.ValidationError(errors)
        figures = as_row(overview(kind=kind, start=start, end=end))
        return Response(s.StatisticsSerializer({"start": start, "end": end, "kind": kind, "figures": figures}).data)
