"""Attachments: content sniffing, limits, storage outside the web root, visibility and audit on access."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from balai.audit.models import AuditRecord
from balai.cases.attachments import (
    PDF,
    attachment_response,
    open_attachment,
    sanitize_filename,
    sniff,
    store_upload,
    strip_image_metadata,
)
from balai.cases.models import Case
from tests.factories import AgencyFactory, MembershipFactory, StaffFactory, UnitFactory


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def zip_bytes(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == stored_first else None)
    return buffer.getvalue()


def ooxml(main_type: str, part: str, extra: dict[str, bytes] | None = None) -> bytes:
    types = (
        f'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/></Types>'
    ).encode()
    return zip_bytes({"[Content_Types].xml": types, part: b"<x/>", **(extra or {})})


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
ODT_TYPE = b"application/vnd.oasis.opendocument.text"


@pytest.fixture
def case(db):
    agency = AgencyFactory()
    return Case.objects.create(
        tracking_code="KT-ATTA-CHM2",
        kind="complaint",
        title="Jalan rusak",
        status="submitted",
        submitted_at=timezone.now(),
        government=agency.government,
        agency=agency,
        confidentiality="confidential",
    )


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/octet-stream"
    )  # the browser's claim is ignored


@pytest.mark.parametrize(
    ("name", "data", "content_type", "stored_name"),
    [
        ("surat.pdf", PDF_BYTES, "application/pdf", "surat.pdf"),
        ("foto.JPG", image_bytes("JPEG"), "image/jpeg", "foto.jpg"),
        ("foto.jpeg", image_bytes("JPEG"), "image/jpeg", "foto.jpg"),
        ("bukti.png", image_bytes("PNG"), "image/png", "bukti.png"),
        ("bukti.webp", image_bytes("WEBP"), "image/webp", "bukti.webp"),
        ("foto.pdf", image_bytes("PNG"), "image/png", "foto.png"),  # the content decides, the name follows
        (
            "surat.docx",
            ooxml(DOCX_MAIN, "word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "surat.docx",
        ),
        (
            "data.xlsx",
            ooxml(XLSX_MAIN, "xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "data.xlsx",
        ),
        (
            "surat.odt",
            zip_bytes({"mimetype": ODT_TYPE, "content.xml": b"<x/>"}, stored_first="mimetype"),
            "application/vnd.oasis.opendocument.text",
            "surat.odt",
        ),
    ],
)
def test_good_files_are_stored(case, name, data, content_type, stored_name):
    attachment = store_upload(case=case, uploaded=upload(name, data))
    assert attachment.content_type == content_type
    assert attachment.original_name == stored_name
    import hashlib

    # Images are stored re-encoded without metadata (tests/security/test_anonymous_identity.py), the
    # same pixels; other files byte for byte.
    stored = strip_image_metadata(data, sniff(data))
    assert content_type.startswith("image/") or stored == data
    assert attachment.size == len(stored)
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.storage_name.startswith("cases/") and name.split(".")[0] not in attachment.storage_name
    assert len(attachment.storage_name.rsplit("/", 1)[1]) == 32  # token_hex(16)
    with default_storage.open(attachment.storage_name, "rb") as handle:
        content = handle.read()
    assert content == stored
    if content_type.startswith("image/"):
        assert Image.open(io.BytesIO(content)).convert("RGB").getpixel((0, 0)) == \
            Image.open(io.BytesIO(data)).convert("RGB").getpixel((0, 0))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("surat.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("surat.pdf", b"<html><body>hi</body></html>"),
        ("foto.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),  # Windows exe
        ("gambar.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("surat.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # legacy OLE .doc
        ("arsip.zip", zip_bytes({"a.txt": b"hello"})),
        ("teks.pdf", b"just some text that says %PDF- later"),
        (
            "surat.docx",
            ooxml(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
                "ppt/presentation.xml",
            ),
        ),
    ],
)
def test_disallowed_content_is_refused_whatever_the_name(case, name, data):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(case=case, uploaded=upload(name, data))
    assert excinfo.value.code == "file_type"
    assert "PDF" in excinfo.value.messages[0]
    assert case.attachments.count() == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("surat.docm", ooxml(DOCM_MAIN, "word/document.xml", {"word/vbaProject.bin": b"\x00" * 10})),
        ("surat.docx", ooxml(DOCM_MAIN, "word/document.xml")),  # renamed .docm
        ("surat.docx", ooxml(DOCX_MAIN, "word/document.xml", {"word/vbaProject.bin": b"\x00" * 10})),
        (
            "surat.odt",
            zip_bytes(
                {"mimetype": ODT_TYPE, "content.xml": b"<x/>", "Basic/Standard/Module1.xml": b"x"},
                stored_first="mimetype",
            ),
        ),
        (
            "surat.pdf",
            PDF_BYTES.replace(
                b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"
            ),
        ),
    ],
)
def test_macros_and_scripts_are_refused(case, name, data):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(case=case, uploaded=upload(name, data))
    assert excinfo.value.code == "file_active_content"


def test_too_large_file_names_the_limit_in_mb(case, settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    data = PDF_BYTES + b"0" * (2 * 1024 * 1024)
    with pytest.raises(ValidationError) as excinfo:
        store_upload(case=case, uploaded=upload("besar.pdf", data))
    assert excinfo.value.code == "file_too_large"
    assert "2 MB" in excinfo.value.messages[0]


def test_too_large_message_is_translated(case, settings):
    from django.utils import translation

    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        store_upload(case=case, uploaded=upload("besar.pdf", PDF_BYTES + b"0" * 1024 * 1024))
    assert excinfo.value.messages[0] == "The file is too large. The limit is 1 MB."


def test_empty_file_is_refused(case):
    with pytest.raises(ValidationError) as excinfo:
        store_upload(case=case, uploaded=upload("kosong.pdf", b""))
    assert excinfo.value.code == "file_empty"


def test_zip_bomb_is_refused(case):
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (5 * 1024 * 1024)})
    with pytest.raises(ValidationError):
        store_upload(case=case, uploaded=upload("bom.docx", bomb))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\budi\\surat izin.pdf", "surat izin.pdf"),
        ("bad\x00name<script>.pdf", "badname_script.pdf"),
        (".pdf", "attachment.pdf"),
        ("", "attachment.pdf"),
        ("laporan.PDF", "laporan.pdf"),
        ("Surat Keterangan Domisili Kelurahan Sungai Pinang Dalam Kota Samarinda " * 3 + ".pdf", None),
    ],
)
def test_original_name_is_sanitised(raw, expected):
    from django.utils import translation

    with translation.override("en"):
        name = sanitize_filename(raw, PDF)
    if expected is None:
        assert len(name) <= 104 and name.endswith(".pdf")
    else:
        assert name == expected


def test_storage_is_outside_the_web_root():
    """The configured upload folder is not under STATIC_ROOT or any static folder, and has no URL."""
    import balai.settings as project  # the configured value (the autouse fixture points tests to tmp)

    location = Path(project.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    assert location == (Path(django_settings.VAR_DIR) / "uploads").resolve()
    assert project.STORAGES["default"]["OPTIONS"]["base_url"] is None
    for folder in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        assert not location.is_relative_to(Path(folder).resolve())
    assert not location.is_relative_to((Path(django_settings.BASE_DIR) / "balai").resolve())


def officer_of(agency):
    user = StaffFactory()
    MembershipFactory(user=user, unit=UnitFactory(agency=agency))
    return user


def test_access_denied_for_a_viewer_who_may_not_see_it(case):
    attachment = store_upload(case=case, uploaded=upload("surat.pdf", PDF_BYTES))
    outsider = officer_of(AgencyFactory(government=case.government))
    before = AuditRecord.objects.count()
    for viewer in (None, outsider):
        with pytest.raises(PermissionDenied):
            open_attachment(attachment=attachment, viewer=viewer)
    # a private (staff) file is not shown to the citizen either
    with pytest.raises(PermissionDenied):
        open_attachment(attachment=attachment, viewer=None, as_citizen=True)
    assert AuditRecord.objects.count() == before


def test_access_is_audited(case):
    attachment = store_upload(case=case, uploaded=upload("surat.pdf", PDF_BYTES), is_public=True)
    officer = officer_of(case.agency)
    with open_attachment(attachment=attachment, viewer=officer) as handle:
        assert handle.read() == PDF_BYTES
    record = AuditRecord.objects.order_by("-id").first()
    assert record.action == "attachment.access"
    assert record.actor_id == officer.pk
    assert record.target_id == str(attachment.pk)
    assert record.data["case"] == "KT-ATTA-CHM2"
    # the citizen may open a public attachment; that is audited too
    open_attachment(attachment=attachment, viewer=None, as_citizen=True).close()
    assert AuditRecord.objects.order_by("-id").first().data["viewer"] == "citizen"


def test_attachment_response_headers(case):
    attachment = store_upload(case=case, uploaded=upload("foto kejadian.png", image_bytes("PNG")))
    response = attachment_response(attachment=attachment, viewer="system")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "foto kejadian.png" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == image_bytes("PNG")
    response.close()
