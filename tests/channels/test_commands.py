"""Each keyword, good and malformed, in both languages: what happens to cases and what the citizen gets."""

from __future__ import annotations

import pytest

from balai.audit.models import AuditRecord
from balai.cases.commands import CaseCommand
from balai.cases.models import Case
from balai.cases.services import case_transition
from balai.channels.models import InboundMessage, Outcome
from balai.notify.gsm import fits_one_segment
from tests.channels.conftest import OTHER_PHONE, PHONE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _file(sms, text="LAPOR JALAN lubang besar di Jl. Juanda depan SDN 012"):
    sms(text)
    return Case.objects.order_by("-id").first()


def _answered(case, place):
    staff = place.staff
    case_transition(case, CaseCommand(action="verify", actor=staff["verifier"]))
    case_transition(case, CaseCommand(action="start", actor=staff["operator"]))
    return case_transition(case, CaseCommand(action="answer", actor=staff["operator"],
                           body="Lubang sudah ditambal oleh UPTD PU pada 12 Maret."))


def test_lapor_files_a_complaint_through_the_engine(sms, place):
    answer = sms("lapor: jalan  Lubang besar di Jl. Juanda depan SDN 012 😡", sender="0812-3456-7890")
    case = Case.objects.get()
    assert (case.kind, case.channel, case.contact_channel, case.language) == ("complaint", "sms", "sms", "id")
    assert case.contact_phone == PHONE and case.complaint_category == place.roads
    assert case.title.startswith("Lubang besar") and case.description.endswith("😡")
    assert case.agency == place.agency and case.status == "submitted"
    # The reply is the engine's receipt (in the outbox), in Indonesian, one segment.
    receipt = case.messages.get(event="received")
    assert answer["reply"] == receipt.body and case.tracking_code in receipt.body and "CEK" in receipt.body
    assert fits_one_segment(receipt.body)
    assert AuditRecord.objects.filter(action="case.submit", target_id=str(case.pk)).exists()
    inbound = InboundMessage.objects.get()
    assert (inbound.outcome, inbound.case, inbound.reply_message) == (Outcome.FILED, case, receipt)


def test_report_in_english_files_an_english_case(sms, place):
    answer = sms("REPORT jalan pothole near the mosque")
    case = Case.objects.get()
    assert case.language == "en" and "STATUS" in answer["reply"]


def test_whatsapp_report_is_answered_on_whatsapp(sms, place):
    sms("LAPOR JALAN lubang", channel="whatsapp")
    case = Case.objects.get()
    assert case.channel == "whatsapp" and {m.channel for m in case.messages.all()} == {"whatsapp"}


def test_citizen_account_with_the_number_gets_the_case(sms, place):
    citizen = UserFactory(phone=PHONE)
    sms("LAPOR JALAN lubang")
    assert Case.objects.get().citizen == citizen


def test_report_without_a_known_category_goes_to_the_triage_queue(sms, place):
    answer = sms("LAPOR LAMPU jalan gelap")
    case = Case.objects.get()
    assert case.tracking_code in answer["reply"]
    assert case.complaint_category == place.services and case.extra["triage"]["reason"] == "no_category"
    assert case.description == "LAMPU jalan gelap" and case.confidentiality == "confidential"
    assert InboundMessage.objects.get().outcome == Outcome.TRIAGE


def test_bare_report_lists_numbered_categories_and_text_is_asked_for(sms, place):
    assert "1 JALAN 2 LAYANAN" in sms("LAPOR")["reply"]
    reply = sms("REPORT jalan")["reply"]
    assert reply.startswith("Balai: write your report") and "REPORT JALAN" in reply
    assert not Case.objects.exists()


def test_inactive_category_is_not_offered(sms, place):
    place.services.is_active = False
    place.services.save()
    assert "LAYANAN" not in sms("LAPOR")["reply"]
    sms("LAPOR LAYANAN petugas tidak ramah")
    case = Case.objects.get()
    assert case.complaint_category == place.roads and "triage" in case.extra


def test_foreign_number_cannot_file_but_gets_a_clear_reply(sms, place):
    reply = sms("LAPOR JALAN lubang", sender="+14155550123")["reply"]
    assert not Case.objects.exists()
    assert reply.startswith("Balai: laporan belum dapat diterima.")
    assert fits_one_segment(reply)


def test_cek_answers_status_and_due_date_without_personal_data(sms, place):
    case = _file(sms)
    reply = sms(f"cek {case.tracking_code.lower().replace('-', ' ')}", sender=OTHER_PHONE)["reply"]
    assert case.tracking_code in reply and "Batas waktu" in reply and "Diajukan" in reply
    assert PHONE not in reply and "Juanda" not in reply
    assert fits_one_segment(reply)
    english = sms(f"STATUS {case.tracking_code}", sender=OTHER_PHONE)["reply"]
    assert "Due" in english and "Submitted" in english


