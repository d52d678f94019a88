"""Partial exemption of a released document: the PPID marks regions per page and the published copy has the
content under them removed (not covered), the rest kept; the original stays internal (docs/regulations.md
§11; balai.ppid.redaction)."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess

import pymupdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balai.audit.models import AuditRecord
from balai.cases.commands import CaseCommand
from balai.cases.services import case_transition
from balai.ppid.documents import html_pdf
from balai.ppid.models import ArchiveEntry
from balai.ppid.services import archive_confirm, archive_redact
from tests.cases.conftest import wita
from tests.office.conftest import office_login

pytestmark = pytest.mark.django_db

SECRET = "6472012345678901"
PAGE_ONE = ("<p>Daftar penerima bantuan sosial</p><p style='margin-top:150px'>NIK penerima: " + SECRET + "</p>"
            "<p style='margin-top:150px'>Jumlah penerima: 120 keluarga</p>")
PAGE_TWO = "<p>Rekapitulasi anggaran Rp 72.000.000</p>"


def _pdf() -> bytes:
    return html_pdf(f"<html><body style='font-size:14pt'>{PAGE_ONE}<p style='break-before:page'>{PAGE_TWO}</p>"
                    "</body></html>")


def _png() -> bytes:
    image = Image.new("RGB", (200, 100), "white")
    image.paste((200, 0, 0), (0, 0, 100, 100))  # left half red: the part to black out
    image.paste((0, 0, 200), (100, 0, 200, 100))  # right half blue: kept
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _text(pdf: bytes) -> str:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def _region_around(pdf: bytes, word: str, *, page: int = 1) -> dict:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        shown = doc[page - 1]
        rect = shown.search_for(word)[0]
        w, h = shown.rect.width, shown.rect.height
    return {"page": page, "x0": (rect.x0 - 2) / w, "y0": (rect.y0 - 2) / h, "x1": (rect.x1 + 2) / w,
            "y1": (rect.y1 + 2) / h}


@pytest.fixture
def released(world, submit):
    case = submit("information_request", title="Data penerima bantuan", submitted_at=wita(2026, 3, 2, 9))
    files = [SimpleUploadedFile("penerima.pdf", _pdf(), content_type="application/pdf"),
             SimpleUploadedFile("peta.png", _png(), content_type="image/png")]
    case = case_transition(case, CaseCommand(action="answer", actor=world.staff["ppid"], at=wita(2026, 3, 9, 10),
                           body="Data terlampir; NIK dikecualikan (uji konsekuensi).", files=files))
    entry = ArchiveEntry.objects.get(case=case)
    archive_confirm(actor=world.staff["ppid"], entry=entry, publish=True, question=entry.question,
                    answer=entry.answer, attachment_ids=[a.pk for a in case.attachments.order_by("pk")])
    pdf_doc, png_doc = entry.documents.order_by("attachment_id")
    return entry, pdf_doc, png_doc


def _download(client, document) -> bytes:
    response = client.get(f"/informasi/arsip/{document.entry_id}/berkas/{document.pk}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_pdf_region_text_is_removed_and_the_rest_kept(world, released, client,
                                                      django_capture_on_commit_callbacks):
    entry, document, _png_doc = released
    original = default_storage.open(document.attachment.storage_name).read()
    assert SECRET in _text(_download(client, document))  # before: released as it is
    archive_redact(actor=world.staff["ppid"], document=document, regions=[_region_around(original, SECRET)])
    published = _download(client, document)
    text = _text(published)
    assert SECRET not in text
    assert "Daftar penerima bantuan sosial" in text and "Jumlah penerima: 120 keluarga" in text
    assert "Rekapitulasi anggaran" in text  # another page, untouched
    assert SECRET.encode() not in published
    if shutil.which("pdftotext"):  # a second, independent extractor (poppler)
        out = subprocess.run(["pdftotext", "-", "-"], input=published, capture_output=True, check=True).stdout
        assert SECRET.encode() not in out and b"120 keluarga" in out
    # the region is black on the published page
    with pymupdf.open(stream=published, filetype="pdf") as doc:
        page = doc[0]
        box = page.search_for("NIK penerima:")[0]
        pix = page.get_pixmap(clip=pymupdf.Rect(box.x1 + 20, box.y0 + 3, box.x1 + 60, box.y1 - 3))
        assert max(pix.samples) < 40  # black, not the white page with text
    # the original stays internal and unchanged
    assert hashlib.sha256(default_storage.open(document.attachment.storage_name).read()).hexdigest() == \
        document.attachment.sha256
    assert AuditRecord.objects.filter(action="ppid.archive.redact").count() == 1
    # removing every region releases the original again, and the old copy is deleted
    copy = document.redacted_name
    with django_capture_on_commit_callbacks(execute=True):
        archive_redact(actor=world.staff["ppid"], document=document, regions=[])
    assert SECRET in _text(_download(client, document)) and not default_storage.exists(copy)


def test_image_region_pixels_are_replaced(world, released, client):
    _entry, _pdf_doc, document = released
    archive_redact(actor=world.staff["ppid"], document=document,
                   regions=[{"page": 1, "x0": 0, "y0": 0, "x1": 0.5, "y1": 1}])
    with Image.open(io.BytesIO(_download(client, document))) as image:
        image = image.convert("RGB")
        assert image.size == (200, 100)
        assert image.getpixel((10, 50)) == (0, 0, 0) and image.getpixel((99, 99)) == (0, 0, 0)
        assert image.getpixel((150, 50)) == (0, 0, 200)
        assert not image.getexif()


def test_regions_are_checked_and_only_ppid_officers_may_black_out(world, released):
    _entry, document, _png_doc = released
    for bad in ({"page": 3, "x0": 0, "y0": 0, "x1": 1, "y1": 1}, {"page": 1, "x0": 0.2, "y0": 0.2, "x1": 1.4, "y1": 1},
                {"page": 1, "x0": 0.2, "y0": 0.2, "x1": 0.2, "y1": 0.5}, {"page": 1}):
        with pytest.raises(ValidationError):
            archive_redact(actor=world.staff["ppid"], document=document, regions=[bad])
    with pytest.raises(PermissionDenied):
        archive_redact(actor=world.outsider, document=document, regions=[{"page": 1, "x0": 0, "y0": 0, "x1": 1,
                                                                          "y1": 0.5}])


def test_office_form_without_javascript(world, released, client):
    entry, document, _png_doc = released
    office_login(client, world.staff["ppid"])
    base = f"/kantor/ppid/arsip/{entry.pk}/berkas/{document.pk}/"
    assert f'href="{base}"' in client.get(f"/kantor/ppid/arsip/{entry.pk}/").content.decode()
    page = client.get(base)
    assert page.status_code == 200 and "Tepi kiri (%)" in page.content.decode()
    assert "Left edge (%)" in client.get("/en" + base).content.decode()
    region = _region_around(default_storage.open(document.attachment.storage_name).read(), SECRET)
    response = client.post(base, {"op": "add", "page": 1, "left": round(region["x0"] * 100, 2),
                                  "top": round(region["y0"] * 100, 2), "right": round(region["x1"] * 100, 2),
                                  "bottom": round(region["y1"] * 100, 2)})
    assert response.status_code == 302
    document.refresh_from_db()
    assert len(document.regions) == 1 and document.redacted_name
    assert SECRET not in _text(_download(client, document))
    preview = client.get(base + "halaman-1.png")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert client.get(base + "halaman-1.png?terbit=1").status_code == 200
    assert client.get(base + "halaman-9.png").status_code == 404
    assert client.post(base, {"op": "add", "page": 1, "left": 10, "top": 10, "right": 150, "bottom": 20}
                       ).status_code == 400
    assert client.post(base, {"op": "remove", "region": "0"}).status_code == 302
    document.refresh_from_db()
    assert document.regions == [] and document.redacted_name == ""
    client.logout()
    office_login(client, world.outsider)
    assert client.get(base).status_code in (403, 404)
