"""Open311 GeoReport v2 server: every endpoint in JSON and XML, validated against the published schemas."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from balai.cases.commands import CaseCommand
from balai.cases.models import Case
from balai.cases.promise import promise_of
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from tests.api.open311.conftest import check_xml, validate

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"


def post(client: Client, key: str, fmt: str = "json", **fields):
    data = {"api_key": key, "service_code": "svc_surat-sehat", "attribute[jumlah]": "2",
            "address_string": "Jl. Gajah Mada 1, Samarinda", "description": "Perlu surat untuk sekolah",
            "first_name": "Siti", "last_name": "Aminah", "phone": "081250000001"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"{BASE}requests.{fmt}", data)


def test_discovery(client, api_world):
    body = client.get(f"{BASE}discovery.json").json()
    validate("discovery.json", body)
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")
    root = check_xml_discovery(client.get(f"{BASE}discovery.xml").content)
    assert root.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")


def check_xml_discovery(content: bytes):
    from xml.etree import ElementTree as ET

    root = ET.fromstring(content)
    assert root.tag == "discovery"
    return root


def test_services_json_and_xml(client, api_world):
    rows = client.get(f"{BASE}services.json").json()
    validate("services.json", rows)
    by_code = {r["service_code"]: r for r in rows}
    assert by_code["svc_surat-sehat"]["metadata"] is True
    assert by_code["svc_surat-sehat"]["type"] == "realtime"
    assert by_code["cmp_kesehatan"]["metadata"] is False
    root = check_xml(client.get(f"{BASE}services.xml").content, "services")
    assert "svc_surat-sehat" in [s.findtext("service_code") for s in root]


def test_service_definition_from_form(client, api_world):
    api_world.service.form_definition = [
        *api_world.service.form_definition,
        {"name": "jenis", "type": "choice", "label": {"id": "Jenis", "en": "Kind"}, "required": True,
         "choices": [{"value": "baru", "label": {"id": "Baru", "en": "New"}},
                     {"value": "ulang", "label": {"id": "Ulang", "en": "Renewal"}}]},
        {"name": "tanggal", "type": "date", "label": {"id": "Tanggal", "en": "Date"}},
        {"name": "catatan", "type": "textarea", "label": {"id": "Catatan", "en": "Notes"}},
    ]
    api_world.service.save()
    body = client.get(f"{BASE}services/svc_surat-sehat.json?lang=en").json()
    validate("service-definition.json", body)
    attrs = {a["code"]: a for a in body["attributes"]}
    assert attrs["jumlah"]["datatype"] == "number" and attrs["jumlah"]["required"] is True
    assert attrs["keperluan"]["datatype"] == "string"
    assert attrs["tanggal"]["datatype"] == "datetime"
    assert attrs["catatan"]["datatype"] == "text"
    assert attrs["jenis"]["datatype"] == "singlevaluelist"
    assert attrs["jenis"]["values"] == [{"key": "baru", "name": "New"}, {"key": "ulang", "name": "Renewal"}]
    assert [a["order"] for a in body["attributes"]] == [1, 2, 3, 4, 5]
    assert attrs["jumlah"]["description"] == "Number"
    root = check_xml(client.get(f"{BASE}services/svc_surat-sehat.xml").content, "service_definition")
    assert root.findtext("service_code") == "svc_surat-sehat"
    missing = client.get(f"{BASE}services/svc_nothing.json")
    assert missing.status_code == 404
    validate("errors.json", missing.json())
    check_xml(client.get(f"{BASE}services/svc_nothing.xml").content, "errors")


def test_post_request_then_token_and_status(client, api_world, o311_key):
    _app, key = o311_key
    response = post(client, key, lang="en")
    assert response.status_code == 201, response.content
    body = response.json()
    validate("post-response.json", body)
    code, token = body[0]["service_request_id"], body[0]["token"]
    case = Case.objects.get(tracking_code=code)
    assert case.channel == "api" and case.client_id == _app.pk
    assert case.answers["jumlah"] == 2 and case.language == "en"
    assert case.contact_name == "Siti Aminah"
    tok = client.get(f"{BASE}tokens/{token}.json").json()
    validate("tokens.json", tok)
    assert tok == [{"service_request_id": code, "token": token}]
    rows = client.get(f"{BASE}requests/{code}.json").json()
    validate("requests.json", rows)
    assert rows[0]["status"] == "open" and rows[0]["service_code"] == "svc_surat-sehat"
    assert rows[0]["lang"] == "en"
    # One deadline text (ADR 0041): the POST's notice is the promise every other face prints, in English.
    with translation.override("en"):
        summary = promise_of(case).summary
    assert body[0]["service_notice"] == summary and summary.startswith("Completion by")
    assert "Siti" not in str(rows) and "081250000001" not in str(rows)
    root = check_xml(client.get(f"{BASE}requests/{code}.xml").content, "requests")
    assert root.find("request/service_request_id").text == code
    assert client.get(f"{BASE}tokens/nope.json").status_code == 404


def test_the_request_token_row_names_the_case_the_client_and_when(client, api_world, o311_key):
    from balai.api.open311.models import RequestToken

    app, key = o311_key
    before = timezone.now()
    body = post(client, key).json()
    row = RequestToken.objects.select_related("case", "client").get()
    assert (row.token, row.case.tracking_code, row.client) == (body[0]["token"], body[0]["service_request_id"], app)
    assert len(row.token) == 22 and before <= row.created_at <= timezone.now()
    assert row.created_at.utcoffset() == timedelta(0)  # stored as UTC, like every date-time


def test_the_request_token_commits_with_the_case_or_not_at_all(client, api_world, o311_key, monkeypatch):
    """The token is written inside the engine's one transaction: a failure after it leaves nothing."""
    from balai.api.open311.models import RequestToken

    def boom(**kwargs):
        raise RuntimeError("audit table missing")

    monkeypatch.setattr("balai.audit.services.audit_record", boom)
    _app, key = o311_key
    with pytest.raises(RuntimeError):
        post(client, key)
    assert not Case.objects.exists() and not RequestToken.objects.exists()


