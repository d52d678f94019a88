"""An anonymous case's identity and a confidential case's content never appear in any API response to a
client application or to another agency's staff (visibility by balai.cases.visibility)."""

from __future__ import annotations

import json

import pytest

from balai.cases.services import case_submit
from balai.cases.submission import Submission
from tests.api.conftest import as_client, staff_key

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "Rahmat Hidayatullah", "081250007777", "rahmat.rahasia@example.id"
SECRET_TEXT = "Pungutan liar di loket tiga oleh petugas berbaju batik"


def _cases(world):
    anonymous = case_submit(Submission(kind="complaint", channel="web", title="Pungli di loket",
                            description=f"{SECRET_TEXT}. Telepon saya {PHONE}", complaint_category=world.category,
                            contact_name=NAME, contact_phone=PHONE, contact_email=EMAIL,
                            confidentiality="anonymous"))
    confidential = case_submit(Submission(kind="complaint", channel="web", title="Rahasia: pemerasan",
                               description=SECRET_TEXT, complaint_category=world.category, contact_name=NAME,
                               contact_phone=PHONE, contact_email=EMAIL, confidentiality="confidential"))
    return anonymous, confidential


def _all_responses(api, codes):
    bodies = []
    for code in codes:
        for path in (f"/api/v1/cases/{code}/", f"/api/v1/staff/cases/{code}/"):
            r = api.get(path)
            bodies.append((path, r.status_code, r.content.decode()))
    for path in ("/api/v1/staff/queue/", "/api/v1/staff/queue/?state=all", "/api/v1/statistics/"):
        r = api.get(path)
        bodies.append((path, r.status_code, r.content.decode()))
    return bodies


def _assert_nothing_leaks(bodies):
    for path, _status, text in bodies:
        for secret in (NAME, PHONE, "6281250007777", EMAIL, SECRET_TEXT, "pemerasan"):
            assert secret not in text, f"{secret!r} leaked in {path}"


def test_client_application_sees_neither(api, api_world, client_key):
    anonymous, confidential = _cases(api_world)
    _client, key = client_key
    bodies = _all_responses(as_client(api, key), [anonymous.tracking_code, confidential.tracking_code])
    assert any(status == 200 for path, status, _t in bodies if path.startswith("/api/v1/cases/"))
    _assert_nothing_leaks(bodies)


def test_anonymous_public_sees_neither(api, api_world):
    anonymous, confidential = _cases(api_world)
    _assert_nothing_leaks(_all_responses(api, [anonymous.tracking_code, confidential.tracking_code]))


def test_other_agency_staff_sees_neither(api, api_world):
    anonymous, confidential = _cases(api_world)
    as_client(api, staff_key(api_world.outsider))
    bodies = _all_responses(api, [anonymous.tracking_code, confidential.tracking_code])
    staff_views = [json.loads(t) for p, s, t in bodies if p.startswith("/api/v1/staff/cases/") and s == 200]
    assert staff_views and all(v["viewer_kind"] == "other_agency" and v["actions"] == [] for v in staff_views)
    _assert_nothing_leaks(bodies)


def test_responsible_staff_never_sees_the_anonymous_identity(api, api_world):
    anonymous, confidential = _cases(api_world)
    as_client(api, staff_key(api_world.operator))
    anon = api.get(f"/api/v1/staff/cases/{anonymous.tracking_code}/").json()
    assert anon["identity_sealed"] is True and anon["contact"] is None
    text = json.dumps(anon)
    assert NAME not in text and PHONE not in text and EMAIL not in text
    assert "Pungutan liar" in text  # the content itself is theirs to handle
    conf = api.get(f"/api/v1/staff/cases/{confidential.tracking_code}/").json()
    assert conf["description"] == SECRET_TEXT and conf["contact"]["name"] == NAME
