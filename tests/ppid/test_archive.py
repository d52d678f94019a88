"""The public archive never shows who asked (every archive page and download), the PPID confirms what is
public, similar requests on the request form, and the objection register with oral objections, the superior's
decision and the Komisi Informasi dispute (docs/regulations.md §3, §11)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from balai.cases.commands import CaseCommand
from balai.cases.services import case_transition
from balai.ppid.models import ArchiveEntry, Objection
from balai.ppid.services import archive_confirm, dispute_record, objection_decide, objection_oral
from tests.cases.conftest import wita
from tests.ppid.helpers import privacy_test

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL, ADDRESS, NIK = ("Siti Rahmawati", "081234567890", "siti.rahma@contoh.id", "Jl. Melati 7 RT 03",
                                    "6472015205900001")
IDENTITY = (NAME, "Rahmawati", PHONE, "0812-3456-7890", EMAIL, ADDRESS, NIK)


@pytest.fixture
def answered(world, submit):
    case = submit("information_request", title="Anggaran puskesmas", contact_name=NAME, contact_phone=PHONE,
                  contact_email=EMAIL, contact_address=ADDRESS, submitted_at=wita(2026, 3, 2, 9),
                  description=f"Saya {NAME} ({PHONE}, NIK {NIK}) minta rincian anggaran puskesmas Palaran 2025.")
    pdf = SimpleUploadedFile(f"jawaban-{NAME}.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["ppid"], at=wita(2026, 3, 9, 10),
                           body=f"Ibu {NAME}, rincian anggaran terlampir. Hubungi {EMAIL} bila perlu.", files=[pdf]))
    return case


def test_answer_drafts_an_archive_entry_published_only_after_confirmation(world, answered, client):
    entry = ArchiveEntry.objects.get(case=answered)
    assert entry.status == "draft" and entry.working_days == 5 and entry.legal_days == 10 and entry.on_time
    assert client.get(f"/informasi/arsip/{entry.pk}/").status_code == 404
    assert client.get("/informasi/arsip/").content.decode().count("anggaran puskesmas") == 0
    archive_confirm(actor=world.staff["ppid"], entry=entry, publish=True, question=entry.question,
                    answer=entry.answer, attachment_ids=[a.pk for a in answered.attachments.all()])
    assert client.get(f"/informasi/arsip/{entry.pk}/").status_code == 200


def test_privacy_over_every_archive_page_and_download(world, answered, client, submit):
    entry = ArchiveEntry.objects.get(case=answered)
    archive_confirm(actor=world.staff["ppid"], entry=entry, publish=True,
                    question=entry.question + f" {NAME} {ADDRESS}", answer=entry.answer,
                    attachment_ids=[a.pk for a in answered.attachments.all()])
    doc = entry.documents.get()
    pages = []
    for prefix in ("", "/en"):
        pages += [f"{prefix}/informasi/arsip/", f"{prefix}/informasi/arsip/?q=anggaran",
                  f"{prefix}/informasi/arsip/?instansi=dinkes&hasil=granted&tahun=2026",
                  f"{prefix}/informasi/arsip/{entry.pk}/", f"{prefix}/informasi/?cari=anggaran+puskesmas"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "puskesmas" in body.lower(), url
        for secret in IDENTITY:
            assert secret not in body, (url, secret)
    download = client.get(f"/informasi/arsip/{entry.pk}/berkas/{doc.pk}/")
    assert download.status_code == 200
    assert NAME not in download["Content-Disposition"] and "Rahmawati" not in download["Content-Disposition"]
    content = b"".join(download.streaming_content).decode("latin-1")
    for secret in IDENTITY:
        assert secret not in content
    # a citizen's own upload can never be released
    own = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    from balai.cases.attachments import store_citizen_documents

    upload = store_citizen_documents(case=answered, uploads=[own], citizen=None)[0]
    archive_confirm(actor=world.staff["ppid"], entry=entry, publish=True, question=entry.question, answer="",
                    attachment_ids=[upload.pk])
    assert not entry.documents.exists()


def test_similar_requests_on_the_second_step(world, answered, client):
    entry = ArchiveEntry.objects.get(case=answered)
    archive_confirm(actor=world.staff["ppid"], entry=entry, publish=True, question=entry.question, answer="Ada")
    client.post("/informasi/", {"agency": "dinkes", "information": "Anggaran puskesmas tahun 2025",
                                "purpose": "Penelitian"})
    page = client.get("/informasi/bentuk/").content.decode()
    assert f"/informasi/arsip/{entry.pk}/" in page


def test_refusal_objection_register_oral_decision_and_dispute(world, submit, client):
    case = submit("information_request", contact_name=NAME, submitted_at=wita(2026, 6, 22, 10))
    test = privacy_test(world.agency)
    case_transition(case, CaseCommand(action="refuse", actor=world.staff["ppid"], exemption="17h", reason="Data pribadi",
                    at=wita(2026, 7, 2, 10), data={"consequence_test": test.number}))
    objection = objection_oral(actor=world.staff["ppid"], case=case, grounds=["a", "zz"], reason="Bukan rahasia",
                               at=wita(2026, 7, 6, 10))
    assert objection.oral and objection.receipt_number == f"TT-{objection.number}"
    assert objection.grounds == ["a"] and objection.entered_by == world.staff["ppid"]
    assert objection.due_at == wita(2026, 8, 17, 16) or objection.due_at.date().isoformat() >= "2026-08-14"
    objection = objection_decide(actor=world.staff["ppid_head"], objection=objection, decision="rejected",
                                 reasons="Uji konsekuensi tetap berlaku", position="Kepala Dinas",
                                 at=wita(2026, 7, 20, 10))
    assert objection.decision == "rejected" and objection.answered_by_position == "Kepala Dinas"
    from balai.ppid.services import dispute_window

    window = dispute_window(objection)
    assert window.date().isoformat() == "2026-08-07"  # 14 working days after 20 Jul 2026
    dispute = dispute_record(actor=world.staff["ppid"], objection=objection, values={
        "commission_number": "KI-KALTIM/2026/031", "registered_at": wita(2026, 8, 3).date(), "stage": "mediation"})
    assert dispute.window_until == window
    c = client
    from tests.office.conftest import office_login

    office_login(c, world.staff["ppid"])
    page = c.get(f"/kantor/ppid/keberatan/{objection.pk}/")
    assert page.status_code == 200 and b"KI-KALTIM/2026/031" in page.content
    assert c.get("/kantor/ppid/keberatan/").status_code == 200
    assert Objection.objects.count() == 1


def test_web_objection_lands_in_the_register_with_grounds(world, submit):
    case = submit("information_request")
    case_transition(case, CaseCommand(action="answer", actor=world.staff["ppid"], body="Ini jawabannya"))
    case_transition(case, CaseCommand(action="object", actor=None, channel="web", reason="Tidak sesuai",
                    data={"objection_grounds": ["d"]}))
    objection = Objection.objects.get(case=case)
    assert objection.grounds == ["d"] and not objection.oral
