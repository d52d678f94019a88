"""Staff endpoints (staff API token): the officer's queue, a case as the officer may see it, actions.

The same functions as the workspace: the queue is `balai.cases.queue` (`base_queue` + `apply_filters` +
keyset `queue_page`); what is shown is `case_view(viewer=<the officer>)`; what may be
done is `available_actions` and `case_transition` (the engine checks permission again, and
`expected_version` protects against overwriting a colleague's change: 409).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from balai.api import serializers as s
from balai.api.auth import StaffTokenRequired
from balai.api.presenters import staff_case
from balai.api.views.base import ApiView, error_responses
from balai.api.views.cases import find_case
from balai.cases import workflows
from balai.cases.commands import CaseCommand
from balai.cases.models import CaseKind
from balai.cases.queue import STATES, QueueFilters, apply_filters, base_queue, queue_page, queue_title
from balai.cases.selectors import disposal_agency, disposal_unit
from balai.cases.services import available_actions, case_transition
from balai.cases.visibility import case_view
from balai.people.selectors import active_user

PAGE_SIZE = 50


def _staff_case_response(case, user) -> Response:
    view = case_view(case=case, viewer=user)
    actions = available_actions(case=case, user=user)
    response = Response(s.StaffCaseSerializer(staff_case(view, actions=actions)).data)
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(
    tags=["staff"],
    summary="The officer's queue (cases of their units), most urgent first",
    parameters=[
        OpenApiParameter("cursor", OpenApiTypes.STR, required=False),
        OpenApiParameter("mine", OpenApiTypes.BOOL, required=False, description="Only cases assigned to me."),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=list(CaseKind.values), required=False),
        OpenApiParameter("state", OpenApiTypes.STR, enum=list(STATES), required=False),
        OpenApiParameter("sort", OpenApiTypes.STR, enum=["due", "newest"], required=False),
    ],
    responses={200: s.QueuePageSerializer, **error_responses(400)},
)
class StaffQueue(ApiView):
    permission_classes = [StaffTokenRequired]

    def get(self, request):
        params = request.query_params
        errors = {}
        kind = params.get("kind", "")
        if kind and kind not in CaseKind.values:
            errors["kind"] = [_("Unknown kind of case.")]
        state = params.get("state", "open")
        if state not in STATES:
            errors["state"] = [_("Choose open, closed or all.")]
        sort = params.get("sort", "due")
        if sort not in ("due", "newest"):
            errors["sort"] = [_("Choose due or newest.")]
        mine = params.get("mine", "false").lower()
        if mine not in ("true", "false", "1", "0"):
            errors["mine"] = [_("Choose true or false.")]
        if errors:
            raise exceptions.ValidationError(errors)
        qs = base_queue(user=request.user, mine=mine in ("true", "1"))
        qs = apply_filters(qs, QueueFilters(kind=kind, state=state, sort=sort))
        page = queue_page(qs, sort=sort, after=params.get("cursor", ""), size=PAGE_SIZE)
        results = [
            {
                "tracking_code": c.tracking_code,
                "kind": c.kind,
                "status": c.status,
                "status_label": str(workflows.status_label(c.kind, c.status)),
                "title": queue_title(c),
                "version": c.version,
                "submitted_at": c.submitted_at,
                "due_at": c.due_at,
                "due_soon": bool(c.due_soon),
                "breached": c.breached_at is not None,
                "escalation_level": c.escalation_level,
                "unit": c.unit.slug if c.unit_id else None,
                "assignee": c.assignee_id,
            }
            for c in page.cases
        ]
        body = {"next": page.next_cursor, "previous": page.prev_cursor, "count": page.count,
                "count_capped": page.count_capped, "results": results}
        response = Response(s.QueuePageSerializer(body).data)
        response["Cache-Control"] = "private, no-store"  # case titles and codes: never kept by a cache
        return response


@extend_schema(
    tags=["staff"],
    summary="A case as the officer may see it, with the actions they may take",
    responses={200: s.StaffCaseSerializer, **error_responses(403, 404)},
)
class StaffCase(ApiView):
    permission_classes = [StaffTokenRequired]

    def get(self, request, code: str):
        return _staff_case_response(find_case(code), request.user)


@extend_schema(
    tags=["staff"],
    summary="Apply an action (transition) to a case",
    request=s.TransitionSerializer,
    responses={200: s.StaffCaseSerializer, **error_responses(400, 403, 404, 409)},
)
class StaffTransition(ApiView):
    permission_classes = [StaffTokenRequired]

    def post(self, request, code: str):
        case = find_case(code)
        serializer = s.TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        errors = {}
        if data["assignee"] is not None:
            data["assignee"] = active_user(data["assignee"])
            if data["assignee"] is None:
                errors["assignee"] = [_("There is no active user with this id.")]
        # Forwarding targets: the same rule as the workspace's forward form (disposal_agencies/units).
        if data["target_unit"] is not None:
            data["target_unit"] = disposal_unit(case, data["target_unit"])
            if data["target_unit"] is None:
                errors["target_unit"] = [_("You may forward this case only to an active unit of its own government.")]
        slug = data.pop("target_agency")
        data["target_agency"] = None
        if slug:
            data["target_agency"] = disposal_agency(case, slug)
            if data["target_agency"] is None:
                errors["target_agency"] = [
                    _("You may forward this case only to an active agency of its own government.")]
        if errors:
            raise exceptions.ValidationError(errors)
        case = case_transition(case, CaseCommand(actor=request.user, **data))
        return _staff_case_response(case, request.user)
