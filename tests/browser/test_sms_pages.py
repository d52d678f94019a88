"""/sms/ and its poster with a published number, at 360 and 1280 px, in both languages: axe-core clean,
within the page budget, nothing wider than the screen. Screenshots go to docs/screenshots/ when
BALAI_SCREENSHOTS=1."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.pages import MAX_BYTES, MAX_REQUESTS
from tests.channels.conftest import build_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", ["/sms/", "/en/sms/", "/sms/poster/", "/en/sms/poster/"])
def test_sms_pages_with_a_number(path, width, live_server, browser_page, page_weight, axe_check, settings):
    settings.BALAI_SMS_NUMBER = settings.BALAI_WHATSAPP_NUMBER = "0811-5400-1708"
    build_place()
    page = browser_page(width=width, height=800)
    weight = page_weight(page, live_server.url + path)
    assert weight.status == 200 and weight.transferred <= MAX_BYTES and weight.requests <= MAX_REQUESTS, \
        weight.summary()
    assert "0811-5400-1708" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)
    if os.environ.get("BALAI_SCREENSHOTS") == "1":
        lang = "en" if path.startswith("/en/") else "id"
        name = "sms-poster" if "poster" in path else "sms"
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)


CHANGED = [("kinerja", "/kinerja/"), ("kinerja-peringkat", "/kinerja/peringkat/"),
           ("lapor-kontak", "/lapor/kontak/"), ("layanan-ktp", "/layanan/?q=ktp"), ("kontak", "/kontak/")]


@pytest.mark.skipif(os.environ.get("BALAI_SCREENSHOTS") != "1", reason="screenshots only on request")
@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize(("name", "path"), CHANGED)
def test_screenshots_of_changed_pages(name, path, width, live_server, browser_page, settings):
    from tests.browser.pages import seed_all

    settings.BALAI_SMS_NUMBER = settings.BALAI_WHATSAPP_NUMBER = "0811-5400-1708"
    seed_all()
    for lang, prefix in (("id", ""), ("en", "/en")):
        page = browser_page(width=width, height=800)
        page.goto(live_server.url + prefix + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(SHOTS / f"{name}-{lang}-{width}.png"), full_page=True)
