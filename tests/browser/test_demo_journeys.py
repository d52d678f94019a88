"""Every documented demo role carries its work from submission to closure, JavaScript ON and OFF (ADR 0040).

With the demo data (`load_demo`: regions, agencies, people, catalog and the demo TOTP secrets), the
documented accounts of the README sign in with their public password and second factor and act through
the real pages:

- citizen + PPID officer + head of Diskominfo: Siti Aminah (signed in) asks Diskominfo for information on
  the portal; the PPID officer starts and answers; she objects on the portal choosing a legal ground; the
  head of the agency answers the objection; she accepts: closed.
- counter officer + head of agency + operator: a walk-in complaint without a phone registered at the
  counter (DPMPTSP's licences, Bidang Pengaduan); the head verifies, the operator follows up and answers,
  the head closes it with a reason (the citizen has no phone to accept).
- verifier: a licence complaint to the answer; the tracking page promises the automatic closure date.
- ICT agent: a complaint about a government website (Bidang Aplikasi Informatika) to a staff closure.
- inspector: a report of illegal fees (Irban Investigasi) to a staff closure.
- main PPID: approves an entry of the register of public information proposed by the PPID officer.
- administrator: grants a role to a new officer, moves it to another unit, and is refused (with the reason)
  the revocation that would leave information requests without a PPID officer.

Shared steps: tests/browser/journeys.py.
"""

from __future__ import annotations

import pytest

from tests.browser.journeys import (
    act,
    case,
    citizen,
    citizen_signin,
    click,
    complaint,
    demo_user,
    enrol_second_factor,
    load_demo_slice,
    login_demo,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings):
    load_demo_slice(settings)


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def js(request) -> bool:
    """Each journey twice: JavaScript on and off."""
    return request.param


@pytest.fixture
def page(js, browser_page):
    return browser_page(js=js)


@pytest.fixture
def signed_in(js, browser_page, live_server):
    """signed_in("head") -> a page of its own (each officer at their own desk) signed in as that demo account,
    once per test (a second sign-in within the same 30 s would reuse the spent TOTP code)."""
    pages: dict = {}

    def open_as(login: str):
        if login not in pages:
            pages[login] = browser_page(js=js)
            login_demo(pages[login], live_server.url, login)
        return pages[login]

    return open_as


def test_citizen_ppid_officer_and_head_carry_an_information_request_through_an_objection(demo, live_server, page,
                                                                                         signed_in):
    base = live_server.url
    citizen_signin(page, base)
    page.goto(f"{base}/en/informasi/")
    page.get_by_label("Which agency holds the information?").select_option("diskominfo")
    page.get_by_label("What information do you want?").fill("The list of applications of the provincial government.")
    page.get_by_label("What will you use it for?").fill("Research for my thesis.")
    click(page, "Continue")
    page.get_by_label("Electronic copy (softcopy)").check()
    page.get_by_label("By e-mail").check()
    click(page, "Continue")
    page.get_by_label("Your full name").fill("Siti Aminah")
    page.get_by_label("Your address").fill("Jl. Juanda No. 5, Samarinda")
    page.get_by_label("Mobile phone number").fill("0812-5000-0001")
    page.get_by_label("E-mail address").fill("warga1@demo.balai.id")
    page.get_by_label("SMS", exact=True).check()
    click(page, "Continue")
    click(page, "Send request")
    assert page.locator("h1").inner_text() == "Information request registered"
    from balai.cases.models import Case

    code = Case.objects.get(kind="information_request").tracking_code
    assert case(code).citizen == demo_user("warga1") and case(code).unit.kind == "ppid"
    ppid = signed_in("ppid")
    act(ppid, base, code, "start")
    act(ppid, base, code, "answer", body="Daftar aplikasi kami lampirkan.")
    assert case(code).status == "answered"
    page.goto(f"{base}/lacak/{code}/tanggapi/object/")
    page.locator("input[name=grounds][value=a]").check()
    page.get_by_label("Jelaskan keberatan Anda").fill("Daftarnya tidak memuat aplikasi milik dinas kabupaten.")
    click(page, "Kirim")
    assert case(code).status == "objection"
    enrol_second_factor("kepala.diskominfo")  # an agency head enrols the second factor at the first sign-in
    act(signed_in("kepala.diskominfo"), base, code, "answer_objection", body="Daftar lengkap dengan aplikasi kabupaten kami lampirkan.")
    assert case(code).status == "objection_answered"
    citizen(code, "accept")
    assert case(code).status == "closed" and not case(code).is_open


def test_counter_head_and_operator_carry_a_walk_in_complaint_to_closure(demo, live_server, signed_in):
    from balai.catalog.models import ComplaintCategory

    base = live_server.url
    page = signed_in("counter")
    page.goto(f"{base}/kantor/loket/?jenis=complaint")
    page.locator("#id_subject").select_option(str(ComplaintCategory.objects.get(slug="perizinan").pk))
    page.locator("#id_title").fill("Izin usaha belum terbit")
    page.locator("#id_contact_name").fill("Pak Darto")
    page.locator("#id_consent").check()
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").last.click()
    code = page.locator(".tracking-code").inner_text().strip()
    assert case(code).unit.slug == "pengaduan" and case(code).channel == "counter"
    act(signed_in("head"), base, code, "verify")
    act(signed_in("operator"), base, code, "start")
    act(signed_in("operator"), base, code, "answer", body="Izin sudah terbit; dapat diambil di loket.")
    act(signed_in("head"), base, code, "close", reason="Warga tanpa telepon: jawaban diserahkan di loket.")
    assert case(code).status == "closed"