def test_cek_typo_in_code_is_invalid_code(sms, place):
    case = _file(sms)
    code = case.tracking_code
    swapped = code[:-2] + code[-1] + code[-2]
    if swapped == code:
        pytest.skip("code ends with a double letter")
    reply = sms(f"CEK {swapped}")["reply"]
    assert "kode tidak valid" in reply


def test_cek_unknown_code(sms, place):
    assert "tidak ditemukan" in sms("CEK KT-4K9A-PK8J")["reply"]


def test_cek_from_the_case_phone_gives_the_answer(sms, place):
    case = _answered(_file(sms), place)
    own = sms(f"CEK {case.tracking_code}")["reply"]
    assert "Lubang sudah ditambal" in own
    other = sms(f"CEK {case.tracking_code}", sender=OTHER_PHONE)["reply"]
    assert "ditambal" not in other and "dijawab" in other and "Batas waktu" not in other


def test_jawab_from_the_case_phone_resumes_the_case(sms, place):
    case = _file(sms)
    case_transition(case, CaseCommand(action="request_info", actor=place.staff["operator"], body="Di km berapa?"))
    answer = sms(f"JAWAB {case.tracking_code} di km 5 arah Bontang")
    case.refresh_from_db()
    assert case.status == "in_progress"
    event = case.events.get(action="citizen_reply")
    assert event.body == "di km 5 arah Bontang" and event.data["channel"] == "sms"
    assert answer["reply"] == case.messages.get(event="reply_received").body
    assert AuditRecord.objects.filter(action="case.transition.citizen_reply", target_id=str(case.pk)).exists()


def test_jawab_from_another_number_is_refused_without_revealing(sms, place):
    case = _file(sms)
    case_transition(case, CaseCommand(action="request_info", actor=place.staff["operator"], body="Di km berapa?"))
    refused = sms(f"JAWAB {case.tracking_code} saya tahu", sender=OTHER_PHONE)["reply"]
    unknown = sms("JAWAB KT-4K9A-PK8J saya tahu", sender=OTHER_PHONE)["reply"]
    case.refresh_from_db()
    assert case.status == "waiting_citizen" and not case.events.filter(action="citizen_reply").exists()
    # The same words whether or not the code exists: nothing is revealed.
    assert refused.replace(case.tracking_code, "X") == unknown.replace("KT-4K9A-PK8J", "X")
    assert "nomor" in refused and fits_one_segment(refused)


def test_jawab_when_not_waiting(sms, place):
    case = _file(sms)
    reply = sms(f"JAWAB {case.tracking_code} tambahan info")["reply"]
    assert "tidak sedang menunggu" in reply
    assert not case.events.filter(action="citizen_reply").exists()


def test_jawab_malformed(sms, place):
    case = _file(sms)
    assert "tulis jawaban" in sms(f"JAWAB {case.tracking_code}")["reply"]
    assert "JAWAB KT-7M4Q-2X9P" in sms("JAWAB")["reply"]
    assert "invalid code" in sms("ANSWER KT-4K9A-PK82 hello")["reply"]


def test_nilai_stores_a_quick_rating_only_when_finished(sms, place):
    from balai.survey.models import SurveyResponse

    case = _file(sms)
    assert "belum selesai" in sms(f"NILAI {case.tracking_code} 4")["reply"]
    _answered(case, place)
    reply = sms(f"nilai {case.tracking_code} empat")["reply"]
    assert reply.startswith("Balai: terima kasih! Nilai 4")
    response = SurveyResponse.objects.get(case=case)
    assert response.is_quick and response.quick_score == 4 and response.channel == "sms"
    assert "sudah dinilai" in sms(f"NILAI {case.tracking_code} 1")["reply"]
    assert SurveyResponse.objects.get(case=case).quick_score == 4


def test_nilai_only_from_the_case_phone(sms, place):
    from balai.survey.models import SurveyResponse

    case = _answered(_file(sms), place)
    reply = sms(f"RATE {case.tracking_code} 1", sender=OTHER_PHONE)["reply"]
    assert "can only be sent from the number" in reply
    assert not SurveyResponse.objects.exists()


def test_nilai_bad_score(sms, place):
    case = _file(sms)
    for text in (f"NILAI {case.tracking_code} 5", f"NILAI {case.tracking_code}", f"NILAI {case.tracking_code} top"):
        assert "nilai 1 sampai 4" in sms(text)["reply"]


@pytest.mark.parametrize(("text", "needle"), [("BANTUAN", "LAPOR <kategori>"), ("help", "REPORT <category>"),
                                              ("apa ini", "pesan tidak dikenali"),
                                              ("hello thanks", "did not understand"),
                                              ("", "pesan tidak dikenali"), ("你好", "pesan tidak dikenali")])
def test_help_and_anything_else(sms, place, text, needle):
    reply = sms(text)["reply"]
    assert needle in reply and fits_one_segment(reply)
