"""GeoReport v2 responses in JSON or XML (the spec's element names: services/service,
service_definition/attributes/attribute/values/value, service_requests/request, errors/error)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET  # nosec B405 # only builds XML, never parses any

from django.http import HttpResponse

# Root and item element names per response kind (GeoReport v2 XML examples).
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "tokens": ("service_requests", "request"),
    "errors": ("errors", "error"),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, key: str, value: Any) -> None:
    el = ET.SubElement(parent, key)
    if key == "values" and isinstance(value, list):
        for v in value:
            item = ET.SubElement(el, "value")
            for k, x in v.items():
                ET.SubElement(item, k).text = _text(x)
    else:
        el.text = _text(value)


def to_xml(kind: str, rows: Iterable[dict] | dict) -> bytes:
    if kind == "service_definition":
        root = ET.Element("service_definition")
        ET.SubElement(root, "service_code").text = rows["service_code"]
        attrs = ET.SubElement(root, "attributes")
        for a in rows["attributes"]:
            item = ET.SubElement(attrs, "attribute")
            for k, v in a.items():
                _append(item, k, v)
    elif kind == "discovery":
        root = ET.Element("discovery")
        for k in ("changeset", "contact", "key_service"):
            ET.SubElement(root, k).text = _text(rows.get(k))
        eps = ET.SubElement(root, "endpoints")
        for e in rows["endpoints"]:
            ep = ET.SubElement(eps, "endpoint")
            for k in ("specification", "url", "changeset", "type"):
                ET.SubElement(ep, k).text = _text(e[k])
            formats = ET.SubElement(ep, "formats")
            for f in e["formats"]:
                ET.SubElement(formats, "format").text = f
    else:
        root_name, item_name = XML_NAMES[kind]
        root = ET.Element(root_name)
        for row in rows:
            item = ET.SubElement(root, item_name)
            for k, v in row.items():
                _append(item, k, v)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def respond(kind: str, data: Any, fmt: str, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        response = HttpResponse(to_xml(kind, data), content_type="text/xml; charset=utf-8", status=status)
    else:
        response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json",
                                status=status)
    response["Access-Control-Allow-Origin"] = "*"  # read by browser-based civic apps (public data only)
    return response


def errors(fmt: str, status: int, descriptions: Iterable[str], *, headers: dict | None = None) -> HttpResponse:
    rows = [{"code": status, "description": str(d)} for d in descriptions]
    response = respond("errors", rows, fmt, status=status)
    for k, v in (headers or {}).items():
        response[k] = v
    return response
