"""/dev/pesan/ in Chromium: axe-core clean (empty, with messages, and with form errors), works by keyboard
without JavaScript. Lives in tests/browser/ so it shares that folder's one Playwright instance per worker
(importing the session fixture into another module would start a second one and fail)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import chromium_available
from tests.browser.pages import DEV_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not chromium_available(), reason="Chromium not found")]


@pytest.mark.parametrize("dev_page", DEV_PAGES, ids=[p.name for p in DEV_PAGES])
def test_dev_page_is_accessible(dev_page, live_server, browser_page, axe_check, settings):
    from balai.notify.models import DevMessage

    settings.DEMO_MODE = True
    DevMessage.objects.create(channel="sms", address="+6281234567890", body="Balai: laporan KT-7M4Q-2X9P diterima")
    DevMessage.objects.create(direction="in", channel="sms", address="+6281234567890", body="CEK KT-7M4Q-2X9P")
    page = browser_page(js=True)
    response = page.goto(live_server.url + dev_page.path)
    assert response.status == 200 and page.locator("h1").count() == 1
    axe_check(page)
    page.fill("#id_phone", "bukan nomor")
    page.click("button[type=submit].button")
    assert page.locator(".error-summary").is_visible()
    axe_check(page)


def test_simulated_message_without_javascript(live_server, browser_page, settings):
    from balai.channels.models import InboundMessage

    settings.DEMO_MODE = True
    page = browser_page(js=False)
    page.goto(live_server.url + "/dev/pesan/")
    page.fill("#id_phone", "0812-3456-7890")
    page.fill("#id_text", "BANTUAN")
    page.click("button[type=submit].button")
    assert InboundMessage.objects.get().outcome == "help"
    assert "LAPOR" in page.locator("[role=status]").inner_text()
