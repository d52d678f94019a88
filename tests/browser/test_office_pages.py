"""Accessibility and no-JavaScript use of the staff workspace pages."""

from __future__ import annotations

import html5lib
import pytest

from tests.browser.staff import STAFF_PAGES, officer, seed_staff, staff_login, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CASES = [pytest.param(p, id=p.name) for p in STAFF_PAGES]


@pytest.fixture
def data(transactional_db) -> dict:
    data: dict = {}
    seed_staff(data)
    return data


def _open(page, live_server, data, staff_page):
    if staff_page.role:
        staff_login(page, live_server.url, data["users"][staff_page.role])
    return page.goto(live_server.url + staff_page.url(data))


@pytest.mark.parametrize("staff_page", CASES)
def test_axe_and_one_heading(staff_page, data, live_server, page, axe_check):
    response = _open(page, live_server, data, staff_page)
    assert response.status == staff_page.status
    assert page.locator("h1").count() == 1
    axe_check(page)


@pytest.mark.parametrize("staff_page", CASES)
def test_works_without_javascript(staff_page, data, live_server, page_nojs):
    response = _open(page_nojs, live_server, data, staff_page)
    assert response.status == staff_page.status
    assert page_nojs.locator("main h1").is_visible()
    assert page_nojs.locator("script").count() == 0


@pytest.mark.parametrize("staff_page", CASES)
def test_html_parses_without_errors(staff_page, data, client):
    from tests.office.conftest import office_login

    if staff_page.role:
        office_login(client, data["users"][staff_page.role])
    response = client.get(staff_page.url(data))
    assert response.status_code == staff_page.status
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(response.content)
    assert not parser.errors


def test_enrolment_and_code_pages_pass_axe(data, live_server, page, axe_check):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    newcomer = officer("operator", data["unit"])
    TOTPDevice.objects.filter(user=newcomer).delete()
    page.goto(live_server.url + "/kantor/masuk/")
    page.fill("#id_username", newcomer.email)
    page.fill("#id_password", "rahasia-demo-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/kantor/masuk/daftar-kode/" in page.url
    assert page.locator(".otp-qr svg").count() == 1
    axe_check(page)
    # The code page of an officer who has a device.
    page.context.clear_cookies()
    page.goto(live_server.url + "/kantor/masuk/")
    page.fill("#id_username", data["users"]["head"].email)
    page.fill("#id_password", "rahasia-demo-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/kantor/masuk/kode/" in page.url
    axe_check(page)
    assert totp_now().isdigit()


def test_lockout_page_passes_axe(data, live_server, page, axe_check, settings):
    user = data["users"]["operator"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(live_server.url + "/kantor/masuk/")
        page.fill("#id_username", user.email)
        page.fill("#id_password", "salah-sekali-123")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Masuk diblokir sementara"
    axe_check(page)


def test_an_action_by_keyboard_without_javascript(data, live_server, page_nojs):
    """Ask the citizen for more, typed and sent with the keyboard only, JavaScript off."""
    from balai.cases.models import Case

    staff_login(page_nojs, live_server.url, data["users"]["operator"])
    page_nojs.goto(live_server.url + f"/kantor/berkas/{data['case']}/")
    page_nojs.focus("#id_request_info-body")
    page_nojs.keyboard.type("Mohon kirim foto KTP.")
    for _ in range(6):  # Tab past the file input to the form's submit button
        page_nojs.keyboard.press("Tab")
        focused = page_nojs.evaluate("() => [document.activeElement.tagName, document.activeElement.type || '',"
                                     " document.activeElement.closest('#aksi-request_info') !== null]")
        if focused[:2] == ["BUTTON", "submit"]:
            break
    assert focused == ["BUTTON", "submit", True], focused
    with page_nojs.expect_navigation():
        page_nojs.keyboard.press("Enter")
    assert Case.objects.get(tracking_code=data["case"]).status == "waiting_citizen", page_nojs.inner_text("main")[:1500]
    assert "Mohon kirim foto KTP." in page_nojs.content()
