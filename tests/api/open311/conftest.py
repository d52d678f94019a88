"""Open311 test helpers: validation against the GeoReport v2 JSON schemas and the spec's XML structure."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).parent / "schemas"
_REGISTRY = Registry().with_resources(
    (p.name, Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT7))
    for p in SCHEMAS.glob("*.json")
)
# Element order of the spec's XML examples (GeoReport v2).
REQUEST_ORDER = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                 "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                 "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
SERVICE_ORDER = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_ORDER = ["variable", "code", "datatype", "required", "datatype_description", "order", "description"]


def validate(schema_name: str, data) -> None:
    """Raise if `data` violates the named schema (formats checked too)."""
    schema = json.loads((SCHEMAS / schema_name).read_text())
    validator = jsonschema.Draft7Validator(schema, registry=_REGISTRY,
                                           format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    problems = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert not problems, problems


def _in_order(children: list[str], order: list[str]) -> bool:
    known = [c for c in children if c in order]
    return known == sorted(known, key=order.index)


def check_xml(body: bytes, kind: str) -> ET.Element:
    """Parse and check the element names and order of a GeoReport v2 XML response."""
    root = ET.fromstring(body)
    if kind == "services":
        assert root.tag == "services"
        for item in root:
            assert item.tag == "service"
            tags = [c.tag for c in item]
            assert {"service_code", "service_name", "metadata", "type"} <= set(tags)
            assert _in_order(tags, SERVICE_ORDER)
    elif kind == "service_definition":
        assert root.tag == "service_definition"
        assert [c.tag for c in root] == ["service_code", "attributes"]
        for attr in root.find("attributes"):
            assert attr.tag == "attribute"
            tags = [c.tag for c in attr]
            assert {"variable", "code", "datatype", "required"} <= set(tags)
            assert _in_order(tags, ATTRIBUTE_ORDER)
            values = attr.find("values")
            if values is not None:
                assert all(v.tag == "value" and [c.tag for c in v] == ["key", "name"] for v in values)
    elif kind == "requests":
        assert root.tag == "service_requests"
        for item in root:
            assert item.tag == "request"
            tags = [c.tag for c in item]
            assert {"service_request_id", "status", "service_code", "requested_datetime"} <= set(tags)
            assert _in_order(tags, REQUEST_ORDER)
    elif kind == "post":
        assert root.tag == "service_requests"
        for item in root:
            tags = [c.tag for c in item]
            assert item.tag == "request" and ({"service_request_id", "token"} & set(tags))
            assert _in_order(tags, ["service_request_id", "token", "service_notice", "account_id"])
    elif kind == "errors":
        assert root.tag == "errors"
        for item in root:
            assert item.tag == "error" and [c.tag for c in item] == ["code", "description"]
    return root


@pytest.fixture
def o311_key(db):
    from balai.people.services import client_application_create

    return client_application_create(name="Aplikasi Open311", scopes=("cases:submit",), rate_limit_per_minute=1000)
