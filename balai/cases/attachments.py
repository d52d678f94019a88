"""Attachments: accept only files whose CONTENT is an allowed type, store them outside the web root
under random names, and hand them out only through the visibility rules, audited (docs/security.md; docs/architecture.md, visibility).

Allowed: PDF (without JavaScript or launch actions), JPEG, PNG, WebP, and office documents that can be
recognised safely from their zip container without running or extracting anything: Word .docx and
Excel .xlsx (by the main part's content type in `[Content_Types].xml`, macro-enabled variants and VBA
projects refused) and OpenDocument .odt/.ods (by the stored `mimetype` entry, Basic/Scripts refused).
Legacy .doc/.xls (OLE containers that may carry macros), HTML, SVG and executables are refused,
whatever their name says.

Images are decoded and encoded again before they are stored (`strip_image_metadata`): a phone photo's
EXIF holds the GPS position, the time, the camera's serial number and often its owner's name, which must
not reach the agency, least of all on an anonymous case. On an anonymous case the citizen's files are
stored under a neutral name ("lampiran-2.jpg"): "KTP_Siti_Aminah.jpg" would name the reporter (ADR 0016).
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _

from balai.cases.models import Attachment, Case, Confidentiality
from balai.cases.visibility import SYSTEM, case_view
from balai.people.models import User


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


PDF = FileKind("application/pdf", "pdf", "PDF")
JPEG = FileKind("image/jpeg", "jpg", "JPEG")
PNG = FileKind("image/png", "png", "PNG")
WEBP = FileKind("image/webp", "webp", "WebP")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word (.docx)"
)
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel (.xlsx)")
ODT = FileKind("application/vnd.oasis.opendocument.text", "odt", "OpenDocument (.odt)")
ODS = FileKind("application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument (.ods)")
ALLOWED = (PDF, JPEG, PNG, WEBP, DOCX, XLSX, ODT, ODS)
_EXTENSIONS = {"jpeg": "jpg", "jpe": "jpg"}

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
# Zip limits: a real office document from a citizen stays far below these; a zip bomb does not.
_ZIP_MAX_ENTRIES = 2000
_ZIP_MAX_TOTAL = 200 * 1024 * 1024
_ZIP_MAX_RATIO = 200
_PDF_ACTIVE = re.compile(rb"/(JavaScript|Launch|EmbeddedFile|RichMedia)\b")


def _not_allowed() -> ValidationError:
    return ValidationError(
        _("This type of file is not accepted. Please send %(types)s.")
        % {"types": ", ".join(kind.label for kind in ALLOWED)},
        code="file_type",
    )


def _macro_error() -> ValidationError:
    return ValidationError(
        _("Documents with macros, scripts or embedded programs are not accepted."),
        code="file_active_content",
    )


def _sniff_zip(data: bytes) -> FileKind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_allowed() from None
    names = [info.filename for info in infos]
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if len(infos) > _ZIP_MAX_ENTRIES or total > _ZIP_MAX_TOTAL or total / packed > _ZIP_MAX_RATIO:
        raise _not_allowed()
    lowered = [name.lower() for name in names]
    if any(
        name.endswith(("vbaproject.bin", ".exe", ".dll", ".js", ".vbs"))
        or "activex" in name
        or "/embeddings/oleobject" in name
        for name in lowered
    ):
        raise _macro_error()

    def read_small(name: str, limit: int = 256 * 1024) -> bytes:
        info = archive.getinfo(name)
        if info.file_size > limit:
            raise _not_allowed()
        return archive.read(info)

    try:
        if names and names[0] == "mimetype":  # OpenDocument: first entry, stored, holds the type
            kind = _ODF_MIMETYPES.get(read_small("mimetype", 200).decode("ascii", "replace").strip())
            if kind is None:
                raise _not_allowed()
            if any(name.startswith(("basic/", "scripts/")) for name in lowered):
                raise _macro_error()
            return kind
        if "[Content_Types].xml" in names:  # Office Open XML
            # Read with a regular expression, not an XML parser: no entity expansion, nothing fetched.
            types = read_small("[Content_Types].xml").decode("utf-8", "replace")
            content_types = set(re.findall(r'ContentType="([^"]+)"', types))
            if any("macroenabled" in t.lower() or "vbaproject" in t.lower() for t in content_types):
                raise _macro_error()
            found = {_OOXML_MAIN[t] for t in content_types if t in _OOXML_MAIN}
            if len(found) == 1:
                return found.pop()
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, EOFError):
        raise _not_allowed() from None
    raise _not_allowed()


def sniff(data: bytes) -> FileKind:
    """The allowed type of `data`, judged from the bytes only; ValidationError otherwise."""
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess else ""
    if data.startswith(b"%PDF-") and mime == "application/pdf":
        if _PDF_ACTIVE.search(data):
            raise _macro_error()
        return PDF
    if data.startswith(b"\xff\xd8\xff") and mime == "image/jpeg":
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n") and mime == "image/png":
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and mime == "image/webp":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    raise _not_allowed()


def sanitize_filename(name: str | None, kind: FileKind) -> str:
    """A safe display name: no path, no control characters, and the extension of the real type."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    stem, _dot, ext = base.rpartition(".")
    if not _dot:
        stem, ext = base, ""
    stem = re.sub(r"[^\w\s().,+\-]", "_", stem).strip(" ._")
    stem = re.sub(r"\s+", " ", stem)[:100] or _("attachment")
    ext = _EXTENSIONS.get(ext.lower(), ext.lower())
    if ext != kind.extension:
        ext = kind.extension  # the name said something else: trust the content
    return f"{stem}.{ext}"


