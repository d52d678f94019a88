"""The SMS channel can be found: /sms/ (both languages) with the number, every keyword with an example and
every category by number; the A5 poster; the number on /kontak/ and the receipt; service pages offer only
the channels that work for applying."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from balai.cases.receipts import receipt_context
from balai.channels import grammar
from balai.channels.pages import guide, poster_document
from tests.factories import ComplaintCategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

NUMBER = "0811-5400-1708"


@pytest.fixture(autouse=True)
def numbers(settings):
    settings.BALAI_SMS_NUMBER = NUMBER
    settings.BALAI_WHATSAPP_NUMBER = NUMBER


@pytest.mark.parametrize(("path", "keywords"), [
    ("/sms/", ["LAPOR", "CEK", "JAWAB", "NILAI", "BANTUAN"]),
    ("/en/sms/", ["REPORT", "STATUS", "ANSWER", "RATE", "HELP"]),
])
def test_sms_page_lists_number_keywords_examples_and_categories(client, place, path, keywords):
    html = client.get(path).content.decode()
    assert NUMBER in html
    for keyword in keywords:
        assert f"<code>{escape(keyword)}" in html
    lang = "en" if path.startswith("/en/") else "id"
    for spec in grammar.COMMANDS.values():
        assert escape(spec.examples[lang][0]) in html and escape(spec.usage[lang]) in html
    assert "<td>1</td><th scope=\"row\"><code>JALAN</code>" in html
    assert "<td>2</td><th scope=\"row\"><code>LAYANAN</code>" in html
    assert 'href="/en/sms/poster.pdf"' in html if lang == "en" else 'href="/sms/poster.pdf"' in html


def test_a_new_command_in_the_table_appears_on_the_page(client, place, monkeypatch):
    spec = grammar.CommandSpec("support", lambda lang, rest: grammar.Help(language=lang), {"DUKUNG": "id"},
                               usage={"id": "DUKUNG <kode>", "en": "SUPPORT <code>"}, summary="Support",
                               examples={"id": ("DUKUNG KT-7M4Q-2X9P",), "en": ("SUPPORT KT-7M4Q-2X9P",)})
    monkeypatch.setitem(grammar.COMMANDS, "support", spec)
    assert "DUKUNG KT-7M4Q-2X9P" in client.get("/sms/").content.decode()


def test_without_a_number_the_page_says_so(client, place, settings):
    settings.BALAI_SMS_NUMBER = settings.BALAI_WHATSAPP_NUMBER = ""
    html = client.get("/sms/").content.decode()
    assert "belum diumumkan" in html


def test_poster_page_and_pdf_are_a5_with_number_and_keywords(client, place):
    page = client.get("/sms/poster/").content.decode()
    assert NUMBER in page and "LAPOR JALAN" in page and "1 JALAN" in page
    for lang in ("id", "en"):
        document = poster_document(lang)
        assert len(document.pages) == 1
        width_mm, height_mm = (v * 25.4 / 96 for v in (document.pages[0].width, document.pages[0].height))
        assert round(width_mm) == 148 and round(height_mm) == 210
    response = client.get("/en/sms/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_poster_still_fits_one_page_with_many_categories(place):
    for i in range(20):
        ComplaintCategoryFactory(agency=place.agency, unit=place.unit, keyword=f"kategori{i}", slug=f"k-{i}",
                                 order=10 + i)
    assert len(guide("id")["categories"]) == 22
    assert len(poster_document("id").pages) == 1


def test_contact_page_and_footer_show_the_channel(client, place):
    html = client.get("/kontak/").content.decode()
    assert NUMBER in html and 'href="/sms/"' in html
    assert 'href="/en/sms/"' in client.get("/en/kontak/").content.decode()


def test_receipt_carries_the_number(sms, place):
    from balai.cases.models import Case

    sms("LAPOR JALAN lubang")
    context = receipt_context(case=Case.objects.get())
    assert context["sms_number"] == NUMBER


def test_service_page_offers_only_channels_that_work_for_applying(client, place):
    service = ServiceFactory(agency=place.agency, unit=place.unit, channels=["web", "counter", "sms", "whatsapp",
                                                                             "email"])
    html = client.get(f"/en/layanan/{service.code}/").content.decode()
    where = html[html.index("Where to apply"):][:200]
    assert "Web" in where and "Counter" in where
    assert "SMS" not in where and "WhatsApp" not in where and "E-mail" not in where
