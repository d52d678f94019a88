"""Inbound e-mail: threading by subject and by reply address, new complaints, attachments, refusals."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from balai.cases.commands import CaseCommand
from balai.cases.models import Attachment, Case
from balai.cases.services import case_submit, case_transition
from balai.cases.submission import Submission
from balai.channels.email_inbound import code_from_recipients, code_from_subject, strip_quoted
from balai.channels.models import InboundMessage, Outcome
from balai.notify.gateways.email import reply_address_for
from tests.channels.conftest import signed_post

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82")


def _mail(*, sender="Siti Rahma <siti@contoh.id>", to="lapor@balai.example.id", subject="Jalan rusak",
          text="Jalan di depan rumah saya berlubang.", message_id=None, attachments=(), headers=None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    if message_id is not False:
        msg["Message-ID"] = message_id or f"<{abs(hash((subject, text, to)))}@mail.contoh.id>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(text)
    for name, data, maintype, subtype in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


GATEWAY = "mx.balai.example.id"
# What the mail gateway writes for a message whose From domain passed DMARC (ADR 0018).
DMARC_PASS = {"Authentication-Results": f"{GATEWAY}; spf=pass smtp.mailfrom=contoh.id; dmarc=pass header.from=contoh.id"}


@pytest.fixture
def gateway(settings):
    settings.BALAI_EMAIL_INBOUND = {**settings.BALAI_EMAIL_INBOUND, "authserv_id": GATEWAY}


def _post(client, raw: bytes):
    return signed_post(client, "/kanal/email/", raw, channel="email", content_type="message/rfc822")


def _email_case(place, **kw):
    defaults = {"kind": "complaint", "channel": "web", "title": "Lampu jalan mati", "complaint_category": place.roads,
                "contact_email": "siti@contoh.id", "contact_channel": "email"}
    defaults.update(kw)
    return case_submit(Submission(**defaults))


def test_new_email_files_a_complaint_with_attachments(client, place):
    raw = _mail(attachments=[("foto.png", PNG, "image", "png"), ("virus.exe", b"MZ\x90\x00" * 10, "application",
                                                                   "octet-stream")])
    response = _post(client, raw)
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.json()["case"] == case.tracking_code
    assert (case.channel, case.contact_channel, case.contact_email, case.contact_name) == (
        "email", "email", "siti@contoh.id", "Siti Rahma")
    assert case.complaint_category == place.services  # the default category (LAYANAN)
    assert case.title == "Jalan rusak" and "berlubang" in case.description
    attachment = Attachment.objects.get(case=case)  # the .exe was refused by the engine's store
    assert attachment.original_name.endswith(".png") and attachment.is_public
    assert case.messages.get(event="received").channel == "email"
    assert InboundMessage.objects.get().detail == "attachments:1/2"


def test_english_email_files_an_english_case(client, place):
    _post(client, _mail(subject="Broken street light", text="Hello, the street light is broken please fix it.",
                        headers={"Content-Language": "en"}))
    assert Case.objects.get().language == "en"


def test_replayed_email_makes_no_second_case(client, place):
    raw = _mail(message_id="<same@mail.contoh.id>")
    assert _post(client, raw).json()["duplicate"] is False
    assert _post(client, raw).json()["duplicate"] is True
    assert Case.objects.count() == 1


def test_email_without_message_id_is_deduplicated_by_content(client, place):
    raw = _mail(message_id=False)
    _post(client, raw)
    _post(client, raw)
    assert Case.objects.count() == 1


def test_reply_threads_by_subject_code(client, place, gateway):
    case = _email_case(place)
    case_transition(case, CaseCommand(action="request_info", actor=place.staff["operator"], body="Di mana tepatnya?"))
    raw = _mail(subject=f"Re: [{case.tracking_code}] Kami butuh keterangan dari Anda",
                text="Di depan masjid Al-Ikhlas.\n\nPada 12 Mar 2026 Balai menulis:\n> Di mana tepatnya?",
                attachments=[("peta.png", PNG, "image", "png")], headers=DMARC_PASS)
    assert _post(client, raw).status_code == 200
    case.refresh_from_db()
    assert case.status == "in_progress" and Case.objects.count() == 1
    event = case.events.get(action="citizen_reply")
    assert event.body == "Di depan masjid Al-Ikhlas." and event.data["channel"] == "email"
    assert Attachment.objects.get(case=case).event == event
    assert case.messages.filter(event="reply_received").exists()


def test_reply_threads_by_reply_address(client, place, settings):
    settings.BALAI_EMAIL_INBOUND = {**settings.BALAI_EMAIL_INBOUND, "reply_address": "balas+{code}@balai.example.id"}
    case = _email_case(place)
    case_transition(case, CaseCommand(action="request_info", actor=place.staff["operator"], body="Nomor rumah?"))
    address = reply_address_for(code=case.tracking_code, email="siti@contoh.id")  # the Reply-To we sent
    raw = _mail(to=f"Balai <{address.lower()}>", subject="Re: pertanyaan", text="Nomor 12", sender="SITI@contoh.id")
    _post(client, raw)
    case.refresh_from_db()
    assert case.status == "in_progress" and case.events.get(action="citizen_reply").body == "Nomor 12"


def test_reply_from_another_address_is_refused(client, place):
    case = _email_case(place)
    case_transition(case, CaseCommand(action="request_info", actor=place.staff["operator"], body="Nomor rumah?"))
    _post(client, _mail(sender="orang.lain@contoh.id", subject=f"Re: [{case.tracking_code}]", text="Nomor 99"))
    case.refresh_from_db()
    assert case.status == "waiting_citizen" and Case.objects.count() == 1
    inbound = InboundMessage.objects.get()
    assert inbound.outcome == Outcome.REFUSED and inbound.reply_message.recipient == "orang.lain@contoh.id"
    assert "tidak dapat ditambahkan" in inbound.reply_message.subject
    assert "Nomor 99" not in inbound.reply and "Lampu" not in inbound.reply


def test_reply_when_the_case_is_not_waiting(client, place, gateway):
    case = _email_case(place)
    _post(client, _mail(subject=f"Re: [{case.tracking_code}] Laporan Anda diterima", text="Terima kasih",
                        headers=DMARC_PASS))
    inbound = InboundMessage.objects.get()
    assert inbound.outcome == Outcome.REFUSED and inbound.detail == "email:not_waiting"
    assert case.tracking_code in inbound.reply and not case.events.filter(action="citizen_reply").exists()


def test_mail_without_sender_is_400(client, place):
    assert _post(client, _mail(sender="bukan alamat")).status_code == 400
    assert _post(client, b"\x00\x01garbage").status_code == 400


def test_html_only_email(client, place):
    msg = EmailMessage()
    msg["From"] = "budi@contoh.id"
    msg["Subject"] = "Sampah menumpuk"
    msg["Message-ID"] = "<html@contoh.id>"
    msg.set_content("<p>Sampah <b>menumpuk</b> di pasar.</p>", subtype="html")
    _post(client, msg.as_bytes())
    assert Case.objects.get().description == "Sampah menumpuk di pasar."


def test_helpers():
    assert strip_quoted("Ya benar.\n\nOn Tue, 3 Mar 2026 Balai wrote:\n> pertanyaan") == "Ya benar."
    assert strip_quoted("a\n> b\nc") == "a\nc"
    assert code_from_subject("Re: [KT-4K9A-PK8J] Laporan") == "KT-4K9A-PK8J"
    assert code_from_subject("Re: KT-4K9A-PK82 salah") is None
    assert code_from_recipients(["balas+kt-4k9a-pk8j@balai.example.id"]) == "KT-4K9A-PK8J"
    assert code_from_recipients(["lapor@balai.example.id"]) is None
