"""Client keys and staff tokens: hashing, revocation, scopes, rate limits (429 + Retry-After), errors."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from balai.api.auth import staff_token_revoke
from balai.api.models import StaffToken
from balai.cases.models import Case
from balai.people.models import ClientApplication
from balai.people.services import (
    client_application_create,
    client_application_for_key,
    client_application_revoke,
)
from tests.api.conftest import as_client, staff_key, submission

pytestmark = pytest.mark.django_db


def test_client_key_is_stored_only_as_sha256(client_key):
    client, key = client_key
    stored = ClientApplication.objects.get(pk=client.pk)
    assert key.startswith(f"blk_{stored.key_prefix}_")
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(stored.__dict__)
    assert client_application_for_key(key) == client
    assert client_application_for_key(key + "x") is None
    with pytest.raises(ValidationError):
        client_application_create(name="x", scopes=["cases:delete"])


def test_staff_token_is_stored_only_as_hash(api_world):
    key = staff_key(api_world.operator)
    token = StaffToken.objects.get(user=api_world.operator)
    assert key.startswith(f"bst_{token.key_prefix}_")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()


def test_submission_records_the_client(api, api_world, client_key):
    client, key = client_key
    r = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json")
    assert r.status_code == 201, r.json()
    case = Case.objects.get(tracking_code=r.json()["tracking_code"])
    assert case.client == client and case.channel == "api"
    assert r["Location"].endswith(f"/api/v1/cases/{case.tracking_code}/")


def test_revoked_client_key_is_refused(api, api_world, client_key):
    client, key = client_key
    client_application_revoke(client=client)
    r = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json")
    assert r.status_code == 401
    assert r.json()["errors"][0]["code"] == "authentication_failed"
    assert Case.objects.count() == 0
    # even for public reads: a wrong key is an error, not anonymous access
    assert api.get("/api/v1/services/").status_code == 401


def test_revoked_staff_token_is_refused(api, api_world):
    key = staff_key(api_world.operator)
    assert as_client(api, key).get("/api/v1/staff/queue/").status_code == 200
    staff_token_revoke(token=StaffToken.objects.get(user=api_world.operator))
    assert api.get("/api/v1/staff/queue/").status_code == 401


def test_unknown_key_kind_and_missing_key(api, api_world):
    assert as_client(api, "hello").get("/api/v1/agencies/").status_code == 401
    api.credentials()
    r = api.post("/api/v1/cases/", submission(api_world), format="json")
    assert r.status_code == 401
    assert api.get("/api/v1/staff/queue/").status_code == 401


def test_scope_refusal(api, api_world):
    _client, key = client_application_create(name="Kiosk", scopes=["cases:submit"])
    as_client(api, key)
    assert api.post("/api/v1/cases/", submission(api_world), format="json").status_code == 201
    r = api.get("/api/v1/services/")
    assert r.status_code == 403
    assert r.json()["errors"][0]["code"] == "permission_denied"
    _client, reader = client_application_create(name="Reader", scopes=["catalog:read"])
    as_client(api, reader)
    assert api.get("/api/v1/services/").status_code == 200
    assert api.post("/api/v1/cases/", submission(api_world), format="json").status_code == 403
    # a client key cannot use staff endpoints
    assert api.get("/api/v1/staff/queue/").status_code == 401


def test_rate_limit_429_with_retry_after(api, api_world):
    _client, key = client_application_create(name="Busy", scopes=["catalog:read"], rate_limit_per_minute=3)
    as_client(api, key)
    statuses = [api.get("/api/v1/agencies/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    r = api.get("/api/v1/agencies/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 429
    assert 1 <= int(r["Retry-After"]) <= 60
    error = r.json()["errors"][0]
    assert error["code"] == "throttled" and "Try again in" in error["message"]
    # another client has its own budget
    _other, other_key = client_application_create(name="Calm", scopes=["catalog:read"])
    assert as_client(api, other_key).get("/api/v1/agencies/").status_code == 200


def test_anonymous_rate_limit_per_ip(api, api_world, settings):
    settings.BALAI_API_ANON_RATE = 2
    assert [api.get("/api/v1/agencies/").status_code for _ in range(3)] == [200, 200, 429]
    assert api.get("/api/v1/agencies/", REMOTE_ADDR="10.1.1.1").status_code == 200


def test_field_errors_in_the_requested_language(api, api_world, client_key):
    _client, key = client_key
    as_client(api, key)
    body = submission(api_world, answers={"jumlah": 99}, contact_email="bukan-email", contact_channel="email")
    en = api.post("/api/v1/cases/", body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["errors"]
    id_ = api.post("/api/v1/cases/", body, format="json", HTTP_ACCEPT_LANGUAGE="id").json()["errors"]
    fields = {e["field"] for e in en}
    assert {"answers.jumlah", "contact_email"} <= fields
    email_en = next(e["message"] for e in en if e["field"] == "contact_email")
    email_id = next(e["message"] for e in id_ if e["field"] == "contact_email")
    assert "valid e-mail" in email_en and email_id != email_en
    r = api.post("/api/v1/cases/", submission(api_world, service="tidak-ada", kind="bogus"), format="json",
                 HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert {(e["field"], e["code"]) for e in r.json()["errors"]} >= {("service", "not_found"), ("kind", "invalid_choice")}
    assert r["Content-Language"] == "en"


def test_conflict_is_409(api, api_world, client_key):
    _client, key = client_key
    code = as_client(api, key).post("/api/v1/cases/", submission(api_world), format="json").json()["tracking_code"]
    as_client(api, staff_key(api_world.head))
    case = api.get(f"/api/v1/staff/cases/{code}/").json()
    names = {a["name"] for a in case["actions"]}
    assert "note" in names
    ok = api.post(f"/api/v1/staff/cases/{code}/transitions/",
                  {"action": "note", "body": "Dicek", "expected_version": case["version"]}, format="json")
    assert ok.status_code == 200, ok.json()
    stale = api.post(f"/api/v1/staff/cases/{code}/transitions/",
                     {"action": "note", "body": "Lagi", "expected_version": case["version"]}, format="json")
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "conflict"
    outsider = as_client(api, staff_key(api_world.outsider)).post(
        f"/api/v1/staff/cases/{code}/transitions/",
        {"action": "note", "body": "x", "expected_version": ok.json()["version"]}, format="json")
    assert outsider.status_code == 403


def test_regions_filter_and_cursor(api, api_world):
    r = api.get("/api/v1/regions/", {"parent": "64", "level": "city"})
    assert [x["code"] for x in r.json()["results"]] == ["64.72"]
    page = api.get("/api/v1/regions/", {"page_size": 1}).json()
    assert len(page["results"]) == 1 and page["next"]
    second = api.get(page["next"]).json()
    assert second["results"][0]["code"] != page["results"][0]["code"]
    bad = api.get("/api/v1/regions/", {"cursor": "zzz"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "cursor"
    assert api.get("/api/v1/regions/", {"parent": "99"}).status_code == 400


def test_docs_page_is_served_locally(api):
    r = api.get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html and "https://" not in html
    assert "'unsafe-inline'" in r["Content-Security-Policy"] and "script-src 'self'" in r["Content-Security-Policy"]
    assert api.get("/api/schema/").status_code == 200


def test_a_window_counts_every_request_once_and_a_new_window_starts_again():
    from balai.api.throttling import RateResult, hit

    start = 1_800_000_000.0  # a window's first second
    counts = [hit(bucket="t", limit=3, now=start + i) for i in range(4)]
    assert [(r.allowed, r.remaining) for r in counts] == [(True, 2), (True, 1), (True, 0), (False, 0)]
    assert counts[-1].retry_after == 57
    assert hit(bucket="t", limit=3, now=start + 60) == RateResult(True, 3, 2, 0)
    assert hit(bucket="other", limit=3, now=start + 5).remaining == 2  # its own count


def test_a_count_when_another_process_created_the_window_at_the_same_moment(monkeypatch):
    from django.core.cache import cache

    from balai.api import throttling

    real_incr, calls = cache.incr, []

    def incr_after_a_rival(key, *args, **kwargs):
        calls.append(key)
        if len(calls) == 1:  # the key did not exist yet; a rival request creates it before our add
            cache.add(key, 1, timeout=65)
            raise ValueError(key)
        return real_incr(key, *args, **kwargs)

    monkeypatch.setattr(throttling.cache, "incr", incr_after_a_rival)
    assert throttling.hit(bucket="race", limit=5, now=1_800_000_000.0).remaining == 3  # the rival's and ours
