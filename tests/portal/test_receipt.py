"""The confirmation page and the PDF receipt: paper sizes, content, and who may get them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from balai.cases.receipts import receipt_pdf, spaced_code
from balai.cases.services import case_submit
from balai.cases.submission import Submission
from balai.portal.views import flow
from tests.factories import MembershipFactory, StaffFactory
from tests.otp import verified_login
from tests.portal.flow_data import build_flow_data

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(not shutil.which("pdfinfo"), reason="poppler-utils not installed")

MM_TO_PT = 72 / 25.4


@pytest.fixture
def case():
    return _submit(build_flow_data())


def _submit(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.portal.flow_data import PNG

    return case_submit(Submission(kind="service_request", channel="web", title="Izin usaha uji", service=data["service"],
                       answers={"nama_usaha": "Warung", "jenis_usaha": "jasa", "setuju": True},
                       files={"ktp": SimpleUploadedFile("ktp.png", PNG)},
                       contact_name="Sari Wulandari", contact_phone="081234567890", contact_channel="sms"))


def _pdf_info(tmp_path, pdf: bytes) -> tuple[str, str]:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return info, text


def _page_size(info: str) -> tuple[float, float]:
    line = next(line for line in info.splitlines() if line.startswith("Page size:"))
    parts = line.split()
    return float(parts[2]), float(parts[4])


@needs_poppler
def test_a4_receipt_has_the_code_and_no_personal_data(case, tmp_path):
    info, text = _pdf_info(tmp_path, receipt_pdf(case=case, paper="a4"))
    width, height = _page_size(info)
    assert abs(width - 210 * MM_TO_PT) < 2 and abs(height - 297 * MM_TO_PT) < 2
    assert "Pages:           1" in info
    assert case.tracking_code in text
    assert "Izin usaha uji" in text and "hari kerja" in text
    assert "Sari" not in text and "0812" not in text and "+62" not in text  # no personal data


@needs_poppler
def test_80mm_receipt_is_80mm_wide_in_english(case, tmp_path):
    info, text = _pdf_info(tmp_path, receipt_pdf(case=case, paper="80mm", lang="en"))
    width, _height = _page_size(info)
    assert abs(width - 80 * MM_TO_PT) < 1.5
    assert "Pages:           1" in info
    assert case.tracking_code in text and "Receipt" in text and "working days" in text


@needs_poppler
def test_80mm_receipt_is_as_long_as_its_content(case, tmp_path):
    # A roll printer cuts where the page ends: no metres of blank paper, nothing cut off.
    info, text = _pdf_info(tmp_path, receipt_pdf(case=case, paper="80mm"))
    _width, height = _page_size(info)
    assert 60 * MM_TO_PT < height < 180 * MM_TO_PT
    assert "Pages:           1" in info and case.tracking_code in text
    case.agency.name_id = ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu " * 3).strip()  # ≤ 200
    case.agency.save()
    info, text = _pdf_info(tmp_path, receipt_pdf(case=case, paper="80mm"))
    assert _page_size(info)[1] > height + 5 * MM_TO_PT  # a longer name makes a longer receipt
    assert "Pages:           1" in info and case.tracking_code in text


def test_spaced_code_reads_aloud_in_groups():
    assert spaced_code("KT-7M4Q-2X9P") == "K T · 7 M 4 Q · 2 X 9 P"


def test_confirmation_and_receipt_for_the_browser_that_sent_it(client, case):
    session = client.session
    session[flow.RECEIPTS_KEY] = [case.tracking_code]
    session.save()
    page = client.get(f"/terkirim/{case.tracking_code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<strong class="tracking-code">{case.tracking_code}</strong>' in html
    assert spaced_code(case.tracking_code) in html
    assert "+6281" in html and "890" in html and "+6281234567890" not in html  # masked contact
    assert "5 hari kerja" in html
    pdf = client.get(f"/lacak/{case.tracking_code}/tanda-terima.pdf?kertas=80mm")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf["Cache-Control"] == "private, no-store"


def test_others_cannot_get_the_confirmation_or_receipt_by_code(client, case):
    assert client.get(f"/terkirim/{case.tracking_code}/").status_code == 404
    assert client.get(f"/lacak/{case.tracking_code}/tanda-terima.pdf").status_code == 404
    assert client.get("/lacak/KT-AAAA-AAAA/tanda-terima.pdf").status_code == 404  # same as unknown


def test_staff_of_the_agency_may_print_the_receipt(client, case):
    officer = MembershipFactory(unit=case.unit, role="counter", user=StaffFactory()).user
    client.force_login(officer)  # the password alone is no staff session (ADR 0015): as for an unknown code
    assert client.get(f"/lacak/{case.tracking_code}/tanda-terima.pdf?kertas=a4").status_code == 404
    verified_login(client, officer)
    response = client.get(f"/lacak/{case.tracking_code}/tanda-terima.pdf?kertas=a4")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    outsider = StaffFactory()
    client.force_login(outsider)
    assert client.get(f"/lacak/{case.tracking_code}/tanda-terima.pdf").status_code == 404
