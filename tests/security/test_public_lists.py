"""Tracking codes are never listed; public lists show only public cases staff verified (ADR 0016).

A tracking code is a capability: whoever holds it may ask for a one-time code and act as the citizen.
`GET /open311/v2/requests.json` with a wide date range used to return the code of every case, with its
category. Each public face is walked here: Open311 (JSON and XML), the REST API's lists, the portal's
`/laporan/` and `/laporan/<id>/`, and the open-data downloads. Each shows exactly the cases of
`publicly_listable_cases()` (public AND verified complaints and aspirations), by database id, and no
tracking code of any case; `requests/{code}.json` still answers whoever holds a code.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver
from django.utils import timezone

from tests.portal.flows_b_data import act, build_world, submit

pytestmark = pytest.mark.django_db
O311 = "/open311/v2/"


@pytest.fixture
def cases():
    world = build_world()
    c = {
        "public": submit(world, "complaint", title="Lampu jalan mati di Palaran"),
        "aspiration": submit(world, "aspiration", title="Usul taman bermain"),
        "unverified": submit(world, "complaint", title="Belum diperiksa petugas"),
        "rejected_unverified": submit(world, "complaint", title="Ditolak tanpa verifikasi"),
        "confidential": submit(world, "complaint", title="Rahasia pemerasan", confidentiality="confidential"),
        "anonymous": submit(world, "complaint", title="Pungli di loket", confidentiality="anonymous"),
        "service": submit(world, "service_request", title="Surat sehat untuk sekolah"),
        "information": submit(world, "information_request", title="Salinan DPA", contact_address="Jl. Uji"),
    }
    for name in ("public", "aspiration", "confidential", "anonymous", "service"):
        act(world, c[name], "verify", role="verifier")
    act(world, c["rejected_unverified"], "reject", role="verifier", reason="Bukan wewenang kami")
    for case in c.values():
        case.refresh_from_db()
    return c


def _listable(cases) -> set[int]:
    return {cases["public"].pk, cases["aspiration"].pk}


def _codes(cases) -> list[str]:
    return [c.tracking_code for c in cases.values()]


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def _no_code_in(text: str, cases, where: str) -> None:
    for code in _codes(cases):
        assert code not in text, f"tracking code {code} listed by {where}"
        assert code.replace("-", "") not in text, f"tracking code {code} listed by {where}"


def test_the_one_rule_public_and_verified_complaints_and_aspirations(cases):
    from balai.cases.selectors import publicly_listable_cases

    assert set(publicly_listable_cases().values_list("pk", flat=True)) == _listable(cases)


def test_open311_lists_show_listable_cases_by_public_id_and_no_code(client, cases):
    wide = {"start_date": (timezone.now() - timedelta(days=3650)).isoformat(),
            "end_date": (timezone.now() + timedelta(days=1)).isoformat()}
    response = client.get(f"{O311}requests.json", wide)
    assert response.status_code == 200
    assert {r["service_request_id"] for r in response.json()} == {str(pk) for pk in _listable(cases)}
    _no_code_in(response.content.decode(), cases, "requests.json")
    xml = client.get(f"{O311}requests.xml", wide).content.decode()
    _no_code_in(xml, cases, "requests.xml")
    assert xml.count("<request>") == 2
    for code in ("cmp_kesehatan", "svc_" + cases["service"].service.code):
        listed = client.get(f"{O311}requests.json", {**wide, "service_code": code}).content.decode()
        _no_code_in(listed, cases, f"requests.json?service_code={code}")


def test_open311_public_id_finds_only_listable_cases(client, cases):
    for name, case in cases.items():
        response = client.get(f"{O311}requests/{case.pk}.json")
        if case.pk in _listable(cases):
            assert response.status_code == 200, name
            assert response.json()[0]["service_request_id"] == str(case.pk)
            _no_code_in(response.content.decode(), cases, f"requests/{case.pk}.json")
        else:
            assert response.status_code == 404, name
    ids = ",".join(str(c.pk) for c in cases.values())
    rows = client.get(f"{O311}requests.json", {"service_request_id": ids}).json()
    assert {r["service_request_id"] for r in rows} == {str(pk) for pk in _listable(cases)}


def test_open311_the_holder_of_a_code_still_gets_the_case(client, cases):
    for name in ("public", "unverified", "confidential", "anonymous", "service"):
        case = cases[name]
        rows = client.get(f"{O311}requests/{case.tracking_code}.json").json()
        assert [r["service_request_id"] for r in rows] == [case.tracking_code], name
    private = client.get(f"{O311}requests/{cases['anonymous'].tracking_code}.json").json()[0]
    assert private["description"] is None  # what the public sees of an anonymous case: status only


def test_portal_lists_only_listable_cases_and_no_code(client, cases):
    page = client.get("/laporan/").content.decode()
    for name, case in cases.items():
        assert (case.title in page) == (case.pk in _listable(cases)), name
        detail = client.get(f"/laporan/{case.pk}/")
        assert detail.status_code == (200 if case.pk in _listable(cases) else 404), name
        if detail.status_code == 200:
            _no_code_in(detail.content.decode(), cases, f"/laporan/{case.pk}/")
    _no_code_in(page, cases, "/laporan/")


def test_open_data_lists_only_listable_cases_and_no_code(client, cases):
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/data/kasus-publik.csv")))))
    assert {int(r["id"]) for r in rows} == _listable(cases)
    payload = json.loads(_body(client.get("/data/kasus-publik.json")))
    assert {r["id"] for r in payload["rows"]} == _listable(cases)
    from balai.opendata.datasets import DATASETS

    for slug in DATASETS:
        for fmt in ("csv", "json"):
            _no_code_in(_body(client.get(f"/data/{slug}.{fmt}")), cases, f"/data/{slug}.{fmt}")


def _rest_list_paths() -> list[str]:
    """Every /api/v1/ route without a parameter, except the staff API (a staff token: the officer's own
    cases) and the catch-all."""
    from balai.api.urls import v1

    paths = []
    for entry in v1:
        if isinstance(entry, URLResolver) or not isinstance(entry, URLPattern):
            continue
        route = str(entry.pattern)
        if "<" in route or route.startswith(("staff/", "^")):
            continue
        paths.append(f"/api/v1/{route}")
    return paths


def test_rest_api_lists_no_code(client, cases):
    from balai.people.services import client_application_create

    _app, key = client_application_create(name="Pembaca", scopes=("cases:read",), rate_limit_per_minute=1000)
    paths = _rest_list_paths()
    assert "/api/v1/services/" in paths and "/api/v1/statistics/" in paths
    for path in paths:
        for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {key}"}):
            _no_code_in(client.get(path, **headers).content.decode(), cases, path)
    # The holder of a code reads the case's public status by it.
    code = cases["anonymous"].tracking_code
    assert client.get(f"/api/v1/cases/{code}/").json()["tracking_code"] == code