def test_post_xml_and_complaint_by_coordinates(client, api_world, o311_key):
    _app, key = o311_key
    response = post(client, key, fmt="xml", service_code="cmp_kesehatan", address_string=None,
                    lat="-0.5022", long="117.1536", **{"attribute[jumlah]": None})
    assert response.status_code == 201, response.content
    root = check_xml(response.content, "post")
    code = root.findtext("request/service_request_id")
    case = Case.objects.get(tracking_code=code)
    assert case.kind == "complaint" and str(case.latitude) == "-0.502200"


@pytest.mark.parametrize(
    ("fields", "status", "needle"),
    [
        ({"api_key": ""}, 400, "api_key"),
        ({"api_key": "blk_zzzz_wrong"}, 403, "api_key"),
        ({"service_code": "svc_nothing"}, 400, "service_code"),
        ({"service_code": ""}, 400, "service_code"),
        ({"address_string": ""}, 400, "lat"),
        ({"attribute[jumlah]": "99"}, 400, "attribute[jumlah]"),
        ({"lang": "fr"}, 400, "lang"),
        ({"jurisdiction_id": "elsewhere"}, 404, "jurisdiction_id"),
    ],
)
def test_post_errors(client, api_world, o311_key, fields, status, needle):
    _app, key = o311_key
    response = post(client, key, **fields)
    assert response.status_code == status
    body = response.json()
    validate("errors.json", body)
    assert body[0]["code"] == status and needle in body[0]["description"]
    xml = post(client, key, fmt="xml", **fields)
    assert xml.status_code == status
    check_xml(xml.content, "errors")


def test_key_without_submit_scope_is_refused(client, api_world):
    from balai.people.services import client_application_create

    _app, key = client_application_create(name="Baca saja", scopes=("catalog:read",))
    response = post(client, key)
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_rate_limit_answers_429_with_retry_after(client, api_world):
    from balai.people.services import client_application_create

    cache.clear()
    _app, key = client_application_create(name="Lambat", scopes=("cases:submit",), rate_limit_per_minute=1)
    assert post(client, key).status_code == 201
    response = post(client, key)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    validate("errors.json", response.json())


