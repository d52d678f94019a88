"""The browsable API docs (Swagger UI from drf-spectacular-sidecar, served from our own static files).

Swagger UI is rendered by React, which sets `style=` attributes, and drf-spectacular's page has one small
inline `<style>`: this page alone allows inline styles. Scripts stay 'self' only: the split view serves
its start-up script as a separate file instead of an inline script.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

docs_csp = csp_update({"style-src": ["'unsafe-inline'"]})


def not_found(request, *args, **kwargs) -> JsonResponse:
    """404 for any unknown path under /api/, in the API's error format and the asked language."""
    from balai.api.views.base import accept_language

    with translation.override(accept_language(request)):
        body = {"errors": [{"field": None, "code": "not_found", "message": _("Not found.")}]}
        return JsonResponse(body, status=404, headers={"Content-Language": translation.get_language()})
