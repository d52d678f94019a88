"""Tracking by code: status, due date in working days, the public timeline, and only the
status for confidential and anonymous cases until the citizen proves who they are."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from balai.cases.tracking import new_tracking_code
from balai.worktime.calendar import working_days_between
from tests.portal.flows_b_data import act, build_world, prove, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_track_form_renders(client, world):
    response = client.get("/lacak/")
    assert response.status_code == 200
    assert 'name="kode"' in response.content.decode()


def test_code_typed_loosely_finds_the_case(client, world):
    case = submit(world)
    loose = case.tracking_code.lower().replace("-", " ")
    response = client.get("/lacak/", {"kode": loose})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{case.tracking_code}/"


def test_unknown_code_gets_a_helpful_message(client, world):
    response = client.get("/lacak/", {"kode": new_tracking_code()})
    assert response.status_code == 404
    body = response.content.decode()
    assert "Kami tidak menemukan kasus dengan kode ini" in body and "error-summary" in body


def test_malformed_code_says_what_a_code_looks_like(client, world):
    response = client.get("/lacak/", {"kode": "hello"})
    assert response.status_code == 404
    assert "Ini bukan kode lacak yang benar" in response.content.decode()


def test_empty_code_is_an_error_not_a_crash(client, world):
    response = client.get("/lacak/", {"kode": ""})
    assert response.status_code == 400
    assert "Masukkan kode lacak Anda." in response.content.decode()


def test_public_complaint_shows_status_due_date_and_public_timeline(client, world):
    case = submit(world, "complaint", title="Puskesmas tutup siang hari",
                  description="Hubungi saya di 0812 9999 8888")
    act(world, case, "verify", role="verifier")
    case.refresh_from_db()
    body = client.get(f"/lacak/{case.tracking_code}/").content.decode()
    assert "Puskesmas tutup siang hari" in body
    assert "Terverifikasi" in body or "Verified" in body
    days = working_days_between(timezone.now(), case.due_at, government_id=case.government_id)
    assert f"sisa {days} hari kerja" in body
    assert "Yang sudah terjadi" in body  # the public timeline
    assert "Siti Rahmawati" not in body and "0812" not in body and "+62812" not in body
    assert "Hubungi saya" not in body  # the description is for the citizen only on this page


@pytest.mark.parametrize("confidentiality", ["confidential", "anonymous"])
def test_confidential_and_anonymous_show_status_only(client, world, confidentiality):
    case = submit(world, "complaint", title="Pungutan liar di loket", confidentiality=confidentiality)
    act(world, case, "verify", role="verifier")
    body = client.get(f"/lacak/{case.tracking_code}/").content.decode()
    assert "Pungutan liar" not in body
    assert "Siti Rahmawati" not in body
    assert "Kasus ini rahasia" in body
    assert "Yang sudah terjadi" not in body
    assert "Kirimi saya kode" in body


@pytest.mark.parametrize("kind", ["service_request", "complaint", "aspiration", "information_request"])
def test_each_kind_is_trackable_and_shows_details_after_proof(client, world, kind):
    case = submit(world, kind, title="Judul kasus uji", description="Isi rincian uji",
                  **({"contact_address": "Jl. Uji 1"} if kind == "information_request" else {}))
    body = client.get(f"/lacak/{case.tracking_code}/").content.decode()
    assert case.tracking_code in body and "Isi rincian uji" not in body
    prove(client, case)
    body = client.get(f"/lacak/{case.tracking_code}/").content.decode()
    assert "Isi rincian uji" in body


def test_anonymous_case_details_after_proof_and_audit_of_the_contact_read(client, world):
    from balai.audit.models import AuditRecord

    case = submit(world, "complaint", title="Laporan anonim", description="Rincian anonim",
                  confidentiality="anonymous")
    prove(client, case)
    assert "Rincian anonim" in client.get(f"/lacak/{case.tracking_code}/").content.decode()
    assert AuditRecord.objects.filter(action="identity.read", target_id=str(case.pk)).exists()


def test_paused_clock_is_explained(client, world):
    case = submit(world)
    act(world, case, "request_info", body="Mohon kirim foto KTP")
    body = client.get(f"/lacak/{case.tracking_code}/").content.decode()
    assert "instansi menunggu jawaban Anda" in body


def test_english_page(client, world):
    case = submit(world)
    body = client.get(f"/en/lacak/{case.tracking_code}/").content.decode()
    assert "Send me a code" in body and 'lang="en"' in body


def test_citizen_downloads_own_file_but_not_before_proof(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    case = submit(world)
    act(world, case, "request_info", body="Kirim surat")
    prove(client, case)
    client.post(f"/lacak/{case.tracking_code}/tanggapi/citizen_reply/", {"text": "Terlampir", "files": [pdf]})
    attachment = case.attachments.get()
    url = f"/lacak/{case.tracking_code}/berkas/{attachment.pk}/"
    assert client.get(url).status_code == 200
    assert Client().get(url).status_code == 403


# --- the look-up limit: the form and the case page share it ------------------------------------------------

def _limit(monkeypatch, n: int = 3) -> None:
    from balai.portal.views import track

    monkeypatch.setattr(track, "LOOKUP_LIMIT", (n, 600))


def test_case_page_by_url_counts_toward_the_look_up_limit(client, world, monkeypatch):
    # Walking through codes by URL must cost what it costs through the form.
    _limit(monkeypatch)
    for _ in range(3):
        assert client.get(f"/lacak/{new_tracking_code()}/").status_code == 404
    limited = client.get(f"/lacak/{new_tracking_code()}/")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert client.get("/lacak/", {"kode": new_tracking_code()}).status_code == 429  # the same counter
    case = submit(world)
    assert client.get(f"/lacak/{case.tracking_code}/").status_code == 429  # a real code too


def test_form_look_ups_count_for_the_case_page_too(client, world, monkeypatch):
    _limit(monkeypatch)
    for _ in range(3):
        assert client.get("/lacak/", {"kode": new_tracking_code()}).status_code == 404
    assert client.get(f"/lacak/{new_tracking_code()}/").status_code == 429


def test_finding_ones_own_case_counts_once(client, world, monkeypatch):
    # The form redirects to the case page, and the citizen comes back to it: one look-up, not three.
    _limit(monkeypatch, 2)
    case = submit(world)
    response = client.get("/lacak/", {"kode": case.tracking_code.lower()}, follow=True)
    assert response.status_code == 200 and response.redirect_chain
    for _ in range(3):
        assert client.get(f"/lacak/{case.tracking_code}/").status_code == 200
    assert client.get(f"/lacak/{new_tracking_code()}/").status_code == 404  # the second look-up
    assert client.get(f"/lacak/{new_tracking_code()}/").status_code == 429
    other = Client()  # another browser has its own look-ups to count, but shares the address
    assert other.get(f"/lacak/{case.tracking_code}/").status_code == 429
