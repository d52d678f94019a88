"""Documented demo roles carry their work from submission to closure, JavaScript OFF (ADR 0040).

With the demo data (`load_demo`: regions, agencies, people, catalog and the demo TOTP secrets), the
documented accounts of the README sign in with their public password and second factor and act through
the workspace: the ICT agent takes a complaint about a government website (it lands in Bidang Aplikasi
Informatika) from verification to an answer and a staff closure with a reason; the verifier takes a licence
complaint (Bidang Pengaduan) to the answer, and the citizen's tracking page then shows the automatic
closure date, not "Selesai". The citizen's own steps go through the engine (the portal has its own tests).
"""

from __future__ import annotations

from io import StringIO

import pytest

from tests.browser.staff import staff_login, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db, settings):
    from django.core.management import call_command

    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--only", "regions", "agencies", "people", "catalog", "office", stdout=StringIO())


def _login_demo(page, base, role: str) -> None:
    from balai.ops.demo.office import TOTP_SECRETS, hex_key
    from balai.ops.demo.people import email_for, password_for
    from balai.people.models import User

    user = User.objects.get(email=email_for(role))
    import tests.browser.staff as staff

    original = staff.totp_now
    staff.totp_now = lambda key=hex_key(TOTP_SECRETS[role]): totp_now(key)
    try:
        staff_login(page, base, user, password=password_for(role))
    finally:
        staff.totp_now = original


def _act(page, base, code, action, **fields):
    page.goto(f"{base}/kantor/berkas/{code}/")
    box = page.locator(f"#aksi-{action}")
    assert box.count() == 1, f"action {action} not offered to this demo account"
    for name, value in fields.items():
        page.locator(f"#id_{action}-{name}").fill(value)
    with page.expect_navigation():
        box.locator("form[method=post] button[type=submit]").click()
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()


def _submit(slug: str, title: str):
    from balai.cases.services import case_submit
    from balai.cases.submission import Submission
    from balai.catalog.models import ComplaintCategory

    return case_submit(Submission(kind="complaint", channel="web",
                                  complaint_category=ComplaintCategory.objects.get(slug=slug), title=title,
                                  description="Dilaporkan lewat situs.", contact_name="Siti Aminah",
                                  contact_phone="0812-5000-0001"))


def _case(code):
    from balai.cases.models import Case

    return Case.objects.get(tracking_code=code)


def test_ict_agent_carries_a_website_complaint_to_closure(demo, live_server, page_nojs):
    base = live_server.url
    code = _submit("tik-website", "Formulir di situs dinas tidak bisa dikirim").tracking_code
    assert _case(code).unit.slug == "aptika"
    _login_demo(page_nojs, base, "ict_agent")
    page_nojs.goto(f"{base}/kantor/berkas/{code}/")
    assert "Tidak ada tindakan untuk Anda" not in page_nojs.content()
    assert "Verifikasi paling lambat" in page_nojs.locator(".promise").first.inner_text()
    _act(page_nojs, base, code, "verify")
    _act(page_nojs, base, code, "start")
    _act(page_nojs, base, code, "answer", body="Formulir sudah diperbaiki; silakan coba lagi.")
    assert _case(code).status == "answered"
    _act(page_nojs, base, code, "close", reason="Perbaikan sudah diuji bersama pelapor lewat telepon.")
    case = _case(code)
    assert case.status == "closed" and not case.is_open
    timeline = page_nojs.locator("#timeline").inner_text()
    assert "Warga (web)" in timeline and "citizen:web" not in timeline


def test_verifier_carries_a_licence_complaint_to_the_answer_and_the_closure_date_is_promised(
        demo, live_server, page_nojs):
    base = live_server.url
    code = _submit("perizinan", "Izin usaha belum terbit setelah sebulan").tracking_code
    assert _case(code).unit.slug == "pengaduan"
    _login_demo(page_nojs, base, "verifier")
    _act(page_nojs, base, code, "verify")
    _act(page_nojs, base, code, "answer", body="Izin sudah terbit dan dikirim ke e-mail Anda.")
    page_nojs.context.clear_cookies()
    page_nojs.goto(f"{base}/lacak/{code}/")
    promised = page_nojs.locator(".promise").first.inner_text()
    assert "ditutup otomatis" in promised and "Selesai" not in promised
    from balai.cases.commands import CaseCommand
    from balai.cases.services import case_transition

    case_transition(_case(code), CaseCommand(action="accept", actor=None, channel="web"))
    assert _case(code).status == "closed"
    # The head of the agency sees every unit of DPMPTSP, Bidang Pengaduan included.
    _login_demo(page_nojs, base, "head")
    response = page_nojs.goto(f"{base}/kantor/berkas/{code}/")
    assert response.status == 200
