"""The citizen's ways in, through the real pages in Chromium with JavaScript OFF:
apply for a service with an upload, file an anonymous complaint, ask for information; a keyboard-only
complaint; axe-core and the page budget on the states the page list cannot reach (errors, confirmation).
"""

from __future__ import annotations

import pytest

from balai.cases.models import Attachment, Case
from tests.browser.pages import MAX_BYTES, MAX_REQUESTS
from tests.portal.flow_data import PNG, build_flow_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(transactional_db, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return build_flow_data()


def submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def check_budget_and_axe(context, url: str, page_weight, axe_check) -> None:
    """Open `url` with JavaScript ON (axe-core is a script) in the same session as the JS-off `context`."""
    js_context = context.browser.new_context(locale="id-ID")
    js_context.set_default_timeout(15_000)
    js_context.add_cookies(context.cookies())
    page = js_context.new_page()
    weight = page_weight(page, url)
    assert weight.status == 200, weight.summary()
    assert weight.transferred <= MAX_BYTES, weight.summary()
    assert weight.requests <= MAX_REQUESTS, weight.summary()
    assert not weight.third_party and not weight.fonts, weight.summary()
    axe_check(page)
    js_context.close()


def test_apply_for_a_service_with_an_upload(data, live_server, browser, page_weight, axe_check, tmp_path):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/layanan/izin-usaha-uji/")
    with page.expect_navigation():
        page.get_by_role("link", name="Mulai sekarang").click()
    assert page.url.endswith("/layanan/izin-usaha-uji/ajukan/")
    submit(page, "Lanjut")  # nothing filled in: the error summary links to the fields
    assert page.locator(".error-summary a[href='#id_nama_usaha']").is_visible()
    page.get_by_label("Nama usaha").fill("Warung Bu Sari")
    page.get_by_label("Jenis usaha").select_option("dagang")
    page.get_by_label("Jumlah pekerja").fill("3")
    submit(page, "Lanjut")
    photo = tmp_path / "ktp.png"
    photo.write_bytes(PNG)
    page.get_by_label("Foto KTP").set_input_files(str(photo))
    page.get_by_label("Data usaha benar").check()
    submit(page, "Lanjut")
    page.get_by_label("Nama lengkap Anda").fill("Sari Wulandari")
    page.get_by_label("Nomor ponsel").fill("0812 3456 7890")
    page.get_by_label("SMS").check()
    submit(page, "Lanjut")
    page.get_by_label("Juru bahasa isyarat").check()
    submit(page, "Lanjut")
    assert "ktp.png" in page.locator("main").inner_text()
    check_budget_and_axe(context, page.url, page_weight, axe_check)  # the check-your-answers page
    submit(page, "Setuju dan kirim")
    case = Case.objects.get()
    assert page.locator(".tracking-code").inner_text() == case.tracking_code
    assert Attachment.objects.filter(case=case, original_name="ktp.png").exists()
    check_budget_and_axe(context, page.url, page_weight, axe_check)  # the confirmation page
    href = page.get_by_role("link", name="Unduh tanda terima (PDF, kertas A4)").get_attribute("href")
    receipt = context.request.get(live_server.url + href)  # the same session as the page
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    context.close()


def test_file_an_anonymous_complaint_choosing_the_place_by_typing(data, live_server, browser, page_weight,
                                                                  axe_check):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(live_server.url + "/lapor/")
    page.get_by_label("Pengaduan: ada masalah dengan pelayanan publik").check()
    page.get_by_label("Tentang apa?").select_option("jalan-berlubang")
    page.get_by_label("Apa yang terjadi?").fill("Jalan di depan pasar berlubang besar, motor sering jatuh.")
    submit(page, "Lanjut")
    page.get_by_label("Nama desa, kelurahan, atau kecamatan").fill("rawa makmur")
    submit(page, "Cari")
    page.get_by_label("Rawa Makmur (kelurahan), Palaran, Kota Samarinda").check()
    page.get_by_label("Lintang (tidak wajib)").fill("-0.5583")  # longitude missing: an error, typed kept
    submit(page, "Lanjut")
    assert page.locator(".error-summary a[href='#id_longitude']").is_visible()
    assert page.get_by_label("Lintang (tidak wajib)").input_value() == "-0.5583"
    check_budget_and_axe(context, page.url, page_weight, axe_check)
    page.get_by_label("Bujur (tidak wajib)").fill("117.1521")
    submit(page, "Lanjut")
    submit(page, "Lanjut")  # no files
    page.get_by_label("Anonim: tidak ada petugas instansi yang tahu siapa Anda, bahkan nama Anda pun tidak.").check()
    submit(page, "Lanjut")
    page.get_by_label("Tanpa pesan: saya akan memeriksa sendiri dengan kode lacak").check()
    submit(page, "Lanjut")
    submit(page, "Kirim laporan")
    case = Case.objects.get()
    assert page.locator(".tracking-code").inner_text() == case.tracking_code
    assert (case.confidentiality, case.contact_name, case.region.code) == ("anonymous", "", "64.72.01.1001")
    context.close()


def test_ask_for_information(data, live_server, page_nojs):
    page = page_nojs
    page.goto(live_server.url + "/en/informasi/")
    page.get_by_label("Which agency holds the information?").select_option("dpmptsp-uji")
    page.get_by_label("What information do you want?").fill("The list of business permits issued in 2025.")
    page.get_by_label("What will you use it for?").fill("Research for my thesis.")
    submit(page, "Continue")
    page.get_by_label("Electronic copy (softcopy)").check()
    page.get_by_label("Braille").check()
    page.get_by_label("By e-mail").check()
    submit(page, "Continue")
    page.get_by_label("Your full name").fill("Dewi Lestari")
    page.get_by_label("Your address").fill("Jl. Juanda No. 5, Samarinda")
    page.get_by_label("E-mail address").fill("dewi@contoh.id")
    page.get_by_label("E-mail", exact=True).check()
    submit(page, "Continue")
    submit(page, "Send request")
    case = Case.objects.get()
    assert page.locator("h1").inner_text() == "Information request registered"
    assert case.kind == "information_request" and case.accommodations == ["braille"]
    assert case.answers["delivery"] == "email"


CONTINUE = "main form[method=post] > button.button:not(.button--secondary)"


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def test_keyboard_only_complaint(data, live_server, page):
    page.goto(live_server.url + "/lapor/")
    tab_to(page, "#id_kind_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_category")
    page.keyboard.press("ArrowDown")  # the first category
    tab_to(page, "#id_description")
    page.keyboard.type("Lampu jalan di gang kami mati sejak sebulan, gelap sekali.")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Choose the place by the lists: regency, then district, then village.
    tab_to(page, "#kabupaten")
    page.keyboard.press("ArrowDown")  # the first by name: Kota Samarinda
    tab_to(page, ".region-cascade button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#kecamatan")
    page.keyboard.press("ArrowDown")
    tab_to(page, "form:has(#kecamatan) button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#id_region")
    page.keyboard.press("ArrowDown")
    tab_to(page, CONTINUE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, CONTINUE)  # no files
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#id_confidentiality_0")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#id_contact_name")
    page.keyboard.type("Budi")
    tab_to(page, "#id_contact_phone")
    page.keyboard.type("081234567890")
    tab_to(page, "#id_contact_channel_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_language_0")
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "main form[method=post] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    case = Case.objects.get()
    assert page.locator(".tracking-code").inner_text() == case.tracking_code
    assert case.region is not None and case.region.code.startswith("64.72.01.")
    assert case.contact_phone == "+6281234567890"
