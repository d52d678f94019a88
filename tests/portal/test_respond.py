"""Citizen responses: answer a question (the clock resumes), add documents, accept or
dispute, object to an information decision; only after proof; errors keep what was typed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balai.cases.models import Event
from tests.portal.flows_b_data import act, build_world, prove, submit
from tests.ppid.helpers import privacy_test

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world():
    return build_world()


def pdf(name: str = "ktp.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_respond_pages_need_proof(client, world):
    case = submit(world)
    for url in (f"/lacak/{case.tracking_code}/tanggapi/", f"/lacak/{case.tracking_code}/tanggapi/accept/",
                f"/lacak/{case.tracking_code}/dokumen/", f"/lacak/{case.tracking_code}/survei/"):
        assert client.get(url).status_code == 403, url


def test_reply_to_a_question_resumes_the_clock_and_keeps_files(client, world):
    case = submit(world)
    act(world, case, "request_info", body="Mohon kirim salinan KTP")
    case.refresh_from_db()
    assert case.clock_state == "paused"
    prove(client, case)
    page = client.get(f"/lacak/{case.tracking_code}/tanggapi/").content.decode()
    assert "Mohon kirim salinan KTP" in page and "Jawab pertanyaan instansi" in page
    response = client.post(f"/lacak/{case.tracking_code}/tanggapi/citizen_reply/",
                           {"text": "Ini salinan KTP saya", "files": [pdf()]})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{case.tracking_code}/?selesai=1"
    case.refresh_from_db()
    assert case.status == "in_progress" and case.clock_state == "running"
    event = case.events.get(action="citizen_reply")
    assert event.body == "Ini salinan KTP saya" and event.actor_id is None and event.data["channel"] == "web"
    assert case.attachments.get().event_id == event.pk


def test_empty_reply_is_an_error_with_summary(client, world):
    case = submit(world)
    act(world, case, "request_info", body="Pertanyaan")
    prove(client, case)
    response = client.post(f"/lacak/{case.tracking_code}/tanggapi/citizen_reply/", {"text": ""})
    body = response.content.decode()
    assert response.status_code == 400 and 'href="#id_text"' in body and "Tulis pesan Anda." in body


def test_wrong_file_type_is_refused_and_text_kept(client, world):
    case = submit(world)
    act(world, case, "request_info", body="Pertanyaan")
    prove(client, case)
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(f"/lacak/{case.tracking_code}/tanggapi/citizen_reply/",
                           {"text": "Jawaban saya tetap", "files": [bad]})
    body = response.content.decode()
    assert response.status_code == 400 and "Jawaban saya tetap" in body
    case.refresh_from_db()
    assert case.status == "waiting_citizen" and not case.attachments.exists()


def test_action_not_available_now_is_refused(client, world):
    case = submit(world)
    prove(client, case)
    response = client.post(f"/lacak/{case.tracking_code}/tanggapi/citizen_reply/", {"text": "Halo"})
    assert response.status_code == 409
    assert client.get(f"/lacak/{case.tracking_code}/tanggapi/tidak-ada/").status_code == 404


def _answered_complaint(world):
    case = submit(world, "complaint")
    act(world, case, "verify", role="verifier")
    act(world, case, "answer", body="Sudah kami perbaiki")
    case.refresh_from_db()
    return case


def test_accept_closes_the_complaint(client, world):
    case = _answered_complaint(world)
    prove(client, case)
    assert "Saya menerima hasilnya" in client.get(f"/lacak/{case.tracking_code}/tanggapi/").content.decode()
    client.post(f"/lacak/{case.tracking_code}/tanggapi/accept/")
    case.refresh_from_db()
    assert case.status == "closed"


def test_dispute_reopens_with_a_reason(client, world):
    case = _answered_complaint(world)
    prove(client, case)
    missing = client.post(f"/lacak/{case.tracking_code}/tanggapi/dispute/", {"text": ""})
    assert missing.status_code == 400
    client.post(f"/lacak/{case.tracking_code}/tanggapi/dispute/", {"text": "Jalannya masih rusak"})
    case.refresh_from_db()
    assert case.status == "in_progress" and case.clock_state == "running"
    assert case.events.get(action="dispute").data["reason"] == "Jalannya masih rusak"


def test_objection_to_an_information_refusal(client, world):
    case = submit(world, "information_request", contact_address="Jl. Uji 1")
    test = privacy_test(case.agency)
    act(world, case, "refuse", role="ppid", exemption="17h", reason="Rahasia pribadi",
        data={"consequence_test": test.number})
    prove(client, case)
    page = client.get(f"/lacak/{case.tracking_code}/tanggapi/object/").content.decode()
    # The grounds of UU 14/2008 art. 35(1) a–g to choose from, and what happens next.
    for letter in "abcdefg":
        assert f'value="{letter}"' in page
    assert "Komisi Informasi" in page and "atasan PPID" in page
    refused = client.post(f"/lacak/{case.tracking_code}/tanggapi/object/", {"text": "Informasi ini bukan rahasia"})
    assert refused.status_code == 400 and "Pilih paling sedikit satu alasan keberatan" in refused.content.decode()
    client.post(f"/lacak/{case.tracking_code}/tanggapi/object/",
                {"text": "Informasi ini bukan rahasia", "grounds": ["a", "d"]})
    case.refresh_from_db()
    assert case.status == "objection"
    event = case.events.get(action="object")
    assert event.data["objection_grounds"] == ["a", "d"]
    assert "pasal 17" in event.data["reason"] and "Informasi ini bukan rahasia" in event.data["reason"]


def test_add_documents_any_time_while_open(client, world):
    case = submit(world)
    prove(client, case)
    response = client.post(f"/lacak/{case.tracking_code}/dokumen/", {"files": [pdf("a.pdf"), pdf("b.pdf")]})
    assert response.status_code == 302
    names = sorted(case.attachments.values_list("original_name", flat=True))
    assert names == ["a.pdf", "b.pdf"]
    assert all(case.attachments.values_list("is_public", flat=True))
    assert case.status == "submitted"  # no status change
    assert not Event.objects.filter(case=case, kind="citizen_reply").exists()


def test_add_documents_needs_a_file(client, world):
    case = submit(world)
    prove(client, case)
    response = client.post(f"/lacak/{case.tracking_code}/dokumen/", {})
    assert response.status_code == 400 and "Pilih paling sedikit satu berkas." in response.content.decode()