def test_verifier_carries_a_licence_complaint_to_the_answer_and_the_closure_date_is_promised(
        demo, live_server, page, signed_in):
    base = live_server.url
    code = complaint("perizinan", "Izin usaha belum terbit setelah sebulan").tracking_code
    assert case(code).unit.slug == "pengaduan"
    verifier = signed_in("verifier")
    act(verifier, base, code, "verify")
    act(verifier, base, code, "answer", body="Izin sudah terbit dan dikirim ke e-mail Anda.")
    page.goto(f"{base}/lacak/{code}/")  # the citizen, not signed in
    promised = page.locator(".promise").first.inner_text()
    assert "ditutup otomatis" in promised and "Selesai" not in promised
    citizen(code, "accept")
    assert case(code).status == "closed"
    # The head of the agency sees every unit of DPMPTSP, Bidang Pengaduan included.
    assert signed_in("head").goto(f"{base}/kantor/berkas/{code}/").status == 200


def test_ict_agent_carries_a_website_complaint_to_closure(demo, live_server, page):
    base = live_server.url
    code = complaint("tik-website", "Formulir di situs dinas tidak bisa dikirim").tracking_code
    assert case(code).unit.slug == "aptika"
    login_demo(page, base, "ict_agent")
    page.goto(f"{base}/kantor/berkas/{code}/")
    assert "Tidak ada tindakan untuk Anda" not in page.content()
    assert "Verifikasi paling lambat" in page.locator(".promise").first.inner_text()
    act(page, base, code, "verify")
    act(page, base, code, "start")
    act(page, base, code, "answer", body="Formulir sudah diperbaiki; silakan coba lagi.")
    act(page, base, code, "close", reason="Perbaikan sudah diuji bersama pelapor lewat telepon.")
    assert case(code).status == "closed" and not case(code).is_open
    timeline = page.locator("#timeline").inner_text()
    assert "Warga (web)" in timeline and "citizen:web" not in timeline


def test_inspector_carries_a_report_of_illegal_fees_to_closure(demo, live_server, page):
    base = live_server.url
    code = complaint("korupsi", "Diminta uang untuk surat keterangan").tracking_code
    assert case(code).unit.slug == "irban-investigasi"
    login_demo(page, base, "inspector")
    act(page, base, code, "verify")
    act(page, base, code, "start")
    act(page, base, code, "answer", body="Pemeriksaan selesai; petugas dikenai sanksi dan uang dikembalikan.")
    act(page, base, code, "close", reason="Hasil pemeriksaan disampaikan kepada pelapor secara langsung.")
    assert case(code).status == "closed"


def test_main_ppid_approves_a_register_entry_proposed_by_the_ppid_officer(demo, live_server, page):
    from django.urls import reverse

    from balai.agencies.models import Agency
    from balai.ppid.models import InformationItem
    from balai.ppid.services import item_propose
    from tests.ppid.helpers import ITEM

    base = live_server.url
    item = item_propose(actor=demo_user("ppid"), agency=Agency.objects.get(slug="diskominfo"), values=ITEM)
    login_demo(page, base, "ppid_main")
    page.goto(base + reverse("office:ppid_item", args=[item.pk]))
    page.locator("input[name=decision][value=approve]").check()
    with page.expect_navigation():
        page.locator("form:has(input[name=what][value=review]) button[type=submit]").click()
    item = InformationItem.objects.get(pk=item.pk)
    assert item.status == "approved", item.status


def test_administrator_grants_and_moves_a_role_and_is_told_why_a_revocation_is_refused(demo, live_server, page):
    from balai.agencies.models import Unit
    from balai.people.models import Membership

    base = live_server.url
    login_demo(page, base, "admin")
    aptika = Unit.objects.get(agency__slug="diskominfo", slug="aptika")
    url = f"{base}/kantor/instansi/anggota/?instansi={aptika.agency_id}"
    page.goto(url)
    page.locator("#id_login").fill("petugas.baru@contoh.id")
    page.locator("#id_full_name").fill("Petugas Baru")
    page.locator("#id_unit").select_option(str(aptika.pk))
    page.locator("#id_role").select_option("verifier")
    click(page, "Berikan peran")
    granted = Membership.objects.get(user__email="petugas.baru@contoh.id", is_active=True)
    assert granted.unit == aptika
    tik = Unit.objects.get(agency__slug="diskominfo", slug="tik")
    page.locator(f"#pindah-{granted.pk}").select_option(str(tik.pk))
    with page.expect_navigation():
        page.locator(f"form:has(#pindah-{granted.pk}) button[type=submit]").click()
    assert Membership.objects.get(user__email="petugas.baru@contoh.id", is_active=True).unit == tik
    ppid = Membership.objects.get(user=demo_user("ppid"), role="ppid")
    with page.expect_navigation():
        page.locator(f"form:has(input[name=op][value=revoke]):has(input[name=membership][value='{ppid.pk}']) "
                     "button[type=submit]").click()
    assert "Peran ini belum dapat dicabut" in page.locator(".error-summary").inner_text()
    assert Membership.objects.get(pk=ppid.pk).is_active
