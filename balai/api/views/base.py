"""Base class of every REST view: authentication, scopes, rate limit, language, error format."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.views import APIView

from balai.api.auth import AUTHENTICATION_CLASSES, ScopePermission
from balai.api.errors import ErrorSerializer, exception_handler
from balai.api.schema import ApiAutoSchema
from balai.api.throttling import ApiRateThrottle


def accept_language(request) -> str:
    """The first supported language of `Accept-Language`, else the default (Indonesian).

    The API is for machines: a language cookie left by the portal must not override what a client asks.
    """
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _q in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        code = code.lower()
        for candidate in (code, code.split("-")[0]):
            if candidate in supported:
                return candidate
    return settings.LANGUAGE_CODE


class ApiView(APIView):
    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [ScopePermission]
    throttle_classes = [ApiRateThrottle]
    schema = ApiAutoSchema()
    required_scope = ""
    client_required = False

    def initial(self, request, *args, **kwargs):
        translation.activate(accept_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        # Errors raised before initial() (none today) still answer in the asked language.
        translation.activate(accept_language(self.request))
        return super().handle_exception(exc)

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language", "Authorization", "X-Api-Key"])
        result = getattr(request, "rate_result", None)
        if result is not None and result.limit:
            response["X-RateLimit-Limit"] = str(result.limit)
            response["X-RateLimit-Remaining"] = str(result.remaining)
        return response


def error_responses(*codes: int) -> dict:
    """drf-spectacular `responses` entries for the error format (every view may answer 401 and 429)."""
    wanted = set(codes) | {401, 429}
    return {code: ErrorSerializer for code in sorted(wanted)}
