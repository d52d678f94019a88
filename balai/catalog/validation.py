"""Validation of a service's structured fields (standard, requirements, channels, form definition)."""

from __future__ import annotations

from typing import Any


def validate_service_fields(service: Any) -> dict[str, list[str]]:
    """Field name → messages for every malformed structured field of `service` (empty when valid)."""
    from balai.catalog.form_definition import validate_form_definition

    errors: dict[str, list[str]] = {}
    form_errors = validate_form_definition(service.form_definition)
    if form_errors:
        errors["form_definition"] = form_errors
    return errors
