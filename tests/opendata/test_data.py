"""Open data: downloads are streamed and validate against the catalog's own field declarations."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.http import StreamingHttpResponse

pytestmark = pytest.mark.django_db

CSV_PATTERNS = {
    "integer": re.compile(r"-?\d+"), "decimal": re.compile(r"-?\d+(\.\d+)?"), "boolean": re.compile(r"true|false"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"), "month": re.compile(r"\d{4}-\d{2}"), "string": re.compile(r".*", re.S),
}
JSON_TYPES = {"integer": (int,), "decimal": (int, float), "boolean": (bool,), "date": (str,), "month": (str,),
              "string": (str,)}
XSD_TO_TYPE = {"xsd:integer": "integer", "xsd:decimal": "decimal", "xsd:boolean": "boolean", "xsd:date": "date",
               "xsd:gYearMonth": "month", "xsd:string": "string"}


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_catalog_is_dcat_with_every_dataset(client, od_world):
    from balai.opendata.datasets import DATASETS

    response = client.get("/data/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["@type"] == "dcat:Catalog" and "dcat" in doc["@context"]
    assert doc["dct:license"] == "https://creativecommons.org/licenses/by/4.0/"
    ids = [d["dct:identifier"] for d in doc["dcat:dataset"]]
    assert ids == list(DATASETS)
    for d in doc["dcat:dataset"]:
        assert d["dct:title"] and d["dct:description"] and d["dct:accrualPeriodicity"].startswith("http")
        assert {x["dcat:mediaType"] for x in d["dcat:distribution"]} == {"text/csv", "application/json"}
        assert all(c["dct:description"] for c in d["csvw:tableSchema"]["csvw:column"])


def test_every_download_validates_against_the_catalog(client, od_world):
    from balai.opendata.services import record_audit_head

    record_audit_head()
    doc = client.get("/data/catalog.jsonld").json()
    rows_seen = 0
    for d in doc["dcat:dataset"]:
        columns = [(c["csvw:name"], XSD_TO_TYPE[c["csvw:datatype"]]) for c in d["csvw:tableSchema"]["csvw:column"]]
        names = [n for n, _ in columns]
        urls = {x["dcat:mediaType"]: x["dcat:downloadURL"].replace("http://testserver", "")
                for x in d["dcat:distribution"]}
        csv_response = client.get(urls["text/csv"])
        assert isinstance(csv_response, StreamingHttpResponse)
        reader = csv.reader(io.StringIO(body(csv_response)))
        assert next(reader) == names, d["dct:identifier"]
        csv_rows = list(reader)
        for row in csv_rows:
            assert len(row) == len(names)
            for (name, kind), cell in zip(columns, row, strict=True):
                assert cell == "" or CSV_PATTERNS[kind].fullmatch(cell), (d["dct:identifier"], name, cell)
        json_response = client.get(urls["application/json"])
        assert isinstance(json_response, StreamingHttpResponse)
        payload = json.loads(body(json_response))
        assert payload["fields"] == names and payload["dataset"] == d["dct:identifier"]
        assert len(payload["rows"]) == len(csv_rows)
        for item in payload["rows"]:
            assert list(item) == names
            for name, kind in columns:
                value = item[name]
                assert value is None or isinstance(value, JSON_TYPES[kind]), (d["dct:identifier"], name, value)
                if kind in ("integer", "decimal"):
                    assert not isinstance(value, bool)
        rows_seen += len(csv_rows)
    assert rows_seen > 20


def test_aggregate_download_matches_the_selector(client, od_world):
    payload = json.loads(body(client.get("/data/kinerja-provinsi.json")))
    complaints = [r for r in payload["rows"] if r["kind"] == "complaint"]
    assert sum(r["received"] for r in complaints) == 14
    gaps = json.loads(body(client.get("/data/kesenjangan.json")))["rows"]
    suppressed = [r for r in gaps if r["suppressed"]]
    assert suppressed and all(r["received"] is None and r["median_days"] is None for r in suppressed)


def test_unknown_dataset_is_404(client, od_world):
    assert client.get("/data/tidak-ada.csv").status_code == 404
    assert client.get("/data/tidak-ada/").status_code == 404


def test_audit_head_published_once_a_day(client, od_world):
    from datetime import date

    from balai.audit.selectors import chain_head
    from balai.opendata.models import AuditHead
    from balai.opendata.services import record_audit_head

    first = record_audit_head(today=date(2026, 1, 5))
    again = record_audit_head(today=date(2026, 1, 5))
    assert again.pk == first.pk and AuditHead.objects.count() == 1
    count, last_hash = chain_head()
    assert (first.count, first.last_hash) == (count, last_hash) and count > 0
    live = client.get("/data/audit-head.json").json()
    assert live["count"] == count and live["hash"] == last_hash
    assert live["published"] == {"day": "2026-01-05", "count": count, "hash": last_hash}
    rows = body(client.get("/data/audit-heads.csv")).splitlines()
    assert rows == ["day,count,hash", f"2026-01-05,{count},{last_hash}"]
    html = client.get("/data/").content.decode()
    assert last_hash in html
