"""Budgets and accessibility of every public page, in both languages (page budgets: docs/architecture.md)."""

from __future__ import annotations

import html5lib
import pytest

from tests.browser.pages import LANGUAGE_PREFIXES, MAX_BYTES, MAX_REQUESTS, PUBLIC_PAGES, seed_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASES = [pytest.param(p, prefix, id=f"{p.name}-{prefix.strip('/') or 'id'}")
         for p in PUBLIC_PAGES for prefix in LANGUAGE_PREFIXES]


@pytest.fixture
def data(transactional_db) -> dict:
    return seed_all()


@pytest.mark.parametrize(("public_page", "prefix"), CASES)
def test_budget_and_accessibility(public_page, prefix, data, live_server, page, page_weight, axe_check):
    url = live_server.url + public_page.url(data, prefix=prefix)
    weight = page_weight(page, url)
    assert weight.status == public_page.status, weight.summary()
    assert weight.transferred <= MAX_BYTES, weight.summary()
    assert weight.requests <= MAX_REQUESTS, weight.summary()
    assert not weight.third_party, weight.summary()
    assert not weight.fonts, weight.summary()
    assert page.locator("html").get_attribute("lang") == ("en" if prefix == "/en" else "id")
    assert page.locator("h1").count() == 1
    axe_check(page)


@pytest.mark.parametrize(("public_page", "prefix"), CASES)
def test_works_without_javascript(public_page, prefix, data, live_server, page_nojs):
    response = page_nojs.goto(live_server.url + public_page.url(data, prefix=prefix))
    assert response.status == public_page.status
    assert page_nojs.locator("main h1").is_visible()
    # Any script must be progressive enhancement from our own static files, never inline.
    sources = [script.get_attribute("src") or "" for script in page_nojs.locator("script").all()]
    assert all(src.startswith("/static/") for src in sources), sources
    # The language switch is a plain form that works without JavaScript.
    switch = page_nojs.locator("header form button")
    expected = "English" if prefix == "" else "Bahasa Indonesia"
    assert switch.inner_text() == expected
    with page_nojs.expect_navigation():
        switch.click()
    assert page_nojs.locator("html").get_attribute("lang") == ("id" if prefix == "/en" else "en")


@pytest.mark.parametrize(("public_page", "prefix"), CASES)
def test_html_parses_without_errors(public_page, prefix, data, live_server, client):
    response = client.get(public_page.url(data, prefix=prefix))
    assert response.status_code == public_page.status
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(response.content)  # raises ParseError on the first error
    assert not parser.errors


def test_skip_link_is_first_and_moves_focus_to_main(data, live_server, page):
    page.goto(live_server.url + "/layanan/" + data["service"] + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip", "#main"]
    assert page.locator("a.skip").is_visible()  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # The next Tab goes to the first link inside the main content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("mode", ["larger.normal", "normal.high", "larger.high"])
@pytest.mark.parametrize("path", ["/layanan/{service}/", "/privasi/", "/en/kontak/"])
def test_display_modes_pass_axe_and_fit_a_small_phone(mode, path, data, live_server, browser_page, axe_check):
    page = browser_page(js=True, width=360)  # axe-core itself needs JavaScript; the page has none
    page.context.add_cookies([{"name": "balai_tampilan", "value": mode, "url": live_server.url}])
    page.goto(live_server.url + path.format(**data))
    classes = page.locator("html").get_attribute("class")
    assert ("contrast-high" in classes) == mode.endswith("high")
    assert ("text-larger" in classes) == mode.startswith("larger")
    axe_check(page)
    # Nothing overflows the 360 px screen sideways, even with text at 150 %.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_display_settings_form_without_javascript(data, live_server, page_nojs):
    page_nojs.goto(live_server.url + "/tampilan/")
    page_nojs.get_by_label("Sangat besar").check()
    page_nojs.get_by_label("Kontras tinggi", exact=False).check()
    page_nojs.get_by_role("button", name="Simpan").click()
    assert page_nojs.locator("html").get_attribute("class") == "text-larger contrast-high"
    assert page_nojs.get_by_role("status").is_visible()


def test_search_by_keyboard_without_javascript(data, live_server, page_nojs):
    page_nojs.goto(live_server.url + "/")
    page_nojs.get_by_label("Cari layanan").fill("ijin usaha")
    with page_nojs.expect_navigation():
        page_nojs.keyboard.press("Enter")
    assert "/layanan/?q=ijin+usaha" in page_nojs.url
    assert page_nojs.get_by_role("link", name="Izin usaha mikro").is_visible()


def test_print_styles_hide_navigation(data, live_server, page):
    page.goto(live_server.url + "/layanan/" + data["service"] + "/")
    page.emulate_media(media="print")
    assert not page.locator(".site-tools").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator("main h1").is_visible()
