"""Portal flows B in a real browser with JavaScript OFF: track each kind by code, prove with a one-time
code, answer a question from staff, rate the service; axe-core (WCAG 2.2 A/AA) and the page budget on
each page only reachable after proof (the public ones are in tests/browser/pages.py)."""

from __future__ import annotations

import pytest

from tests.browser.pages import MAX_BYTES, MAX_REQUESTS
from tests.portal.flows_b_data import act, build_world, last_otp, submit
from tests.ppid.helpers import privacy_test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "+6281234567890"


@pytest.fixture
def world(transactional_db):
    return build_world()


def prove_in_browser(page, base: str, case) -> None:
    page.goto(f"{base}/lacak/")
    page.get_by_label("Kode lacak").fill(case.tracking_code.lower().replace("-", " "))
    page.get_by_role("button", name="Lacak").click()
    assert page.locator("h1").inner_text() == f"Kasus {case.tracking_code}"
    page.get_by_role("button", name="Kirimi saya kode").first.click()
    assert "Jika kasus" in page.get_by_role("status").inner_text()
    page.get_by_label("Kode sekali pakai").fill(last_otp(PHONE))
    page.get_by_role("button", name="Lanjut").click()
    assert page.url.endswith(f"/lacak/{case.tracking_code}/")


def check_page(browser_page, axe_check, page_weight, url: str, cookies: list) -> None:
    """axe with JavaScript on (axe is a script; the page has none), and the weight budget."""
    page = browser_page(js=True)
    page.context.add_cookies(cookies)
    weight = page_weight(page, url)
    assert weight.status in (200, 409), weight.summary()
    assert weight.transferred <= MAX_BYTES and weight.requests <= MAX_REQUESTS, weight.summary()
    assert not weight.third_party and not weight.fonts, weight.summary()
    assert page.locator("script").count() == 0
    axe_check(page)


@pytest.mark.parametrize("kind", ["service_request", "complaint", "aspiration", "information_request"])
def test_track_each_kind_by_code(kind, world, live_server, page_nojs):
    extra = {"contact_address": "Jl. Uji 1"} if kind == "information_request" else {}
    case = submit(world, kind, title=f"Uji {kind}", description="Rincian untuk pemohon", **extra)
    prove_in_browser(page_nojs, live_server.url, case)
    assert page_nojs.get_by_text("Rincian untuk pemohon").is_visible()
    assert page_nojs.locator(".tag").inner_text()  # the status


