"""Open311 service codes (ADR 0013): `svc_<service code>` for published public services, `cmp_<category slug>`
for active complaint categories. The prefix keeps the two catalogues apart even where a service code and a
category slug are equal; both parts are slugs, so a code is safe in a URL path."""

from __future__ import annotations

from typing import Any

from balai.catalog.models import Service
from balai.catalog.selectors import active_complaint_category, public_service

SERVICE_PREFIX = "svc_"
CATEGORY_PREFIX = "cmp_"


def code_for_service(service: Any) -> str:
    return SERVICE_PREFIX + service.code


def code_for_category(category: Any) -> str:
    return CATEGORY_PREFIX + category.slug


def code_for_case(case: Any) -> str:
    if case.service_id:
        return SERVICE_PREFIX + case.service.code
    if case.complaint_category_id:
        return CATEGORY_PREFIX + case.complaint_category.slug
    return ""


def resolve(code: str) -> Any | None:
    """The requestable citizen Service (`catalog.selectors.public_service`: published, agency active) or the
    active ComplaintCategory an Open311 code names, or None."""
    code = (code or "").strip()
    if code.startswith(SERVICE_PREFIX):
        return public_service(code[len(SERVICE_PREFIX):], kind=Service.Kind.SERVICE)
    if code.startswith(CATEGORY_PREFIX):
        return active_complaint_category(code[len(CATEGORY_PREFIX):])
    return None
