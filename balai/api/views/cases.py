"""Submitting a case as a client application, and reading its public status by tracking code."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from balai.api import serializers as s
from balai.api.auth import request_client
from balai.api.presenters import created_case, public_case, queued_submission
from balai.api.views.base import ApiView, error_responses
from balai.cases.intake import queue_submission, queued_by_token
from balai.cases.models import Case
from balai.cases.selectors import case_by_code
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.cases.visibility import case_view


def find_case(code: str) -> Case:
    """The case with this tracking code (typed loosely: case, dashes, look-alike characters), or 404."""
    case = case_by_code(code[:64])
    if case is None:
        raise exceptions.NotFound()
    return case


@extend_schema(
    tags=["cases"],
    summary="Submit a case (client application key with scope cases:submit)",
    request=s.CaseSubmitSerializer,
    description=("Registers the case at once (201, with its tracking code). A client application with "
                 "queued intake gets 202 with a token instead: the input is checked at once, the case is "
                 "registered within seconds, and `status_url` then gives its tracking code."),
    responses={201: s.CaseCreatedSerializer, 202: s.QueuedSubmissionSerializer, **error_responses(400, 403)},
)
class CaseSubmit(ApiView):
    required_scope = "cases:submit"
    client_required = True

    def post(self, request):
        serializer = s.CaseSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.setdefault("language", translation.get_language())
        client = request_client(request)
        # The engine validates everything else (answers against the form definition, contacts, routing)
        # and raises ValidationError with field names, which the error handler turns into field errors.
        if client.queued_intake:
            row, _prepared = queue_submission(Submission(channel="api", client=client, **data))
            body = queued_submission(row, absolute=request.build_absolute_uri)
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["status_url"]})
        case = case_submit(Submission(channel="api", client=client, **data))
        body = created_case(case, absolute=request.build_absolute_uri)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["status_url"]})


@extend_schema(
    tags=["cases"],
    summary="A case's public status and timeline, by tracking code",
    responses={200: s.PublicCaseSerializer, **error_responses(403, 404)},
)
class CaseStatus(ApiView):
    required_scope = "cases:read"

    def get(self, request, code: str):
        case = find_case(code)
        # A client application, or anyone, sees what the public sees (never the citizen's view).
        view = case_view(case=case, viewer=None)
        response = Response(s.PublicCaseSerializer(public_case(view)).data)
        response["Cache-Control"] = "no-store"
        return response


@extend_schema(
    tags=["cases"],
    summary="A queued submission's status, by its token (the client application that sent it)",
    responses={200: s.QueuedSubmissionSerializer, **error_responses(403, 404)},
)
class SubmissionStatus(ApiView):
    required_scope = "cases:submit"
    client_required = True

    def get(self, request, token: str):
        row = queued_by_token(token, client=request_client(request))  # another client's token: not found
        if row is None:
            raise exceptions.NotFound()
        response = Response(queued_submission(row, absolute=request.build_absolute_uri))
        response["Cache-Control"] = "no-store"
        return response
