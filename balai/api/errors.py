"""One error format for the whole REST API:

    {"errors": [{"field": "contact_email" | "answers.nik" | null, "code": "invalid", "message": "..."}]}

Messages are translated into the language the request asked for (`Accept-Language`). Engine errors map
to HTTP codes: ValidationError and MissingRequirement 400, PermissionDeniedError 403, ConflictError 409
(reload and try again), TransitionNotAllowed 400 with code "transition_not_allowed".
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from balai.cases.errors import (
    CaseError,
    ConflictError,
    MissingRequirement,
    PermissionDeniedError,
    TransitionNotAllowed,
)


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


def error(message: Any, *, code: str, field: str | None = None) -> dict:
    return {"field": field, "code": code, "message": str(message)}


def _flatten(detail: Any, codes: Any, prefix: str | None = None) -> list[dict]:
    """DRF's nested error details → a flat list with dotted field names."""
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key)
            field = None if name in ("non_field_errors", "__all__") else (f"{prefix}.{name}" if prefix else name)
            sub_codes = codes.get(key) if isinstance(codes, dict) else codes
            out.extend(_flatten(value, sub_codes, field if field is not None else prefix))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            sub = codes[i] if isinstance(codes, list) and i < len(codes) else codes
            if isinstance(value, dict | list) and value:
                out.extend(_flatten(value, sub, f"{prefix}.{i}" if prefix else str(i)))
            elif isinstance(value, dict | list):
                continue
            else:
                out.append(error(value, code=str(sub or "invalid"), field=prefix))
    else:
        out.append(error(detail, code=str(codes or "invalid"), field=prefix))
    return out


def django_validation_errors(exc: DjangoValidationError) -> list[dict]:
    out: list[dict] = []
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            for e in errs:
                message = e.message % e.params if e.params else e.message
                out.append(error(message, code=e.code or "invalid", field=None if field == "__all__" else field))
    else:
        for e in exc.error_list:
            message = e.message % e.params if e.params else e.message
            out.append(error(message, code=e.code or "invalid"))
    return out


def respond(status_code: int, errors: list[dict], headers: dict | None = None) -> Response:
    return Response({"errors": errors}, status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF exception handler producing the API's error format (see the module docstring)."""
    if isinstance(exc, DjangoValidationError):
        return respond(status.HTTP_400_BAD_REQUEST, django_validation_errors(exc))
    if isinstance(exc, ConflictError):
        return respond(status.HTTP_409_CONFLICT, [error(exc.message, code="conflict")])
    if isinstance(exc, MissingRequirement):
        items = [error(m, code="required", field=f) for f, ms in exc.field_errors.items() for m in ms]
        return respond(status.HTTP_400_BAD_REQUEST, items or [error(exc.message, code="required")])
    if isinstance(exc, PermissionDeniedError):
        return respond(status.HTTP_403_FORBIDDEN, [error(exc.message, code="permission_denied")])
    if isinstance(exc, TransitionNotAllowed):
        return respond(status.HTTP_400_BAD_REQUEST, [error(exc.message, code="transition_not_allowed")])
    if isinstance(exc, CaseError):
        return respond(status.HTTP_400_BAD_REQUEST, [error(exc.message, code="case_error")])
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.Throttled):
        exc.detail = exceptions.ErrorDetail(
            _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": int(exc.wait or 1)},
            code="throttled",
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        if isinstance(exc, exceptions.ValidationError):
            items = _flatten(exc.detail, exc.get_codes())
        else:
            items = [error(exc.detail, code=str(getattr(exc.detail, "code", None) or exc.default_code))]
        response.data = {"errors": items}
    return response