# A photo above this many pixels is refused before it is decoded: a small file can unpack to gigabytes.
MAX_IMAGE_PIXELS = 64_000_000
_PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
_JPEG_MODES = ("1", "L", "RGB", "CMYK")


def _broken_image() -> ValidationError:
    return ValidationError(_("This image cannot be read. Please send it again, or as a PDF."), code="file_broken")


def _image_too_large() -> ValidationError:
    return ValidationError(
        _("This image has too many pixels (the limit is %(limit)s megapixels). Please send a smaller photo.")
        % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
        code="file_too_many_pixels",
    )


def strip_image_metadata(data: bytes, kind: FileKind) -> bytes:
    """`data` decoded and encoded again in the same format, with nothing but the pixels: no EXIF (GPS
    position, camera serial, owner), XMP, comments or colour profile. The EXIF orientation is applied to
    the pixels first, so a photo stays upright. Other kinds are returned unchanged. Raises
    ValidationError for an image that cannot be decoded or has more than `MAX_IMAGE_PIXELS` pixels."""
    fmt = _PILLOW_FORMATS.get(kind)
    if fmt is None:
        return data
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise _image_too_large()
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError):
        raise _broken_image() from None
    options: dict = {}
    if fmt == "JPEG":
        if image.mode not in _JPEG_MODES:
            image = image.convert("RGB")
        options = {"quality": 90, "optimize": True}
    elif fmt == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if image.has_transparency_data else "RGB")
        options = {"quality": 90}
    # The encoders copy comments, profiles and EXIF from `info`: only a PNG's transparency survives.
    image.info = {k: v for k, v in image.info.items() if fmt == "PNG" and k == "transparency"}
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _is_citizen_file(case: Case, actor) -> bool:
    """True unless an officer (not the counter officer who registered the case) adds the file."""
    if not getattr(actor, "pk", None) or not getattr(actor, "is_staff", False):
        return True
    return actor.pk == case.registered_by_id


