"""The privacy test (issue 7): no personal value of any case appears in ANY public page or download."""

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


def test_public_text_is_masked_and_private_text_is_dropped(client, od_world):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(body(client.get("/data/kasus-publik.csv")))))
    assert len(rows) == 15
    public = [r for r in rows if r["confidentiality"] == "public" and r["kind"] == "complaint"]
    hidden = [r for r in rows if r["confidentiality"] != "public"]
    assert len(public) == 12 and len(hidden) == 2
    assert all("Tolong hubungi" in r["description"] and "[" in r["description"] for r in public)
    assert all(r["title"] == "" and r["description"] == "" for r in hidden)
    assert all(r["latitude"] == "" and r["longitude"] == "" and r["district"] == "" for r in hidden)
    # public coordinates rounded to about 1 km
    assert {(r["latitude"], r["longitude"]) for r in public} == {("-0.50", "117.14")}
    assert {r["regency"] for r in rows if r["kind"] == "complaint"} == {"64.72"}
