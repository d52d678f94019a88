"""Validation of a service's structured fields (standard, requirements, channels, form definition).

Called from `Service.clean()`, so the admin, the demo loader and any import share one set of rules.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from balai.catalog.choices import Accommodation, Channel
from balai.catalog.form_definition import validate_form_definition
from balai.catalog.standard import COMPONENT_KEYS


def _bilingual_text_ok(value: Any) -> bool:
    """{"id": "...", "en": "..."}: both keys strings, nothing else, Indonesian not empty."""
    return (isinstance(value, dict) and set(value) == {"id", "en"}
            and all(isinstance(value[k], str) for k in ("id", "en")) and value["id"].strip() != "")


def validate_standard(standard: Any) -> list[str]:
    """The Standar Pelayanan components (UU 25/2009 art. 21): known keys only, each a bilingual text."""
    if not isinstance(standard, dict):
        return [_("The service standard must be an object keyed by component, e.g. {\"requirements\": "
                  "{\"id\": \"...\", \"en\": \"...\"}}.")]
    errors: list[str] = []
    unknown = sorted(str(k) for k in standard if k not in COMPONENT_KEYS)
    if unknown:
        errors.append(_("Unknown components: %(keys)s. The components are: %(known)s.")
                      % {"keys": ", ".join(unknown), "known": ", ".join(COMPONENT_KEYS)})
    for key in COMPONENT_KEYS:
        if key in standard and not _bilingual_text_ok(standard[key]):
            errors.append(_("Component \"%(key)s\" must be {\"id\": \"...\", \"en\": \"...\"} with the "
                            "Indonesian text filled in.") % {"key": key})
    return errors


def validate_requirements(requirements: Any) -> list[str]:
    if not isinstance(requirements, list):
        return [_("The requirements must be a list of {\"id\": \"...\", \"en\": \"...\"} items.")]
    return [
        _("Requirement %(n)d must be {\"id\": \"...\", \"en\": \"...\"} with the Indonesian text filled in.")
        % {"n": n}
        for n, item in enumerate(requirements, start=1) if not _bilingual_text_ok(item)
    ]


def validate_choice_list(values: Any, allowed: list[str], *, what: str) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return [_("%(what)s must be a list of codes from: %(allowed)s.")
                % {"what": what, "allowed": ", ".join(allowed)}]
    errors: list[str] = []
    unknown = [v for v in values if v not in allowed]
    if unknown:
        errors.append(_("Unknown codes in %(what)s: %(codes)s. Use: %(allowed)s.")
                      % {"what": what, "codes": ", ".join(unknown), "allowed": ", ".join(allowed)})
    if len(set(values)) != len(values):
        errors.append(_("%(what)s lists a code more than once.") % {"what": what})
    return errors


def validate_service_fields(service: Any) -> dict[str, list[str]]:
    """Field name → messages for every malformed structured field of `service` (empty when valid)."""
    checks = {
        "standard": validate_standard(service.standard),
        "requirements": validate_requirements(service.requirements),
        "channels": validate_choice_list(service.channels, list(Channel.values), what=_("Channels")),
        "accommodations": validate_choice_list(service.accommodations, list(Accommodation.values),
                                               what=_("Accommodations")),
        "form_definition": validate_form_definition(service.form_definition),
    }
    errors = {field: messages for field, messages in checks.items() if messages}
    if service.unit_id and service.agency_id and service.unit.agency_id != service.agency_id:
        errors["unit"] = [_("The responsible unit must belong to the service's agency.")]
    return errors
