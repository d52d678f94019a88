"""Done when: a complaint filed by SMS is answered by an officer, the citizen gets the answer and
the rating request by SMS, rates by SMS, and the rating is stored with the case — every message in the
outbox (delivered through the real HTTP adapter to the tests-only fake gateway) and every step in the audit
trail. The officer acts through the engine (the workspace's pages call the same `case_transition`)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from balai.audit.models import AuditRecord
from balai.audit.services import verify_chain
from balai.cases.commands import CaseCommand
from balai.cases.deadlines import sweep
from balai.cases.models import Case
from balai.cases.selectors import publicly_listable_cases
from balai.cases.services import case_transition
from balai.channels.models import InboundMessage, Outcome
from balai.notify.gsm import fits_one_segment
from balai.notify.models import Message, MessageStatus
from balai.notify.outbox import deliver
from balai.survey.models import SurveyResponse
from tests.channels.conftest import PHONE, signed_post
from tests.notify.fake_gateway import FakeGateway

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(settings):
    with FakeGateway() as gw:
        settings.BALAI_SMS_GATEWAY = gw.config(inbound_secret="e2e-inbound-secret")
        yield gw


def _citizen_sends(client, text: str, message_id: str) -> dict:
    body = json.dumps({"message_id": message_id, "from": "0812 3456 7890", "text": text}).encode()
    response = signed_post(client, "/kanal/sms/", body, channel="sms")
    assert response.status_code == 200, response.content
    return response.json()


def _deliver_all() -> int:
    total = 0
    while sent := deliver():
        total += sent
    return total


def _receipts(client, gateway) -> None:
    """The provider reports each delivery to /kanal/sms/laporan-kirim/ (signed)."""
    ids = [record["message_id"] for record in gateway.delivered.values()]
    body = json.dumps([{"message_id": gid, "status": "DELIVRD"} for gid in ids]).encode()
    response = signed_post(client, "/kanal/sms/laporan-kirim/", body, channel="sms")
    assert response.status_code == 200


def test_complaint_by_sms_answered_and_rated_by_sms(client, place, gateway):
    officer, verifier = place.staff["operator"], place.staff["verifier"]

    # 1. The citizen files a complaint by SMS.
    first = _citizen_sends(client, "LAPOR JALAN Lubang besar di Jl. Juanda depan SDN 012, sudah 2 motor jatuh",
                           "provider-in-1")
    case = Case.objects.get()
    assert (case.channel, case.contact_phone, case.contact_channel, case.status) == ("sms", PHONE, "sms",
                                                                                     "submitted")
    assert case.tracking_code in first["reply"] and first["queued"] is True
    # A retried delivery of the same SMS changes nothing.
    assert _citizen_sends(client, "LAPOR JALAN Lubang besar di Jl. Juanda depan SDN 012, sudah 2 motor jatuh",
                          "provider-in-1")["duplicate"] is True
    assert Case.objects.count() == 1
    assert _deliver_all() == 2  # the receipt, and the question: where, and may it be published?
    assert case.confidentiality == "confidential"  # private until the citizen says yes
    assert "tidak tampil" in Message.objects.order_by("-pk").first().body
    # 1b. The citizen says yes; the report is still not listed before a verifier looked at it.
    _citizen_sends(client, "ya boleh", "provider-in-1b")
    case.refresh_from_db()
    assert case.confidentiality == "public" and not publicly_listable_cases().filter(pk=case.pk).exists()
    assert _deliver_all() == 1

    # 2. The officer verifies, starts and answers through the engine.
    case = case_transition(case, CaseCommand(action="verify", actor=verifier))
    assert publicly_listable_cases().filter(pk=case.pk).exists()
    case = case_transition(case, CaseCommand(action="start", actor=officer))
    case = case_transition(case, CaseCommand(action="answer", actor=officer,
                           body="Lubang sudah ditambal oleh UPTD Jalan pada 12 Maret. Terima kasih atas laporannya."))
    assert case.status == "answered"
    assert _deliver_all() == 2  # verified, answered

    # 3. No reply from the citizen for 10 working days: the sweep closes the case and asks for a rating.
    result = sweep(now=case.auto_close_at + timedelta(minutes=1))
    case.refresh_from_db()
    assert case.status == "closed" and result.auto_closed == 1
    assert _deliver_all() == 2  # closed, rating_request

    # 4. The citizen checks the case and rates it by SMS.
    status = _citizen_sends(client, f"cek {case.tracking_code}", "provider-in-2")
    assert "Lubang sudah ditambal" in status["reply"]  # the case's own phone sees the answer
    thanks = _citizen_sends(client, f"NILAI {case.tracking_code.lower()} 4", "provider-in-3")
    assert thanks["reply"].startswith("Balai: terima kasih! Nilai 4")
    assert _deliver_all() == 2  # the status reply and the thanks

    # 5. The rating is stored with the case.
    rating = SurveyResponse.objects.get(case=case)
    assert (rating.is_quick, rating.quick_score, rating.channel, rating.agency_id) == (True, 4, "sms",
                                                                                     place.agency.pk)
    assert case.events.filter(kind="rating", action="quick_rating").exists()

    # Every message is in the outbox, went through the HTTP adapter to the provider, and was delivered.
    _receipts(client, gateway)
    messages = list(Message.objects.filter(recipient=PHONE).order_by("id"))
    assert [m.event for m in messages] == ["received", "keyword_reply", "keyword_reply", "verified", "answered",
                                           "auto_closed", "rating_request", "keyword_reply", "keyword_reply"]
    assert all(m.subject_id == case.pk and m.channel == "sms" for m in messages)
    assert all(m.status == MessageStatus.DELIVERED for m in messages)
    sent = {str(m.idempotency_key): m for m in messages}
    assert set(gateway.delivered) == set(sent)
    for reference, record in gateway.delivered.items():
        assert record["payload"]["to"] == PHONE and record["payload"]["text"] == sent[reference].body
    # The "answered" SMS points to CEK, whose reply to the case's own phone carries the officer's answer.
    assert f"CEK {case.tracking_code}" in messages[4].body and "Lubang sudah ditambal" in messages[7].body
    assert f"NILAI {case.tracking_code}" in messages[6].body
    assert all(fits_one_segment(m.body) for m in messages if m != messages[7])

    # Every step is in the audit trail, and the chain verifies.
    actions = list(AuditRecord.objects.filter(target_id=str(case.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["case.submit", "case.publication", "case.transition.verify", "case.transition.start",
                       "case.transition.answer",
                       "case.transition.auto_close"]
    assert verify_chain().ok
    assert list(InboundMessage.objects.order_by("id").values_list("outcome", flat=True)) == [
        Outcome.FILED, Outcome.ANSWERED, Outcome.STATUS, Outcome.RATED]
