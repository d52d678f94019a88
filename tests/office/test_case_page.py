"""The case page: what each officer sees, exactly the engine's actions, each action through the page."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.audit.models import AuditRecord
from balai.cases.commands import CaseCommand
from balai.cases.models import Case, Event
from balai.cases.services import available_actions, case_transition
from balai.office.models import CannedAnswer
from tests.office.conftest import force_state, office_login

pytestmark = pytest.mark.django_db

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _url(case) -> str:
    return reverse("office:case", args=[case.tracking_code])


def _shown_actions(html: str) -> set[str]:
    return set(re.findall(r'id="aksi-([a-z_]+)"', html))


def _post(client, case, action, **fields):
    case.refresh_from_db()
    data = {f"{action}-action": action, f"{action}-expected_version": case.version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(_url(case), data)


@pytest.mark.parametrize("role", ["operator", "verifier", "head", "inspector"])
def test_page_shows_exactly_the_engine_actions(client, world, submit, role):
    case = submit()
    user = world.staff[role]
    office_login(client, user)
    response = client.get(_url(case))
    assert response.status_code == 200
    expected = {a.name for a in available_actions(case=case, user=user)}
    assert _shown_actions(response.content.decode()) == expected
    if role == "operator":
        assert "verify" not in expected  # verifiers and heads verify
    if role == "verifier":
        assert {"verify", "reject"} <= expected


def test_officer_of_another_agency_gets_403_and_unknown_code_404(client, world, submit):
    case = submit()
    office_login(client, world.outsider)
    assert client.get(_url(case)).status_code == 403
    assert client.get(reverse("office:case", args=["KT-AAAA-AAAA"])).status_code == 404


def test_page_shows_content_contact_clock_and_timeline_labels(client, world, submit):
    case = submit(title="Izin usaha mikro", description="Mohon segera", contact_name="Siti Rahma",
                  accommodations=["sign_language"], accommodation_note="Tuli sejak lahir")
    case_transition(case, CaseCommand(action="note", actor=world.staff["operator"], body="Cek berkas fisik"))
    office_login(client, world.staff["operator"])
    html = client.get(_url(case)).content.decode()
    assert "Izin usaha mikro" in html and "Mohon segera" in html and "Siti Rahma" in html
    assert "Juru bahasa isyarat" in html or "juru bahasa isyarat" in html.lower()
    assert "BISINDO" in html and "Tuli sejak lahir" in html
    assert "hari kerja" in html  # deadline in working days
    assert "Cek berkas fisik" in html
    # Internal and public entries are told apart by a text label, not by colour only.
    assert html.count('tag tag--grey">Internal<') >= 1 and 'tag tag--green">Publik<' in html


def test_verify_through_the_page(client, world, submit):
    case = submit()
    office_login(client, world.staff["verifier"])
    response = _post(client, case, "verify")
    assert response.status_code == 302 and response["Location"].endswith("#timeline")
    case.refresh_from_db()
    assert case.status == "verified"
    assert Event.objects.filter(case=case, action="verify", actor=world.staff["verifier"]).exists()
    assert AuditRecord.objects.filter(action="case.transition.verify").exists()
    page = client.get(_url(case)).content.decode()
    assert "Selesai:" in page  # success message


def test_ask_citizen_pauses_and_reply_resumes(client, world, submit):
    case = submit()
    office_login(client, world.staff["operator"])
    response = _post(client, case, "request_info", body="Mohon kirim fotokopi KTP.")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "waiting_citizen" and case.clock_state == "paused"
    html = client.get(_url(case)).content.decode()
    assert "Hitungan berhenti sementara" in html and "Mohon kirim fotokopi KTP." in html
    case_transition(case, CaseCommand(action="citizen_reply", actor=None, channel="web", body="Sudah saya kirim."))
    html = client.get(_url(case)).content.decode()
    case.refresh_from_db()
    assert case.status == "in_progress" and case.clock_state == "running"
    assert "Sudah saya kirim." in html and "Hitungan tenggat berjalan." in html


def test_dispose_to_another_unit(client, world, submit):
    case = submit()
    office_login(client, world.staff["head"])
    response = _post(client, case, "dispose", target=f"u:{world.other_unit.pk}", reason="Bukan kewenangan kami")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.unit_id == world.other_unit.pk
    assert Event.objects.get(case=case, action="dispose").data["reason"] == "Bukan kewenangan kami"


def test_dispose_to_another_agency(client, world, submit):
    case = submit()
    office_login(client, world.staff["head"])
    _post(client, case, "dispose", target=f"a:{world.diskominfo.pk}", reason="Urusan TIK")
    case.refresh_from_db()
    assert case.agency_id == world.diskominfo.pk


def test_assign(client, world, submit):
    case = submit()
    office_login(client, world.staff["head"])
    _post(client, case, "assign", assignee=world.staff["operator"].pk)
    case.refresh_from_db()
    assert case.assignee_id == world.staff["operator"].pk


def test_answer_complaint_with_attachment_then_download(client, world, submit):
    case = force_state(submit("complaint"), "verified")
    office_login(client, world.staff["operator"])
    case.refresh_from_db()
    upload = SimpleUploadedFile("jawaban.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(_url(case), {"answer-action": "answer", "answer-expected_version": case.version,
                                        "answer-body": "Jalan sudah diperbaiki.", "answer-files": [upload]})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.status == "answered"
    attachment = case.attachments.get()
    assert attachment.is_public
    html = client.get(_url(case)).content.decode()
    link = reverse("office:attachment", args=[case.tracking_code, attachment.pk])
    assert link in html
    download = client.get(link)
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    office_login(client, world.outsider)
    assert client.get(link).status_code == 403


def test_extend_information_request(client, world, submit):
    case = submit("information_request")
    before = case.due_at
    office_login(client, world.staff["ppid"])
    response = _post(client, case, "extend", reason="Dokumen ada di arsip daerah")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.extended and case.due_at > before
    html = client.get(_url(case)).content.decode()
    assert "sudah diperpanjang" in html
    assert "aksi-extend" not in html  # only once (UU 14/2008 art. 22(8))


def test_missing_reason_re_renders_with_the_engine_message(client, world, submit):
    case = submit()
    office_login(client, world.staff["verifier"])
    response = _post(client, case, "reject", reason="  ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and 'href="#id_reject-reason"' in html
    case.refresh_from_db()
    assert case.status == "submitted"


def test_refused_file_type_is_shown_on_the_form(client, world, submit):
    case = force_state(submit("complaint"), "verified")
    office_login(client, world.staff["operator"])
    bad = SimpleUploadedFile("skrip.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
    response = client.post(_url(case), {"answer-action": "answer", "answer-expected_version": case.version,
                                        "answer-body": "Jawaban", "answer-files": [bad]})
    assert response.status_code == 400
    assert "Jawaban" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "verified"


def test_conflict_keeps_the_typed_text(client, world, submit):
    case = submit()
    stale = case.version
    case_transition(case, CaseCommand(action="note", actor=world.staff["head"], body="Perubahan dari petugas lain"))
    office_login(client, world.staff["operator"])
    typed = "Mohon lengkapi surat keterangan domisili."
    response = client.post(_url(case), {"request_info-action": "request_info",
                                        "request_info-expected_version": stale, "request_info-body": typed})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Petugas lain mengubah berkas ini" in html
    assert typed in html and "Perubahan dari petugas lain" in html
    case.refresh_from_db()
    assert case.status == "submitted"
    # The form now carries the current version: sending again works.
    assert f'value="{case.version}"' in html
    assert _post(client, case, "request_info", body=typed).status_code == 302


def test_action_no_longer_available_after_conflict_shows_text_separately(client, world, submit):
    case = submit()
    stale = case.version
    case_transition(case, CaseCommand(action="reject", actor=world.staff["verifier"], reason="Tidak lengkap"))
    office_login(client, world.staff["operator"])
    response = client.post(_url(case), {"request_info-action": "request_info",
                                        "request_info-expected_version": stale, "request_info-body": "Teks saya"})
    # The action is gone with the case's new status: the page says so and shows the typed text.
    assert response.status_code == 409
    html = response.content.decode()
    assert "Petugas lain mengubah berkas ini" in html and "Teks saya" in html
    assert "aksi-request_info" not in html


def test_canned_answer_prefills_without_javascript(client, world, submit):
    case = force_state(submit("complaint"), "verified")
    canned = CannedAnswer.objects.create(agency=world.agency, title="Sudah ditindaklanjuti",
                                         body_id="Laporan Anda sudah kami tindak lanjuti.", body_en="Done.")
    CannedAnswer.objects.create(agency=world.diskominfo, title="Milik dinas lain", body_id="Jangan tampil")
    office_login(client, world.staff["operator"])
    html = client.get(_url(case)).content.decode()
    assert "Sudah ditindaklanjuti" in html and "Milik dinas lain" not in html
    html = client.get(_url(case), {"jawaban": canned.pk, "aksi": "answer"}).content.decode()
    assert re.search(r'name="answer-body"[^>]*>\s*Laporan Anda sudah kami tindak lanjuti\.', html)


def test_anonymous_identity_never_in_the_case_page(client, world, submit):
    case = submit("complaint", title="Pungli, telepon 081299887766", description="Saya Rahasia Sekali",
                  confidentiality="anonymous", contact_name="Rahasia Sekali", contact_phone="0812-9988-7766",
                  contact_email="rahasia@contoh.id", citizen=world.citizen)
    case_transition(case, CaseCommand(action="request_info", actor=world.staff["operator"], body="Kapan kejadiannya?"))
    case_transition(case, CaseCommand(action="citizen_reply", actor=None, channel="sms",
                    body="Kemarin, WA saya 081299887766"))
    for role in ("operator", "head", "inspector"):
        office_login(client, world.staff[role])
        html = client.get(_url(case)).content.decode()
        assert "Laporan anonim" in html
        for secret in ("081299887766", "+6281299887766", "rahasia@contoh.id", world.citizen.full_name,
                       world.citizen.phone):
            assert secret not in html, (role, secret)
        assert "Rahasia Sekali" not in html.split('id="content-title"')[0]  # not in the identity block


def test_failing_contact_warning(client, world, submit):
    from balai.notify.models import RecipientHealth

    case = submit(contact_phone="0812-1111-2222")
    RecipientHealth.objects.create(recipient=case.contact_phone, contact_failing=True)
    office_login(client, world.staff["operator"])
    html = client.get(_url(case)).content.decode()
    assert "Pesan kepada warga ini terus gagal" in html


def test_unavailable_action_post_is_refused_politely(client, world, submit):
    case = submit()
    office_login(client, world.staff["operator"])
    response = _post(client, case, "verify")  # operators do not verify
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"
    assert Case.objects.get(pk=case.pk).version == case.version


def test_form_answers_show_labels_options_yes_no_and_file_links(client, world, submit):
    world.service.form_definition = [
        {"name": "nama_usaha", "type": "text", "label": {"id": "Nama usaha", "en": "Business name"}},
        {"name": "jenis", "type": "choice", "label": {"id": "Jenis usaha", "en": "Kind of business"},
         "choices": [{"value": "mikro", "label": {"id": "Usaha mikro", "en": "Micro business"}}]},
        {"name": "setuju", "type": "boolean", "label": {"id": "Saya setuju", "en": "I agree"}},
        {"name": "izin", "type": "file", "label": {"id": "Surat izin", "en": "Permit"}},
        {"name": "zona", "type": "text", "label": {"id": "Zona", "en": "Zone"}},
    ]
    world.service.save()
    case = submit(answers={"nama_usaha": "Warung Bu Sri", "jenis": "mikro", "setuju": "on", "zona": "B"},
                  files={"izin": SimpleUploadedFile("izin.pdf", PDF_BYTES, content_type="application/pdf")})
    world.service.form_definition = world.service.form_definition[:4]  # the form changed after the request
    world.service.save()
    office_login(client, world.staff["operator"])

    html = client.get(_url(case)).content.decode()
    answers = html[html.index('id="content-title"'):]
    answers = answers[:answers.index("</section>")]
    assert "<dt>Nama usaha</dt>" in answers and "nama_usaha" not in answers
    assert "Usaha mikro" in answers and ">mikro<" not in answers
    assert "<dt>Saya setuju</dt>" in answers and "<dd>Ya</dd>" in answers
    link = reverse("office:attachment", args=[case.tracking_code, case.attachments.get().pk])
    assert f'href="{link}"' in answers and "izin.pdf</a>" in answers
    assert answers.index("Nama usaha") < answers.index("Jenis usaha") < answers.index("Surat izin")
    assert "<code>zona</code>" in answers and "Tidak ada lagi di formulir" in answers  # kept, marked
    assert client.get(link).status_code == 200

    english = client.get("/en" + _url(case)).content.decode()
    assert "<dt>Business name</dt>" in english and "Micro business" in english and "<dd>Yes</dd>" in english
    assert "No longer in the form" in english
