"""Form definitions: the typed fields of a service's application form. (Filled in by the catalog work.)"""

from __future__ import annotations

from typing import Any


def validate_form_definition(definition: Any) -> list[str]:
    """Messages describing what is wrong with `definition` (empty when valid)."""
    if not isinstance(definition, list):
        return ["The form definition must be a list of fields."]
    return []
