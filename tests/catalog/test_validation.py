"""Service validation: the standard, requirements, channels, accommodations and form definition."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from balai.catalog.standard import COMPONENT_KEYS, COMPONENTS, missing_components
from balai.catalog.validation import validate_standard
from tests.factories import MembershipFactory, ServiceFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_fourteen_components_in_two_groups():
    assert len(COMPONENTS) == 14
    assert sum(c.group == "delivery" for c in COMPONENTS) == 6
    assert sum(c.group == "management" for c in COMPONENTS) == 8
    assert all(c.label["id"] and c.label["en"] for c in COMPONENTS)
    assert missing_components({"fee": {"id": "Gratis", "en": "Free"}}) == [k for k in COMPONENT_KEYS if k != "fee"]


@pytest.mark.parametrize(("standard", "expected"), [
    ([], "must be an object"),
    ({"price": {"id": "x", "en": "y"}}, "Unknown components: price"),
    ({"fee": "Gratis"}, "Component \"fee\""),
    ({"fee": {"id": "Gratis"}}, "Component \"fee\""),
    ({"fee": {"id": "", "en": "Free"}}, "Component \"fee\""),
])
def test_bad_standard(standard, expected):
    errors = validate_standard(standard)
    assert any(expected in e for e in errors), errors


def test_full_clean_reports_each_bad_field():
    service = ServiceFactory.build(
        agency=UnitFactory().agency, unit=UnitFactory(),
        standard={"fee": {"id": "Gratis", "en": "Free"}, "zzz": {"id": "a", "en": "b"}},
        requirements=["KTP"], channels=["web", "fax", "web"], accommodations=["telepathy"],
        form_definition=[{"name": "x", "type": "text"}],
    )
    with pytest.raises(ValidationError) as info:
        service.full_clean()
    errors = info.value.message_dict
    assert set(errors) >= {"standard", "requirements", "channels", "accommodations", "form_definition", "unit"}
    assert any("fax" in m for m in errors["channels"])
    assert any("more than once" in m for m in errors["channels"])
    assert any("telepathy" in m for m in errors["accommodations"])


def test_good_service_passes_full_clean():
    unit = UnitFactory()
    MembershipFactory(unit=unit, role="verifier")  # someone there can take every step (balai.cases.actors)
    service = ServiceFactory.build(
        agency=unit.agency, unit=unit, standard={k: {"id": "Teks", "en": "Text"} for k in COMPONENT_KEYS},
        requirements=[{"id": "KTP", "en": "ID card"}], channels=["web", "counter"], accommodations=["wheelchair"],
        form_definition=[{"name": "nik", "type": "nik", "label": {"id": "NIK", "en": "NIK"}, "required": True}],
    )
    service.full_clean()
