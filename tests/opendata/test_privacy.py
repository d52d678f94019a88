"""The privacy test (UU 27/2022, docs/regulations.md §5): no personal value of any case appears in ANY public page or download."""

from __future__ import annotations

import pytest

from tests.opendata.conftest import personal_values

pytestmark = pytest.mark.django_db


def public_urls(world) -> list[str]:
    from balai.opendata.datasets import DATASETS
    from balai.transparency.selectors import RANK_FIGURES

    paths = ["/kinerja/", "/kinerja/instansi/dinkes/", "/kinerja/instansi/pupr/",
             f"/kinerja/layanan/{world['service'].code}/", "/kinerja/peringkat/",
             *[f"/kinerja/peringkat/?urut={k}" for k in RANK_FIGURES],
             "/data/", "/data/catalog.jsonld", "/data/audit-head.json"]
    for slug in DATASETS:
        paths += [f"/data/{slug}/", f"/data/{slug}.csv", f"/data/{slug}.json"]
    return paths + ["/en" + p for p in paths]


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def test_no_personal_value_in_any_public_page_or_download(client, od_world):
    from balai.cases.models import Case
    from balai.opendata.services import record_audit_head

    record_audit_head()
    # every personal value in the database, not only the ones the test planted
    values = set(personal_values())
    for name, phone, email, address in Case.objects.values_list("contact_name", "contact_phone", "contact_email",
                                                                 "contact_address"):
        values.update(v for v in (name, phone, email, address) if v)
    assert "+6281355667788" in values  # the phone as stored (E.164)
    checked = 0
    for url in public_urls(od_world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        for value in values:
            assert value not in text, f"{value!r} leaked in {url}"
        checked += 1
    assert checked > 40


def test_only_verified_public_cases_with_masked_text(client, od_world):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(body(client.get("/data/kasus-publik.csv")))))
    # Only the public complaints staff verified (4 of 12); confidential, anonymous, unverified and service
    # requests are not listed at all (ADR 0016), the aggregates count them.
    verified = {c.pk for c in od_world["public_cases"][:4]}
    assert {int(r["id"]) for r in rows} == verified
    assert all(r["confidentiality"] == "public" and r["kind"] == "complaint" for r in rows)
    assert all("Tolong hubungi" in r["description"] and "[" in r["description"] for r in rows)
    # public coordinates rounded to about 1 km
    assert {(r["latitude"], r["longitude"]) for r in rows} == {("-0.50", "117.14")}
    assert {r["regency"] for r in rows} == {"64.72"} and all(r["district"] for r in rows)