def test_answer_a_question_from_staff(world, live_server, page_nojs, browser_page, axe_check, page_weight):
    case = submit(world, title="Surat keterangan sehat")
    act(world, case, "request_info", body="Mohon kirim hasil laboratorium")
    prove_in_browser(page_nojs, live_server.url, case)
    assert "menunggu jawaban Anda" in page_nojs.locator("main").inner_text()
    page_nojs.get_by_role("link", name="Balas atau tanggapi instansi").click()
    respond_url = page_nojs.url
    assert page_nojs.get_by_text("Mohon kirim hasil laboratorium").is_visible()
    page_nojs.get_by_role("link", name="Jawab pertanyaan instansi").click()
    action_url = page_nojs.url
    # an empty answer: the error summary links to the field
    page_nojs.get_by_role("button", name="Kirim").click()
    assert page_nojs.locator(".error-summary a[href='#id_text']").is_visible()
    page_nojs.get_by_label("Pesan Anda").fill("Hasil laboratorium terlampir")
    page_nojs.set_input_files(
        "#id_files",
        files=[
            {
                "name": "lab.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            }
        ],
    )
    page_nojs.get_by_role("button", name="Kirim").click()
    assert page_nojs.get_by_role("status").is_visible()
    case.refresh_from_db()
    assert case.status == "in_progress" and case.clock_state == "running"
    assert page_nojs.get_by_role("link", name="lab.pdf").is_visible()
    cookies = page_nojs.context.cookies()
    for url in (
        respond_url,
        f"{live_server.url}/lacak/{case.tracking_code}/",
        f"{live_server.url}/lacak/{case.tracking_code}/dokumen/",
        f"{live_server.url}/en{action_url[len(live_server.url) :]}",
    ):
        check_page(browser_page, axe_check, page_weight, url, cookies)


def test_rate_the_service(world, live_server, page_nojs, browser_page, axe_check, page_weight):
    from balai.survey.models import SurveyResponse

    case = submit(world, title="Izin uji")
    act(world, case, "verify", role="verifier")
    act(world, case, "complete")
    prove_in_browser(page_nojs, live_server.url, case)
    page_nojs.get_by_role("link", name="Nilai layanan (kurang dari semenit)").click()
    survey_url = page_nojs.url
    check_page(browser_page, axe_check, page_weight, survey_url, page_nojs.context.cookies())
    # answer eight of nine: the error summary names the missing one and keeps the others
    groups = page_nojs.locator("fieldset")
    assert groups.count() == 9
    for i in range(8):
        groups.nth(i).locator("input[type=radio]").nth(3).check()
    page_nojs.get_by_role("button", name="Kirim penilaian saya").click()
    assert page_nojs.locator(".error-summary a[href='#id_pengaduan_0']").is_visible()
    assert page_nojs.locator("#id_persyaratan_3").is_checked()
    check_page(browser_page, axe_check, page_weight, survey_url, page_nojs.context.cookies())
    page_nojs.get_by_label("Dikelola dengan baik").check()
    page_nojs.get_by_role("button", name="Kirim penilaian saya").click()
    assert page_nojs.locator("h1").inner_text() == "Terima kasih atas penilaian Anda"
    assert SurveyResponse.objects.get(case=case).scores["pengaduan"] == 4


def test_account_pages(world, live_server, page_nojs, browser_page, axe_check, page_weight):
    owner_case = submit(world, title="Kasus akun")
    page_nojs.goto(f"{live_server.url}/akun/masuk/")
    page_nojs.get_by_label("Alamat e-mail atau nomor telepon").fill("0812-3456-7890")
    page_nojs.get_by_role("button", name="Kirimi saya kode").click()
    page_nojs.get_by_label("Kode sekali pakai").fill(last_otp(PHONE))
    page_nojs.get_by_role("button", name="Masuk").click()
    assert page_nojs.locator("h1").inner_text() == "Akun Anda"
    owner_case.refresh_from_db()
    cookies = page_nojs.context.cookies()
    for path in ("/akun/", "/akun/profil/", "/akun/data/", "/en/akun/"):
        check_page(browser_page, axe_check, page_weight, live_server.url + path, cookies)


def test_object_to_a_refusal_choosing_the_legal_grounds(world, live_server, page_nojs, browser_page, axe_check,
                                                        page_weight):
    """The objection form lists UU 14/2008 art. 35(1) a–g (docs/regulations.md §3) and says what happens next."""
    case = submit(world, "information_request", title="Data penerima bantuan", contact_address="Jl. Uji 1")
    test = privacy_test(case.agency)  # a refusal cites a consequence test (docs/regulations.md §11)
    act(world, case, "refuse", role="ppid", exemption="17h", reason="Memuat data pribadi penerima.",
        data={"consequence_test": test.number})
    prove_in_browser(page_nojs, live_server.url, case)
    page_nojs.goto(f"{live_server.url}/lacak/{case.tracking_code}/tanggapi/object/")
    assert page_nojs.locator("input[name=grounds]").count() == 7
    assert "Komisi Informasi" in page_nojs.locator("main").inner_text()
    action_url = page_nojs.url
    cookies = page_nojs.context.cookies()
    for url in (action_url, f"{live_server.url}/en{action_url[len(live_server.url):]}"):
        check_page(browser_page, axe_check, page_weight, url, cookies)  # the form, in both languages
    page_nojs.get_by_role("button", name="Kirim").click()  # no ground chosen: the summary says so
    assert page_nojs.locator(".error-summary").is_visible()
    page_nojs.locator("input[name=grounds][value=a]").check()
    page_nojs.get_by_label("Jelaskan keberatan Anda").fill("Nama penerima bantuan sosial adalah informasi publik.")
    page_nojs.get_by_role("button", name="Kirim").click()
    case.refresh_from_db()
    assert case.status == "objection"
