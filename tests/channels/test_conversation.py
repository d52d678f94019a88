"""What Balai asks by SMS/WhatsApp and what the answers do: the numbered category list (every category
reachable), free text kept as a triage case, the place and publication question (private when unanswered),
and the rate limit's one polite reply."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from balai.agencies.models import Region
from balai.cases.models import Case
from balai.cases.selectors import publicly_listable_cases
from balai.channels.models import Conversation, InboundMessage, Outcome
from balai.channels.services import menu_pages
from balai.notify.gsm import fits_one_segment
from balai.notify.models import Message
from tests.channels.conftest import PHONE
from tests.factories import ComplaintCategoryFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(place):
    """Fourteen categories, as in the demo: more than one SMS can list."""
    words = ["SEHAT", "SEKOLAH", "TERTIB", "KORUPSI", "LINGKUNGAN", "ANGKUTAN", "BANSOS", "IZIN", "WEB",
             "BENCANA", "PAJAK", "KERJA"]
    for order, word in enumerate(words, 3):
        ComplaintCategoryFactory(agency=place.agency, unit=place.unit, keyword=word.lower(),
                                 slug=f"kat-{word.lower()}", order=order)
    return place


def test_every_category_is_reachable_through_the_pages(sms, many):
    keywords = ["JALAN", "LAYANAN", "SEHAT", "SEKOLAH", "TERTIB", "KORUPSI", "LINGKUNGAN", "ANGKUTAN", "BANSOS",
                "IZIN", "WEB", "BENCANA", "PAJAK", "KERJA"]
    for lang, keyword in (("id", "LAPOR"), ("en", "REPORT")):
        pages = menu_pages(keywords, lang)
        assert len(pages) >= 2 and [k for page in pages for _n, k in page] == keywords
        seen = []
        for number in range(1, len(pages) + 1):
            reply = sms(f"{keyword} {number}" if number > 1 else keyword)["reply"]
            assert fits_one_segment(reply), reply
            seen += [k for k in keywords if f" {k}" in reply]
            assert (f"{keyword} {number + 1}" in reply) == (number < len(pages))
        assert set(seen) == set(keywords)


def test_reply_with_a_number_then_the_text(sms, many):
    sms("LAPOR")
    asked = sms("3")["reply"]
    assert "SEHAT" in asked and not Case.objects.exists()
    receipt = sms("antrean puskesmas 4 jam")["reply"]
    case = Case.objects.get()
    assert case.complaint_category.keyword == "sehat" and case.tracking_code in receipt
    assert case.description == "antrean puskesmas 4 jam"


def test_number_and_text_in_one_reply_and_a_later_page(sms, many):
    sms("LAPOR 2")
    sms("14 gaji belum dibayar")
    assert Case.objects.get().complaint_category.keyword == "kerja"


def test_number_in_the_report_itself(sms, many):
    sms("LAPOR 2 petugas tidak ramah")
    assert Case.objects.get().complaint_category == many.services


def test_free_text_becomes_a_triage_case_answered_with_its_code(sms, place):
    answer = sms("halo pak mau lapor jalan depan rumah saya rusak parah")
    case = Case.objects.get()
    assert case.tracking_code in answer["reply"]
    assert case.extra["triage"] == {"reason": "free_text", "channel": "sms"}
    assert case.unit == place.services.unit and case.confidentiality == "confidential"
    assert case.description.startswith("halo pak mau lapor")
    assert InboundMessage.objects.get().outcome == Outcome.TRIAGE


def test_a_number_without_a_list_is_free_text(sms, place):
    sms("10 rumah kebanjiran di RT 5 sejak kemarin")
    assert Case.objects.get().extra["triage"]["reason"] == "free_text"


@pytest.mark.parametrize("text", ["terima kasih", "ok", "halo", "", "thanks pak"])
def test_greetings_and_thanks_make_no_case(sms, place, text):
    assert "LAPOR" in sms(text)["reply"] or "REPORT" in sms(text)["reply"]
    assert not Case.objects.exists()


def test_english_free_text_is_answered_in_english(sms, place):
    reply = sms("hello the street light on my road is broken")["reply"]
    assert Case.objects.get().language == "en" and Case.objects.get().tracking_code in reply


def test_report_is_private_until_the_citizen_says_yes_and_unanswered_stays_private(sms, place):
    sms("LAPOR JALAN lubang besar")
    case = Case.objects.get()
    assert case.confidentiality == "confidential"
    question = Message.objects.filter(recipient=PHONE).order_by("-pk").first().body
    assert "desa/kecamatan" in question and "Tanpa balasan: tidak tampil" in question
    assert fits_one_segment(question)
    # No answer: the question expires and the case stays private.
    Conversation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "LAPOR" in sms("ya")["reply"]
    case.refresh_from_db()
    assert case.confidentiality == "confidential"


def test_place_and_consent_in_one_answer(sms, place):
    RegionFactory()
    regency = RegionFactory(code="64.72", name="Kota Samarinda", level=Region.Level.CITY)
    district = RegionFactory(code="64.72.05", name="Sungai Kunjang", level=Region.Level.DISTRICT, parent=regency)
    sms("LAPOR JALAN lubang besar")
    reply = sms("YA sungai kunjang dekat pasar")["reply"]
    case = Case.objects.get()
    assert case.confidentiality == "public" and case.region == district
    assert "sungai kunjang dekat pasar" in case.location_text
    assert "tampil di situs" in reply and fits_one_segment(reply)
    assert not publicly_listable_cases().exists()  # not before a verifier looked at it
    assert list(case.events.filter(action__in=["publication", "place"]).values_list("action", flat=True)) == [
        "publication", "place"]


def test_no_answer_keeps_it_private_and_a_place_in_the_report_is_not_asked_again(sms, place):
    RegionFactory()
    RegionFactory(code="64.72", name="Kota Samarinda", level=Region.Level.CITY)
    sms("LAPOR JALAN lubang besar di samarinda")
    case = Case.objects.get()
    assert case.region.code == "64.72"
    question = Message.objects.filter(recipient=PHONE).order_by("-pk").first().body
    assert "desa/kecamatan" not in question and "YA atau TIDAK" in question
    assert "tidak ditampilkan" in sms("tidak usah")["reply"]
    case.refresh_from_db()
    assert case.confidentiality == "confidential" and not Conversation.objects.exists()


def test_a_long_new_message_during_the_question_is_a_new_report(sms, place):
    sms("LAPOR JALAN lubang besar")
    sms("LAPOR LAYANAN petugas loket tidak ada di tempat sejak pagi hari ini")
    assert Case.objects.count() == 2
    sms("pak lampu jalan di gang mawar sudah mati tiga minggu belum ada perbaikan")
    assert Case.objects.count() == 3


def test_rate_limit_one_polite_reply_then_silence_also_for_sync_gateways(sms, place, settings):
    from tests.channels.conftest import sms_config

    settings.BALAI_SMS_GATEWAY = sms_config(reply_mode="sync")
    settings.BALAI_CHANNELS_RATE_LIMITS = [[600, 2]]
    sms("BANTUAN")
    sms("BANTUAN")
    told = sms("BANTUAN")["reply"]
    assert "terlalu banyak pesan" in told.lower()
    assert [sms("BANTUAN")["reply"] for _ in range(3)] == ["", "", ""]


@pytest.mark.parametrize(("text", "needs"), [
    ("LAPOR LAYANAN saya tuli, petugas tidak mau menulis", ["sign_language"]),
    ("LAPOR JALAN trotoar tidak bisa dilewati kursi roda", ["wheelchair"]),
    ("LAPOR LAYANAN ibu saya buta huruf dan tidak dibantu", ["reading_help"]),
    ("REPORT LAYANAN I am blind and the form is paper only", ["audio"]),
    ("LAPOR JALAN lubang besar", []),
])
def test_accommodation_words_in_an_sms_count_as_needs(sms, place, text, needs):
    sms(text)
    case = Case.objects.get()
    assert list(case.accommodations) == needs and case.has_accommodations is bool(needs)


def test_the_office_queue_filters_the_triage_cases_within_what_the_officer_may_see(sms, place):
    """The queue's "Triage" filter lists the unrecognised messages of the officer's units, and nothing else:
    not the filed reports, not another agency's triage cases (it runs on the visibility selector)."""
    from django.test import Client
    from django.urls import reverse

    from tests.factories import AgencyFactory, MembershipFactory, StaffFactory, UnitFactory
    from tests.office.conftest import office_login

    sms("halo pak mau lapor jalan depan rumah saya rusak parah")
    sms("LAPOR JALAN lubang besar di depan pasar", sender="+6281250009999")
    triage = Case.objects.get(extra__has_key="triage")
    filed = Case.objects.exclude(pk=triage.pk).get()
    client = office_login(Client(), place.staff["operator"])
    every = {row["case"].pk for row in client.get(reverse("office:queue")).context["rows"]}
    assert every == {triage.pk, filed.pk}
    response = client.get(reverse("office:queue"), {"triage": "sms"})
    assert [row["case"].pk for row in response.context["rows"]] == [triage.pk]
    assert 'name="triage"' in response.content.decode()
    elsewhere = StaffFactory()
    MembershipFactory(user=elsewhere, unit=UnitFactory(agency=AgencyFactory(government=place.agency.government)),
                      role="operator")
    other = office_login(Client(), elsewhere)
    assert other.get(reverse("office:queue"), {"triage": "sms"}).context["rows"] == []
