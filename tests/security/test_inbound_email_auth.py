"""Inbound e-mail does not believe `From:` (ADR 0018).

A reply joins the citizen's case only when the reply address carries the key our e-mail to that citizen
gave it, or when the mail gateway's Authentication-Results header (under the configured authserv-id)
says the From domain passed DMARC, or aligned DKIM or SPF. Anything else that claims to be the citizen's
reply becomes a new confidential complaint in the intake unit's queue, marked as unverified, never lost
and never added to the case.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.core import mail
from django.urls import reverse

from balai.cases.commands import CaseCommand
from balai.cases.models import Case
from balai.cases.services import case_submit, case_transition
from balai.cases.submission import Submission
from balai.channels.email_auth import aligned, verdict
from balai.channels.models import InboundMessage, Outcome
from balai.notify.gateways.email import EmailGateway, reply_address_for
from tests.channels.conftest import build_place, set_inbound_secrets, signed_post
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

GATEWAY = "mx.balai.example.id"
CITIZEN = "siti@contoh.id"


@pytest.fixture
def place(db):
    return build_place()


@pytest.fixture(autouse=True)
def inbound_secrets(settings):
    set_inbound_secrets(settings)


@pytest.fixture
def inbound(settings):
    settings.BALAI_EMAIL_INBOUND = {**settings.BALAI_EMAIL_INBOUND, "authserv_id": GATEWAY,
                                    "reply_address": "balas+{code}@balai.example.id"}
    return settings


def _mail(*, sender: str = f"Siti <{CITIZEN}>", to: str = "lapor@balai.example.id", subject: str = "Re: laporan",
          text: str = "Nomor rumah 12.", results: tuple[str, ...] = (), message_id: str | None = None) -> bytes:
    msg = EmailMessage()
    for value in results:  # the top-most first, as the gateway prepends its own
        msg["Authentication-Results"] = value
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = message_id or f"<{abs(hash((sender, to, subject, text, results)))}@contoh.id>"
    msg.set_content(text)
    return msg.as_bytes()


def _post(client, raw: bytes):
    response = signed_post(client, "/kanal/email/", raw, channel="email", content_type="message/rfc822")
    assert response.status_code == 200, response.content
    return response


def _waiting_case(place, **kw):
    defaults = {"kind": "complaint", "channel": "web", "title": "Lampu jalan mati", "complaint_category": place.roads,
                "contact_email": CITIZEN, "contact_channel": "email", "contact_name": "Siti"}
    case = case_submit(Submission(**{**defaults, **kw}))
    return case_transition(case, CaseCommand(action="request_info", actor=place.staff["operator"], body="Nomor rumah?"))


def _assert_not_added_but_triaged(case, place, *, text: str = "Nomor rumah 12."):
    case.refresh_from_db()
    assert case.status == "waiting_citizen" and not case.events.filter(action="citizen_reply").exists()
    inbound = InboundMessage.objects.get()
    assert inbound.outcome == Outcome.TRIAGE and inbound.detail.startswith("email:unverified")
    triage = inbound.case
    assert triage is not None and triage.pk != case.pk and triage.citizen_id is None
    assert triage.complaint_category == place.services  # the e-mail intake's default category
    assert triage.confidentiality in ("confidential", "anonymous")
    assert case.tracking_code in triage.title and text in triage.description
    assert triage.extra["email_triage"]["claimed_case"] == case.pk
    return triage


# --- the gateway's verdict -------------------------------------------------------------------------------

@pytest.mark.parametrize("results", [
    (f"{GATEWAY}; dmarc=pass header.from=contoh.id",),
    (f"{GATEWAY}; dkim=pass header.d=contoh.id header.s=sel",),
    (f"{GATEWAY}; spf=pass smtp.mailfrom=bounce@contoh.id",),
    (f"{GATEWAY} 1; spf=fail smtp.mailfrom=contoh.id; dkim=pass (good signature) header.i=@contoh.id",),
], ids=["dmarc", "dkim", "spf", "dkim-after-spf-fail"])
def test_an_authenticated_reply_joins_the_case(client, place, inbound, results):
    case = _waiting_case(place)
    _post(client, _mail(subject=f"Re: [{case.tracking_code}] Pertanyaan", results=results))
    case.refresh_from_db()
    assert case.status == "in_progress" and case.events.get(action="citizen_reply").body == "Nomor rumah 12."
    assert InboundMessage.objects.get().outcome == Outcome.ANSWERED


@pytest.mark.parametrize("results", [
    (),  # the sender's own server wrote nothing we believe
    (f"{GATEWAY}; dmarc=fail header.from=contoh.id; spf=softfail smtp.mailfrom=contoh.id",),
    (f"{GATEWAY}; dkim=pass header.d=penipu.example",),  # signed, but by another domain
    (f"{GATEWAY}; spf=pass smtp.mailfrom=penipu.example",),
    (f"{GATEWAY}; dmarc=pass header.from=penipu.example",),
    ("mx.penipu.example; dmarc=pass header.from=contoh.id",),  # the forger's own "gateway"
    # The gateway's real verdict on top; a header the forger wrote further down is never reached.
    (f"{GATEWAY}; dmarc=fail header.from=contoh.id", f"{GATEWAY}; dmarc=pass header.from=contoh.id"),
    (f"{GATEWAY}; dmarc=pass header.from=contoh.id; (((",),  # unreadable gateway header
], ids=["none", "fail", "dkim-unaligned", "spf-unaligned", "dmarc-other-domain", "other-authserv",
        "forged-below", "malformed"])
def test_a_forged_reply_is_triaged_not_added(client, place, inbound, results):
    case = _waiting_case(place)
    _post(client, _mail(subject=f"Re: [{case.tracking_code}] Pertanyaan", results=results))
    _assert_not_added_but_triaged(case, place)


def test_without_a_configured_gateway_no_header_is_believed(client, place, settings):
    settings.BALAI_EMAIL_INBOUND = {**settings.BALAI_EMAIL_INBOUND}  # no authserv_id
    case = _waiting_case(place)
    _post(client, _mail(subject=f"Re: [{case.tracking_code}]", results=(f"{GATEWAY}; dmarc=pass",)))
    _assert_not_added_but_triaged(case, place)


@pytest.mark.parametrize("how", ["two-addresses", "two-headers"])
def test_two_senders_are_never_authenticated(client, place, inbound, how):
    case = _waiting_case(place)
    passed = (f"{GATEWAY}; dmarc=pass header.from=contoh.id",)
    if how == "two-addresses":
        raw = _mail(sender=f"{CITIZEN}, penipu@penipu.example", subject=f"Re: [{case.tracking_code}]", results=passed)
    else:
        raw = b"From: penipu@penipu.example\r\n" + _mail(subject=f"Re: [{case.tracking_code}]", results=passed)
    signed_post(client, "/kanal/email/", raw, channel="email", content_type="message/rfc822")
    case.refresh_from_db()
    assert case.status == "waiting_citizen" and not case.events.filter(action="citizen_reply").exists()


def test_verdict_and_alignment_rules(inbound):
    assert verdict(header_values=[f"{GATEWAY}; dkim=pass header.d=contoh.id"], from_address="a@mail.contoh.id").passed
    assert not verdict(header_values=[f"{GATEWAY}; dkim=pass header.d=mail.contoh.id"],
                       from_address="a@contoh.id").passed  # a subdomain's key does not speak for the parent
    assert verdict(header_values=["garbage"], from_address=CITIZEN).reason == "no gateway header"
    assert aligned("contoh.id", "contoh.id") and aligned("contoh.id", "x.contoh.id")
    assert not aligned("id", "contoh.id") and not aligned("toh.id", "contoh.id") and not aligned("", "contoh.id")


# --- the keyed reply address ---------------------------------------------------------------------------

def test_outgoing_email_about_a_case_carries_a_keyed_reply_address(place, inbound):
    case = _waiting_case(place)
    message = case.messages.filter(channel="email").order_by("-id").first()
    assert message is not None and message.recipient == CITIZEN
    assert EmailGateway().send(message).accepted
    address = reply_address_for(code=case.tracking_code, email=CITIZEN)
    assert mail.outbox[-1].reply_to == [address]
    assert address.startswith(f"balas+{case.tracking_code}.") and address.endswith("@balai.example.id")


def test_a_reply_to_the_keyed_address_joins_the_case_without_any_gateway_verdict(client, place, inbound):
    case = _waiting_case(place)
    address = reply_address_for(code=case.tracking_code, email=CITIZEN)
    _post(client, _mail(to=f"Balai <{address.lower()}>"))  # mail servers may lower-case the local part
    case.refresh_from_db()
    assert case.status == "in_progress" and case.events.get(action="citizen_reply").body == "Nomor rumah 12."


@pytest.mark.parametrize("which", ["wrong-key", "no-key", "key-of-another-case", "key-of-another-address"])
def test_a_reply_address_without_the_right_key_is_triaged(client, place, inbound, which):
    case = _waiting_case(place)
    other = _waiting_case(place, title="Sampah menumpuk")
    address = {
        "wrong-key": f"balas+{case.tracking_code}.{'0' * 20}@balai.example.id",
        "no-key": f"balas+{case.tracking_code}@balai.example.id",
        "key-of-another-case": reply_address_for(code=other.tracking_code, email=CITIZEN).replace(
            other.tracking_code, case.tracking_code),
        "key-of-another-address": reply_address_for(code=case.tracking_code, email="penipu@contoh.id"),
    }[which]
    _post(client, _mail(to=address))
    _assert_not_added_but_triaged(case, place)


# --- the triage queue ------------------------------------------------------------------------------------

def test_the_triaged_message_is_in_the_intake_units_queue(client, place, inbound):
    case = _waiting_case(place)
    _post(client, _mail(subject=f"Re: [{case.tracking_code}]", text="Tolong transfer ke rekening ini."))
    triage = Case.objects.exclude(pk=case.pk).get()
    office_login(client, place.staff["operator"])
    queue = client.get(reverse("office:queue")).content.decode()
    assert triage.tracking_code in queue
    page = client.get(reverse("office:case", args=[triage.tracking_code])).content.decode()
    assert "Tolong transfer ke rekening ini." in page and case.tracking_code in page


def test_an_unverified_reply_to_an_anonymous_case_stays_anonymous(client, place, inbound):
    case = _waiting_case(place, confidentiality="anonymous")
    _post(client, _mail(subject=f"Re: [{case.tracking_code}]"))
    triage = _assert_not_added_but_triaged(case, place)
    assert triage.confidentiality == "anonymous" and triage.contact_name == ""


def test_a_new_complaint_is_linked_to_an_account_only_for_an_authenticated_sender(client, place, inbound):
    from tests.factories import UserFactory

    citizen = UserFactory(email=CITIZEN)
    _post(client, _mail(subject="Jalan rusak", message_id="<forged@contoh.id>"))
    _post(client, _mail(subject="Jalan rusak lagi", message_id="<real@contoh.id>",
                        results=(f"{GATEWAY}; dmarc=pass header.from=contoh.id",)))
    forged, real = Case.objects.order_by("id")
    assert forged.citizen_id is None and forged.contact_email == CITIZEN
    assert real.citizen_id == citizen.pk