def _submit(world, **kw):
    data = dict(kind="service_request", channel="web", title="Surat", service=world.service,
                answers={"jumlah": 1}, contact_name="Budi Santoso", contact_phone="081250000002")
    data.update(kw)
    return case_submit(Submission(**data))


def _verified_complaint(world, **kw):
    from balai.cases.services import case_transition

    case = _submit(world, kind="complaint", service=None, complaint_category=world.category, answers=None, **kw)
    return case_transition(case, CaseCommand(action="verify", actor=world.head))


def test_get_requests_filters_and_defaults(client, api_world):
    # Lists hold only publicly listable cases (public, verified complaints and aspirations), by public id
    # (tests/security/test_public_lists.py has the rule itself); codes find any case for their holder.
    recent = _verified_complaint(api_world)
    old = _verified_complaint(api_world, submitted_at=timezone.now() - timedelta(days=120))
    service = _submit(api_world)
    rows = client.get(f"{BASE}requests.json").json()
    validate("requests.json", rows)
    assert [r["service_request_id"] for r in rows] == [str(recent.pk)]
    assert client.get(f"{BASE}requests.json?service_code=svc_surat-sehat").json() == []
    only = client.get(f"{BASE}requests.json?service_code=cmp_kesehatan").json()
    assert [r["service_request_id"] for r in only] == [str(recent.pk)]
    start = (timezone.now() - timedelta(days=150)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    window = client.get(f"{BASE}requests.json", {"start_date": start, "end_date": end}).json()
    assert [r["service_request_id"] for r in window] == [str(old.pk)]
    both = client.get(f"{BASE}requests.json", {"service_request_id": f"{old.pk},{recent.pk}"})
    assert {r["service_request_id"] for r in both.json()} == {str(old.pk), str(recent.pk)}
    by_code = client.get(f"{BASE}requests.json", {"service_request_id": f"{old.tracking_code},{service.tracking_code}"})
    assert {r["service_request_id"] for r in by_code.json()} == {old.tracking_code, service.tracking_code}
    assert client.get(f"{BASE}requests.json?status=closed").json() == []
    assert len(client.get(f"{BASE}requests.json?status=open").json()) == 1
    bad = client.get(f"{BASE}requests.json?status=pending")
    assert bad.status_code == 400
    validate("errors.json", bad.json())
    assert client.get(f"{BASE}requests.json?start_date=yesterday").status_code == 400
    root = check_xml(client.get(f"{BASE}requests.xml").content, "requests")
    assert [r.findtext("service_request_id") for r in root] == [str(recent.pk)]


def test_unknown_request_is_404(client, api_world):
    response = client.get(f"{BASE}requests/KT-0000-0000.json")
    assert response.status_code == 404
    validate("errors.json", response.json())


@pytest.mark.parametrize("confidentiality", ["anonymous", "confidential"])
def test_private_cases_show_no_identity_nor_text(client, api_world, confidentiality):
    case = _submit(api_world, description="Rumah saya di Jl. Mawar 3, hubungi 081250000002",
                   latitude="-0.5", longitude="117.1", location_text="Jl. Mawar 3",
                   confidentiality=confidentiality)
    text = client.get(f"{BASE}requests/{case.tracking_code}.json").content.decode()
    row = client.get(f"{BASE}requests/{case.tracking_code}.json").json()[0]
    validate("request.json", row)
    assert row["description"] is None and row["lat"] is None and row["long"] is None
    for secret in ("Budi", "081250000002", "Mawar"):
        assert secret not in text


def test_closed_case_maps_to_closed(client, api_world):
    case = _submit(api_world)
    Case.objects.filter(pk=case.pk).update(status="completed", is_open=False, closed_at=timezone.now())
    row = client.get(f"{BASE}requests/{case.tracking_code}.json").json()[0]
    validate("request.json", row)
    assert row["status"] == "closed" and row["expected_datetime"] is None
    assert row["status_notes"]
