from __future__ import annotations

import pytest

from balai.notify.defaults import (
    EMAIL_BODY,
    EMAIL_SUBJECT,
    EVENTS,
    LANGUAGES,
    SMS,
    STAFF_EMAIL_EVENTS,
    default_text,
)
from balai.notify.gsm import sms_segments
from balai.notify.models import MessageTemplate
from balai.notify.rendering import (
    PLACEHOLDERS,
    SAMPLE_CONTEXT,
    SMS_LIMITS,
    render_message,
    render_text,
    template_placeholders,
)

CONTRACT_EVENTS = {"received", "verified", "question", "answered", "extended", "closed", "rejected",
                   "rating_request", "escalated", "reply_received", "disposed", "otp",
                   "closing_soon", "auto_closed", "ppid_notice"}  # two working days before an automatic closure, and then
STAFF_EVENTS = {"staff_digest", "ppid_warning"}  # to staff, by e-mail only
CITIZEN_EMAIL_EVENTS = {"ppid_subscribe"}  # to citizens, by e-mail only (confirming an address)

# Worst realistic values: longer than what SMS_LIMITS lets through, so truncation is exercised too.
LONG_CONTEXT = {
    "code": "KT-7M4Q-2X9P", "status": "Menunggu tanggapan dari pelapor", "due_date": "14-03-2025",
    "agency": "Dinas Penanaman Modal dan PTSP Provinsi Kalimantan Timur",
    "service": "Izin Usaha Perdagangan untuk usaha mikro dan kecil",
    "title": "Lampu penerangan jalan mati sepanjang Jl. Ahmad Yani sampai simpang empat Sempaja",
    "link": "https://balai.kaltimprov.go.id/lacak/KT-7M4Q-2X9P/",
    "answer_excerpt": "Terima kasih atas laporannya. Tim kami sudah meninjau lokasi dan perbaikan dijadwalkan.",
    "otp": "482913", "reason": "Menunggu hasil survei lapangan dari tim teknis Dinas PUPR yang sedang bertugas",
    "notice": "Banjir di Kecamatan Samarinda Ulu dan Sungai Pinang: warga di bantaran sungai diminta mengungsi.",
}


def test_defaults_cover_every_contract_event_in_both_languages():
    assert set(EVENTS) == CONTRACT_EVENTS and set(STAFF_EMAIL_EVENTS) == STAFF_EVENTS
    email_events = CONTRACT_EVENTS | STAFF_EVENTS | CITIZEN_EMAIL_EVENTS
    for table, events in ((SMS, CONTRACT_EVENTS), (EMAIL_SUBJECT, email_events), (EMAIL_BODY, email_events)):
        assert set(table) == events
        for event in events:
            assert set(table[event]) == set(LANGUAGES)
            for text in table[event].values():
                assert template_placeholders(text) <= set(PLACEHOLDERS)


@pytest.mark.django_db
@pytest.mark.parametrize("event", sorted(CONTRACT_EVENTS))
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("context_name", ["sample", "long"])
def test_every_sms_default_fits_one_gsm7_segment(event, language, context_name):
    context = SAMPLE_CONTEXT[language] if context_name == "sample" else LONG_CONTEXT
    _subject, body, version = render_message(event=event, channel="sms", language=language, context=context)
    encoding, units, segments = sms_segments(body)
    assert (encoding, segments) == ("gsm7", 1), f"{event}/{language}: {units} units: {body}"
    assert "{" not in body  # every placeholder was filled
    assert version.startswith("default:")
    if "{code}" in SMS[event][language]:
        assert "KT-7M4Q-2X9P" in body


@pytest.mark.parametrize("event", sorted(STAFF_EVENTS | CITIZEN_EMAIL_EVENTS))
def test_email_only_events_have_no_sms_text(event):
    with pytest.raises(ValueError):
        default_text(event=event, channel="sms", language="id")


@pytest.mark.django_db
@pytest.mark.parametrize("event", sorted(CONTRACT_EVENTS | STAFF_EVENTS | CITIZEN_EMAIL_EVENTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_default_renders(event, language):
    subject, body, _version = render_message(event=event, channel="email", language=language,
                                             context=SAMPLE_CONTEXT[language])
    assert subject and "{" not in subject and "\n" not in subject
    assert body and "{" not in body
    if event != "otp":
        assert SAMPLE_CONTEXT[language]["link"] in body


@pytest.mark.django_db
def test_sms_values_are_shortened_and_made_gsm_friendly():
    _s, body, _v = render_message(event="answered", channel="sms", language="id",
                                  context={**LONG_CONTEXT, "answer_excerpt": "Sudah \u201cdiperbaiki\u201d \u2014 terima kasih"})
    assert "\u201c" not in body and '"diperbaiki" - terima kasih' in body
    assert "Dinas Penanaman Modal dan PTSP Provinsi Kalimantan Timur" not in body
    assert "Dinas Penanaman Modal dan PTSP Provinsi Kalimantan Timur"[: SMS_LIMITS["agency"] - 3] in body


def test_render_text_is_plain_substitution():
    assert render_text("{code.__class__} {code} {unknown}", {"code": "KT-1"}) == "{code.__class__} KT-1 "


@pytest.mark.django_db
def test_admin_override_is_used_and_versioned_and_whatsapp_falls_back_to_sms():
    tpl = MessageTemplate.objects.create(event="closed", channel="sms", language="id",
                                         body="Kasus {code} selesai.")
    _s, body, version = render_message(event="closed", channel="sms", language="id", context={"code": "KT-1"})
    assert body == "Kasus KT-1 selesai."
    assert version == f"custom:{tpl.pk}:v1"
    _s, wa_body, _v = render_message(event="closed", channel="whatsapp", language="id", context={"code": "KT-1"})
    assert wa_body == "Kasus KT-1 selesai."
    tpl.is_active = False
    tpl.save()
    _s, body, version = render_message(event="closed", channel="sms", language="id", context={"code": "KT-1"})
    assert body.startswith("Balai:  KT-1 selesai") and version.startswith("default:")  # no {noun} given
    _s, body, _v = render_message(event="closed", channel="sms", language="id",
                                  context={"code": "KT-1", "noun": "Laporan"})
    assert body.startswith("Balai: Laporan KT-1 selesai")


@pytest.mark.django_db
def test_the_engines_answer_text_fills_the_answer_excerpt():
    """The engine passes an answer's public text as extra["body"]; the SMS must carry it."""
    from balai.cases.messages import case_context
    from tests.notify.factories import make_case

    case = make_case()
    context = case_context(case, language="id", extra={"body": "Jalan diperbaiki minggu depan."})
    assert context["answer_excerpt"] == "Jalan diperbaiki minggu depan."
    explicit = case_context(case, language="id", extra={"body": "x", "answer_excerpt": "Ringkas"})
    assert explicit["answer_excerpt"] == "Ringkas"
