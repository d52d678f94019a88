"""The Content-Security-Policy header, built once per process for the answers that keep the site's policy.

django-csp's middleware builds both policies (enforced and report-only) from the settings on every answer,
a tenth of the time of a public page served from the page cache (ADR 0044). Nearly every answer keeps the
policy as configured: no nonce was asked for and no view decorator changed it. For those the header is
the same string every time, so it is built once and kept until the settings change (tests override them);
every other answer goes through django-csp unchanged.
"""

from __future__ import annotations

import http.client
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# (header, report only, its setting); an answer exempted from either has a `_csp…` attribute
_POLICIES = (
    (HEADER, False, "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)
_built: dict[bool, str] = {}


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


def site_policy(report_only: bool) -> str:
    """The configured policy's header value ("" when none is configured), built once."""
    if report_only not in _built:
        _built[report_only] = build_policy(report_only=report_only)
    return _built[report_only]


def keeps_site_policy(request: HttpRequest, response: HttpResponseBase) -> bool:
    """No nonce was drawn for this request and no decorator changed or exempted the policy."""
    return getattr(request, "_csp_nonce", None) is None and not any(name.startswith("_csp") for name in vars(response))


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware; the answers that keep the site's policy get the header built once."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not keeps_site_policy(request, response):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND):
            return response  # django-csp leaves Django's debug pages alone
        for header, report_only, setting in _POLICIES:
            value = site_policy(report_only)
            excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            if value and header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp: a nonce asked for after the header is written would not be in it.
        setattr(request, "csp_nonce", CheckableLazyObject(self._csp_nonce_post_response))  # noqa: B010
        return response