def neutral_name(*, case: Case, kind: FileKind) -> str:
    """The name an anonymous case's citizen file is stored under: "lampiran-<n>.<ext>", nothing of theirs."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        stem = _("attachment")
    return f"{stem}-{case.attachments.count() + 1}.{kind.extension}"


def _read_limited(uploaded, limit: int) -> bytes:
    if hasattr(uploaded, "seek"):
        try:
            uploaded.seek(0)
        except (OSError, ValueError):
            pass
    chunks, total = [], 0
    iterator = uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b"")
    for chunk in iterator:
        total += len(chunk)
        if total > limit:
            break
        chunks.append(chunk)
    return b"".join(chunks) if total <= limit else b"\0" * (limit + 1)


def _too_large(limit: int) -> ValidationError:
    megabytes = limit / (1024 * 1024)
    shown = f"{megabytes:.0f}" if megabytes >= 1 and megabytes == int(megabytes) else f"{megabytes:.1f}"
    return ValidationError(
        _("The file is too large. The limit is %(limit)s MB.") % {"limit": shown}, code="file_too_large"
    )


def check_upload(uploaded: UploadedFile) -> tuple[bytes, str]:
    """Read and check an upload with the rules `store_upload` applies; (content, safe display name) or
    ValidationError. A face that keeps a file before the case exists (a portal draft) checks it here, so
    the citizen learns about a file that is too large or of the wrong type on the page where they chose
    it; `store_upload` checks it again when the case is sent."""
    limit = int(settings.UPLOAD_MAX_BYTES)
    if getattr(uploaded, "size", 0) and (uploaded.size or 0) > limit:
        raise _too_large(limit)
    chunks, total = [], 0
    for chunk in uploaded.chunks():
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise ValidationError(_("The file is empty."), code="file_empty")
    kind = sniff(data)
    return data, sanitize_filename(getattr(uploaded, "name", ""), kind)


def store_upload(*, case: Case, uploaded, actor=None, is_public: bool = False, event=None) -> Attachment:
    """Check an uploaded file and store it as an Attachment of `case`.

    Raises ValidationError (translated, safe to show) when the file is empty, larger than
    `settings.UPLOAD_MAX_BYTES`, or its content is not an allowed type. Images are stored re-encoded
    without metadata (`strip_image_metadata`). The stored name is random (`secrets.token_hex`), in
    `default_storage` (var/uploads, outside the web root); the original name is kept only for display,
    sanitised, and not at all for the citizen's files on an anonymous case (`neutral_name`). `is_public=True` makes it visible to the citizen (use it
    for the citizen's own files and for files attached to an answer).
    """
    limit = int(settings.UPLOAD_MAX_BYTES)
    declared = getattr(uploaded, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(limit)
    data = _read_limited(uploaded, limit)
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise ValidationError(_("The file is empty."), code="file_empty")
    kind = sniff(data)
    data = strip_image_metadata(data, kind)
    if case.confidentiality == Confidentiality.ANONYMOUS and _is_citizen_file(case, actor):
        name = neutral_name(case=case, kind=kind)
    else:
        name = sanitize_filename(getattr(uploaded, "name", ""), kind)
    token = secrets.token_hex(16)
    storage_name = default_storage.save(f"cases/{token[:2]}/{token}", ContentFile(data))
    try:
        return Attachment.objects.create(
            case=case,
            event=event,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
            original_name=name,
            storage_name=storage_name,
            content_type=kind.content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            is_public=is_public,
        )
    except Exception:
        default_storage.delete(storage_name)
        raise


def open_attachment(*, attachment: Attachment, viewer, as_citizen: bool = False) -> File:
    """Open an attachment's file for `viewer`, if `case_view` lets them see it, and audit the access.

    Raises django.core.exceptions.PermissionDenied otherwise (a 403 in views). Every access writes an
    "attachment.access" audit record (ADR 0005).
    """
    view = case_view(case=attachment.case, viewer=viewer, as_citizen=as_citizen)
    if not view.can_see_attachment(attachment):
        raise PermissionDenied(_("You may not see this file."))
    from balai.audit.services import audit_record

    actor = viewer if viewer not in (None, SYSTEM) and getattr(viewer, "is_authenticated", False) else None
    label = {SYSTEM: "system"}.get(viewer, "citizen" if as_citizen and actor is None else "")
    with transaction.atomic():
        audit_record(
            action="attachment.access",
            actor=actor,
            actor_label=label,
            target=attachment,
            data={
                "case": attachment.case.tracking_code,
                "viewer": view.viewer_kind,
                "sha256": attachment.sha256,
            },
        )
    return default_storage.open(attachment.storage_name, "rb")


def store_citizen_documents(*, case: Case, uploads: Iterable[UploadedFile], citizen: User | None) -> list[Attachment]:
    """The citizen adds documents to their open case: all of them or, when one is refused
    (ValidationError), none. Their own files are theirs to see (`is_public`, balai.cases.visibility)."""
    with transaction.atomic():
        return [store_upload(case=case, uploaded=uploaded, actor=citizen, is_public=True) for uploaded in uploads]


def attachment_response(*, attachment: Attachment, viewer, as_citizen: bool = False) -> FileResponse:
    """The HTTP response for a download view: always a download, never rendered by the browser."""
    handle = open_attachment(attachment=attachment, viewer=viewer, as_citizen=as_citizen)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
